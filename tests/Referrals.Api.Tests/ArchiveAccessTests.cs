using System.Net;
using Coordination.Referrals.Archiving;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Archived cases: out of the everyday views, readable only with the archive habilitation and a reason, audited.</summary>
public class ArchiveAccessTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);
    private const string Reason = "Réquisition du parquet de Bobigny n° 2027-0042";

    private HttpClient Archivist(Guid organisation, string user, string role = Roles.IscgWorker) =>
        factory.CreateClient().As(TestTokens.For(role, organisation, user, archiveAccess: true));

    private static Task<HttpResponseMessage> ReadArchive(HttpClient client, Guid id, string reason = Reason) =>
        client.SendJson(HttpMethod.Post, $"{Route}/{id}/archive-access", new { reason });

    [Fact]
    public async Task Only_people_with_the_archive_habilitation_read_an_archived_case_with_a_reason_and_every_read_is_audited()
    {
        var (id, etag) = await people.Send();
        await Act(people.Worker(), id, "withdrawal", etag, new { reason = "La personne a trouvé une solution." });
        var (open, _) = await people.Send();
        var watcher = new RetentionWatcher(factory.Services.GetRequiredService<IDocumentStore>(),
            new FakeTimeProvider(factory.Clock.GetUtcNow() + TimeSpan.FromDays(181)), Options.Create(new RetentionOptions()), NullLogger<RetentionWatcher>.Instance);
        Assert.True((await watcher.RunOnceAsync(CancellationToken.None))!.Archived >= 1);

        Assert.Equal(HttpStatusCode.Gone, (await people.Worker().GetAsync($"{Route}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReadArchive(people.Worker(), id)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReadArchive(factory.CreateClient().As(TestTokens.For(Roles.Admin)), id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadArchive(Archivist(ReferralsFactory.ThirdOrganisation, "other-archivist", Roles.AssociationStaff), id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadArchive(factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)), id)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReadArchive(Archivist(ReferralsFactory.IscgPost, "iscg-archives"), id, "pour voir")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReadArchive(Archivist(ReferralsFactory.IscgPost, "iscg-archives"), open)).StatusCode);

        var bySender = await When(() => ReadArchive(Archivist(ReferralsFactory.IscgPost, "iscg-archives"), id))
            .Then<Coordination.Referrals.GettingDetails.ReferralView>(HttpStatusCode.OK, _ => { });
        Assert.Equal(("Nadia", ReferralStatus.Withdrawn), (bySender.Person.FirstName, bySender.Status));
        var byReceiver = await When(() => ReadArchive(Archivist(ReferralsFactory.Association, "aav-archives", Roles.AssociationStaff), id))
            .Then<Coordination.Referrals.GettingDetails.ReferralView>(HttpStatusCode.OK, _ => { });
        Assert.Null(byReceiver.Person.FirstName); // withdrawn: not the receiver's any more

        var archiveReads = (await Audit(factory.CreateClient().As(TestTokens.For(Roles.Admin)), id)).Where(a => a.Action == "read:archive").ToList();
        Assert.Equal(["iscg-archives", "aav-archives"], archiveReads.Select(a => a.UserId));
        Assert.All(archiveReads, a => Assert.Equal(Reason, a.Detail));
    }
}

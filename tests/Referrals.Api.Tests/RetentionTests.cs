using System.Net;
using Coordination.Referrals;
using Coordination.Referrals.Archiving;
using Coordination.Referrals.GettingDetails;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Retention on a fake clock, with two instances of the job racing: each case archived once, each person anonymised once.</summary>
public class RetentionTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    private static readonly RetentionOptions Policy = new()
    {
        ArchiveAfter = TimeSpan.FromDays(180), AnonymiseAfter = TimeSpan.FromDays(730), CheckEvery = TimeSpan.FromHours(1),
    };

    private IDocumentStore Store => factory.Services.GetRequiredService<IDocumentStore>();

    private RetentionWatcher NewInstance(TimeProvider clock) => new(Store, clock, Options.Create(Policy), NullLogger<RetentionWatcher>.Instance);

    private async Task<ReferralDetails> Details(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<ReferralDetails>(id))!;
    }

    private async Task<int> Count<TEvent>(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Count(e => e.Data is TEvent);
    }

    /// <summary>Waits until no pass is running anywhere (the lock is free), having run one more itself.</summary>
    private static Task Settled(RetentionWatcher watcher) =>
        HttpClientExtensions.Eventually(() => watcher.RunOnceAsync(CancellationToken.None), pass => pass is not null, what: "a retention pass with the lock");

    [Fact]
    public async Task Two_instances_on_a_fake_clock_archive_then_anonymise_each_dormant_case_exactly_once()
    {
        var t0 = factory.Clock.GetUtcNow();
        // X ends today. Y stays open and is worked on 400 days later. Z is redirected today, and its new referral worked on 400 days later.
        var (x, etagX) = await people.Send();
        await Act(people.Worker(), x, "withdrawal", etagX, new { reason = "La personne a trouvé une solution." });
        var (y, etagY) = await people.Send();
        etagY = await Act(people.Staff(), y, "acknowledgement", etagY);
        etagY = await Act(people.Staff(), y, "acceptance", etagY);
        var (z1, etagZ) = await people.Send();
        var z2 = await Forward(people.Staff(), z1, "redirection", etagZ,
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Le CHRS est mieux placé." });

        var clock = new FakeTimeProvider(t0);
        var first = NewInstance(clock);
        var second = NewInstance(clock);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        try
        {
            // Six months: the ended cases leave the active base; the parties then get 410, the open one is untouched.
            clock.Advance(TimeSpan.FromDays(181));
            await HttpClientExtensions.Eventually(async () => (await Details(x)).ArchivedAt, at => at is not null, what: "X archived by the timer");
            await Settled(first);
            Assert.NotNull((await Details(z1)).ArchivedAt);
            Assert.Null((await Details(y)).ArchivedAt);
            Assert.Null((await Details(z2)).ArchivedAt);
            Assert.Equal(HttpStatusCode.Gone, (await people.Worker().GetAsync($"{Route}/{x}")).StatusCode);
            Assert.DoesNotContain((await Sent(people.Worker(), "?status=withdrawn,redirected")).Items, i => i.Id == x);

            // 400 days in, Y and the redirected Z are still being worked on.
            factory.Clock.Advance(TimeSpan.FromDays(400));
            var etagY2 = (await (await people.Staff().GetAsync($"{Route}/{y}")).HasStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;
            await Act(people.Staff(), y, "messages", etagY2, new { text = "Point d'étape." });
            var etagZ2 = (await (await people.ChrsStaff().GetAsync($"{Route}/{z2}")).HasStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;
            await Act(people.ChrsStaff(), z2, "messages", etagZ2, new { text = "Point d'étape." });

            // Two years after X's last activity: X's person is anonymised; Z's is not (their newer referral is active), nor Y's.
            clock.Advance(TimeSpan.FromDays(550));
            await HttpClientExtensions.Eventually(async () => (await Details(x)).ErasedAt, at => at is not null, what: "X anonymised by the timer");
            await Settled(first);
            await Settled(second);
            Assert.Null((await Details(z1)).ErasedAt);
            Assert.Null((await Details(z2)).ErasedAt);
            Assert.Null((await Details(y)).ErasedAt);

            // Two years after the last activity on every referral of Z's person: both are anonymised, with Y.
            clock.Advance(TimeSpan.FromDays(400));
            await Settled(second);
            Assert.NotNull((await Details(z1)).ErasedAt);
            Assert.NotNull((await Details(z2)).ErasedAt);
            Assert.NotNull((await Details(y)).ErasedAt);
            await using (var session = Store.QuerySession())
                Assert.Null(await session.LoadAsync<Coordination.Referrals.Privacy.PersonalDataKey>((await Details(z2)).Subject));
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
        }

        foreach (var id in new[] { x, y, z1, z2 })
            Assert.Equal(1, await Count<PersonalDataErased>(id));
        foreach (var id in new[] { x, z1 })
            Assert.Equal(1, await Count<ReferralArchived>(id));
        var seen = await Get(people.Staff(), y);
        Assert.Equal(("[effacé]", ReferralStatus.Accepted), (seen.Person.FirstName, seen.Status));
    }

    [Fact]
    public async Task A_pass_is_skipped_while_another_instance_holds_the_lock()
    {
        var watcher = NewInstance(new FakeTimeProvider(factory.Clock.GetUtcNow()));
        await using var other = new NpgsqlConnection(factory.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({RetentionWatcher.AdvisoryLockId})", other))
            await take.ExecuteScalarAsync();

        Assert.Null(await watcher.RunOnceAsync(CancellationToken.None));

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({RetentionWatcher.AdvisoryLockId})", other))
            await release.ExecuteScalarAsync();
        Assert.NotNull(await watcher.RunOnceAsync(CancellationToken.None));
    }
}

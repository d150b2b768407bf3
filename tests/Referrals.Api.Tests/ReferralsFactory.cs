using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.Testing;
using Marten;
using Microsoft.AspNetCore.Hosting;

namespace Coordination.Referrals.Api.Tests;

/// <summary>
/// Referrals on the real PostgreSQL and RabbitMQ, with organisations made known the way production learns
/// them: Directory contracts published on the bus.
/// </summary>
public class ReferralsFactory() : OrganisationAwareFactory<Program>("referrals")
{
    public static readonly Guid IscgPost = Guid.NewGuid();
    public static readonly Guid Association = Guid.NewGuid();
    public static readonly Guid Chrs = Guid.NewGuid();
    public static readonly Guid ThirdOrganisation = Guid.NewGuid();
    public static readonly Guid ClosedPartner = Guid.NewGuid();

    private const string Violence = "famille--surmonter-conflits-separation-violence";

    protected override IReadOnlyList<OrganisationRegistered> Organisations { get; } =
    [
        Registered(IscgPost, OrganisationKinds.IscgPost, Violence),
        Registered(Association, OrganisationKinds.VictimSupportAssociation, Violence),
        Registered(Chrs, OrganisationKinds.Partner, Violence, "chrs"),
        Registered(ThirdOrganisation, OrganisationKinds.VictimSupportAssociation, Violence),
        Registered(ClosedPartner, OrganisationKinds.Partner, Violence, "chrs", accepts: false),
    ];

    protected override Task<int> CountKnownOrganisations(IQuerySession session) => session.Query<KnownOrganisation>().CountAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The watcher's own loop stays out of the way; tests run its passes explicitly.
        builder.UseSetting("Referrals:Deadlines:CheckEvery", "01:00:00");
    }
}

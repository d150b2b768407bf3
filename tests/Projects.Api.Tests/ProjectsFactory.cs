using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.Testing;
using Marten;
using Microsoft.AspNetCore.Hosting;

namespace Coordination.Projects.Api.Tests;

/// <summary>Projects on the real PostgreSQL and RabbitMQ, with a clock the tests move and organisations known through the bus.</summary>
public sealed class ProjectsFactory() : OrganisationAwareFactory<Program>("projects")
{
    /// <summary>The association that leads the tests' projects.</summary>
    public static readonly Guid Lead = Guid.NewGuid();

    /// <summary>A co-funder registered in the Directory.</summary>
    public static readonly Guid Partner = Guid.NewGuid();

    protected override IReadOnlyList<OrganisationRegistered> Organisations { get; } =
    [
        Registered(Lead, OrganisationKinds.VictimSupportAssociation, "sante--sante-mentale"),
        Registered(Partner, OrganisationKinds.Partner, "sante--sante-mentale", "ccas-cias"),
    ];

    protected override Task<int> CountKnownOrganisations(IQuerySession session) => session.Query<KnownOrganisation>().CountAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Projects:MilestoneCheckEvery", "01:00:00");
    }
}

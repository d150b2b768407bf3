using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.Testing;
using Marten;

namespace Coordination.Training.Api.Tests;

/// <summary>Training on the real PostgreSQL and RabbitMQ, with a clock the tests move and organisations known through the bus.</summary>
public sealed class TrainingFactory() : OrganisationAwareFactory<Program>("training")
{
    public static readonly Guid IscgPost = Guid.NewGuid();
    public static readonly Guid Association = Guid.NewGuid();
    public static readonly Guid Partner = Guid.NewGuid();

    /// <summary>An ISCG post that takes part in nothing the tests record.</summary>
    public static readonly Guid OtherIscgPost = Guid.NewGuid();

    private const string Need = "sante--sante-mentale";

    protected override IReadOnlyList<OrganisationRegistered> Organisations { get; } =
    [
        Registered(IscgPost, OrganisationKinds.IscgPost, Need),
        Registered(Association, OrganisationKinds.VictimSupportAssociation, Need),
        Registered(Partner, OrganisationKinds.Partner, Need, "ccas-cias"),
    ];

    protected override Task<int> CountKnownOrganisations(IQuerySession session) => session.Query<KnownOrganisation>().CountAsync();
}

// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Directory;

/// <summary>Codes used in Directory contracts.</summary>
public static class OrganisationKinds
{
    public const string VictimSupportAssociation = "victim-support-association";
    public const string IscgPost = "iscg-post";
    public const string Partner = "partner";
}

/// <param name="Kind">One of <see cref="OrganisationKinds"/>.</param>
/// <param name="PartnerNetwork">data·inclusion network code (e.g. <c>ccas-cias</c>) for partners, else null.</param>
/// <param name="IscgPostSetting"><c>police</c>, <c>gendarmerie</c> or <c>mixed</c> for ISCG posts, else null.</param>
/// <param name="Departements">INSEE codes of the départements covered.</param>
/// <param name="Needs">data·inclusion thematique codes served.</param>
/// <param name="Name">The organisation's public name (not personal data): what Notifications' e-mails show. Null from
/// publishers older than this field.</param>
public sealed record OrganisationRegistered(
    Guid OrganisationId,
    string Kind,
    string? PartnerNetwork,
    string? IscgPostSetting,
    IReadOnlyList<string> Departements,
    IReadOnlyList<string> Needs,
    bool AcceptsReferrals,
    long SourceVersion,
    DateTimeOffset OccurredAt,
    string? Name = null) : IIntegrationEvent
{
    public Guid SourceStreamId => OrganisationId;
}

/// <summary>The organisation's public name changed (its details were updated).</summary>
public sealed record OrganisationRenamed(
    Guid OrganisationId,
    string Name,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => OrganisationId;
}

public sealed record OrganisationCoverageChanged(
    Guid OrganisationId,
    IReadOnlyList<string> Departements,
    IReadOnlyList<string> Needs,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => OrganisationId;
}

public sealed record OrganisationReferralCapacityChanged(
    Guid OrganisationId,
    bool AcceptsReferrals,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => OrganisationId;
}

public sealed record OrganisationDeactivated(
    Guid OrganisationId,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => OrganisationId;
}

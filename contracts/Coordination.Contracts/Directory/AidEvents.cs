// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Directory;

/// <summary>Codes used in the aid contracts.</summary>
public static class AidKinds
{
    public const string Grant = "grant";
    public const string Loan = "loan";
    public const string Allowance = "allowance";
    public const string Compensation = "compensation";
    public const string ServicePayment = "service-payment";
    public const string InKind = "in-kind";
}

/// <summary>An aid entered the guide (a proposal validated, or entered by a moderator). No names, no free text.</summary>
/// <param name="Kind">One of <see cref="AidKinds"/>.</param>
/// <param name="National">True when the aid applies everywhere; else <paramref name="Departements"/> lists where.</param>
/// <param name="Departements">INSEE codes of the départements of a local aid; empty for a national one.</param>
/// <param name="Needs">data·inclusion thematique codes the aid answers.</param>
/// <param name="Situations">Referral situation codes it targets (as in the referral contracts, e.g. <c>intrafamily-violence</c>); empty for all.</param>
/// <param name="LastVerifiedAt">When a moderator last checked it against its source; null when never (it is then "à vérifier").</param>
public sealed record AidPublished(
    Guid AidId,
    string Kind,
    bool National,
    IReadOnlyList<string> Departements,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Situations,
    DateTimeOffset? LastVerifiedAt,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => AidId;
}

/// <summary>A published aid's kind, scope, needs or situations may have changed (a correction accepted, an import).</summary>
public sealed record AidChanged(
    Guid AidId,
    string Kind,
    bool National,
    IReadOnlyList<string> Departements,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Situations,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => AidId;
}

/// <summary>A moderator checked the aid against its source: it is no longer "à vérifier" until twelve months after <paramref name="VerifiedAt"/>.</summary>
public sealed record AidVerified(
    Guid AidId,
    DateTimeOffset VerifiedAt,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => AidId;
}

/// <summary>The aid left the guide (its reason stays in the Directory).</summary>
public sealed record AidWithdrawn(
    Guid AidId,
    long SourceVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => AidId;
}

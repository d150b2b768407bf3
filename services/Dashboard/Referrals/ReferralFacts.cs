namespace Coordination.Dashboard.Referrals;

/// <summary>
/// What the indicators need of one referral, from the contracts the Dashboard stored (no name, contact or free
/// text ever came here). Still row-level data about a person, pseudonymous: once the person's data is erased
/// (<see cref="Erased"/>) only what the totals need is kept (<see cref="ReferralFactsProjection"/>).
/// </summary>
public sealed record ReferralFacts(
    Guid Id, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency, string Status, long StatusVersion,
    DateTimeOffset? SentAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt, string? Outcome,
    bool Overdue, DateTimeOffset LastEventAt, DateTimeOffset? AcknowledgeBy = null,
    string? Situation = null, string[]? Needs = null, string[]? DeclineReasons = null, DateTimeOffset? CompletedAt = null,
    bool Erased = false)
{
    /// <summary>The situation code of a hand-off whose person's data was erased.</summary>
    public const string ErasedSituation = "erased";
}

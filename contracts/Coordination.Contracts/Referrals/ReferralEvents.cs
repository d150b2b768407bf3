// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Referrals;

/// <summary>
/// What every referral contract repeats so that a consumer can group without joining: the two organisations,
/// the département and the urgency tier. Never a name, a contact detail or free text.
/// </summary>
public interface IReferralEvent : IIntegrationEvent
{
    Guid ReferralId { get; }
    Guid SenderOrganisationId { get; }
    Guid ReceiverOrganisationId { get; }
    /// <summary>INSEE code of the département where the person is.</summary>
    string Departement { get; }
    /// <summary><c>immediate</c>, <c>within-24-hours</c> or <c>standard</c>.</summary>
    string Urgency { get; }
}

/// <param name="Situation">intrafamily-violence, sexual-violence, assault, property-offence, road-accident, other-non-penal.</param>
/// <param name="Needs">data·inclusion thematique codes (and <c>coordination--</c> codes).</param>
/// <param name="RedirectedFrom">The referral this one continues after a redirection, if any.</param>
public sealed record ReferralSent(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    string Situation, IReadOnlyList<string> Needs, bool MinorsInvolved, bool ConsentOverridden,
    DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt, Guid? RedirectedFrom,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralAcknowledged(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralPutOnHold(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralResumed(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralAccepted(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

/// <param name="Reasons">person-unreachable, person-did-not-attend, outside-remit, outside-territory, no-capacity,
/// missing-information, duplicate, already-supported, person-no-longer-wishes-support, other.</param>
/// <param name="DeclinedBy"><c>organisation</c> or <c>person</c>.</param>
public sealed record ReferralDeclined(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    IReadOnlyList<string> Reasons, string DeclinedBy, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralRedirected(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    Guid NewReferralId, Guid NewReceiverOrganisationId, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralFirstContactRecorded(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    DateTimeOffset ContactedAt, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

/// <param name="Outcome">helped, partly-helped, could-not-contact, not-eligible, no-capacity,
/// person-no-longer-wishes-support, referred-elsewhere.</param>
public sealed record ReferralCompleted(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    string Outcome, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralWithdrawn(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralExpired(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

/// <summary>The acknowledgement deadline passed with nobody picking the referral up: raised once per referral.</summary>
public sealed record ReferralOverdue(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    DateTimeOffset Deadline, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

public sealed record ReferralEnteredInError(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

/// <summary>A message was posted on the referral: who wrote it (the organisation's side), never the text.</summary>
public sealed record ReferralMessagePosted(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    Guid MessageId, Guid AuthorOrganisationId, long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Referrals;

public enum ReferralStatus { Draft, Sent, Acknowledged, OnHold, Accepted, InProgress, Completed, Declined, Redirected, Withdrawn, Expired, EnteredInError }

/// <summary>Our own tiers: no referral system we studied has hour-level urgency, a police station at night needs it.</summary>
public enum Urgency { Immediate, Within24Hours, Standard }

public enum SituationCategory { IntrafamilyViolence, SexualViolence, Assault, PropertyOffence, RoadAccident, OtherNonPenal }

public enum AgeBand { Under18, From18To25, From26To40, From41To60, Over60 }

public enum ContactChannelKind { Phone, Email, ThroughSender, Other }

public enum ConsentMethod { Oral, Written }

public enum DeclinedBy { Organisation, Person }

public enum DeclineReason
{
    PersonUnreachable, PersonDidNotAttend, OutsideRemit, OutsideTerritory, NoCapacity, MissingInformation,
    Duplicate, AlreadySupported, PersonNoLongerWishesSupport, Other,
}

public enum Outcome { Helped, PartlyHelped, CouldNotContact, NotEligible, NoCapacity, PersonNoLongerWishesSupport, ReferredElsewhere }

/// <summary>Who acted: a user on behalf of an organisation (ids only).</summary>
public sealed record Party(string UserId, Guid OrganisationId);

public sealed record ContactChannel(ContactChannelKind Kind, string? Value);

/// <summary>The minimum about the person: a pseudonymous reference, and identity fields only if needed.</summary>
public sealed record PersonDetails(string PseudonymousReference, string? FirstName, ContactChannel? Contact, AgeBand AgeBand, bool MinorsInvolved);

/// <summary>What the person agreed may be shared with the receiver.</summary>
public sealed record SharingScope(bool Identity, bool Situation, bool Needs);

public abstract record ReferralEvent(Guid ReferralId);

public sealed record ReferralDrafted(
    Guid ReferralId, Party Sender, Guid ReceiverOrganisationId, string Departement, PersonDetails Person,
    SituationCategory Situation, IReadOnlyList<string> Needs, Urgency Urgency, string? Note, Guid? RedirectedFrom,
    DateTimeOffset At, Guid? DataSubjectId = null, Guid? CollectorOrganisationId = null, Guid? ResentFrom = null,
    string? ReferenceDigest = null) : ReferralEvent(ReferralId);

/// <param name="AnyReceiver">The person agreed that what the scope allows may go to another organisation if this one
/// cannot help (so a re-send after a decline or an expiry needs no new consent).</param>
public sealed record ConsentRecorded(
    Guid ReferralId, ConsentMethod Method, SharingScope Scope, Party By, DateTimeOffset At, bool AnyReceiver = false)
    : ReferralEvent(ReferralId);

/// <summary>Sent without the person's consent, by a role allowed to, with a justification. Flagged everywhere.</summary>
public sealed record ConsentOverridden(Guid ReferralId, string Justification, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralSent(Guid ReferralId, DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt, Party By, DateTimeOffset At)
    : ReferralEvent(ReferralId);

public sealed record ReferralAcknowledged(Guid ReferralId, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralPutOnHold(Guid ReferralId, string Reason, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralResumed(Guid ReferralId, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralAccepted(Guid ReferralId, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralDeclined(
    Guid ReferralId, IReadOnlyList<DeclineReason> Reasons, string Message, DeclinedBy DeclinedBy, Party By, DateTimeOffset At)
    : ReferralEvent(ReferralId);

public sealed record ReferralRedirected(
    Guid ReferralId, Guid NewReferralId, Guid NewReceiverOrganisationId, string Message, Party By, DateTimeOffset At)
    : ReferralEvent(ReferralId);

public sealed record FirstContactRecorded(Guid ReferralId, DateTimeOffset ContactedAt, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralCompleted(Guid ReferralId, Outcome Outcome, string? Note, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

/// <summary>After a decline or an expiry, the sender handed the person to another organisation (a new linked referral).</summary>
public sealed record ReferralResent(Guid ReferralId, Guid NewReferralId, Guid NewReceiverOrganisationId, Party By, DateTimeOffset At)
    : ReferralEvent(ReferralId);

public sealed record ReferralWithdrawn(Guid ReferralId, string Reason, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralExpired(Guid ReferralId, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralOverdue(Guid ReferralId, DateTimeOffset Deadline, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralEnteredInError(Guid ReferralId, string Reason, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralMessagePosted(Guid ReferralId, Guid MessageId, string Text, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

public sealed record ReferralMessagesRead(Guid ReferralId, Guid UpToMessageId, Party By, DateTimeOffset At) : ReferralEvent(ReferralId);

/// <summary>Why a person's data was erased. <see cref="RetentionPeriodEnded"/> is the retention job's alone.</summary>
public enum ErasureGround { PersonRequest, ConsentWithdrawn, UnlawfulProcessing, RetentionPeriodEnded }

/// <summary>
/// The person's key was deleted (crypto-shredding): every personal field of this referral now reads "[effacé]".
/// The justification is kept readable for accountability, so it must not name the person (checked on the way in).
/// </summary>
public sealed record PersonalDataErased(
    Guid ReferralId, ErasureGround Ground, string? Justification, string ByUserId, Guid? ByOrganisationId, DateTimeOffset At)
    : ReferralEvent(ReferralId);

/// <summary>Left the active base: ended long enough ago that only authorised people, with a reason, may read it.</summary>
public sealed record ReferralArchived(Guid ReferralId, DateTimeOffset LastActivityAt, DateTimeOffset At) : ReferralEvent(ReferralId);

/// <summary>The write-side state: what the decisions need, nothing more.</summary>
public sealed record Referral(
    Guid Id, ReferralStatus Status, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement,
    Urgency Urgency, bool ConsentRecorded, bool ConsentOverridden, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? ExpiresAt, bool OverdueRaised, IReadOnlyList<Guid> MessageIds,
    Guid? DataSubjectId = null, DateTimeOffset? LastActivityAt = null, bool Archived = false, bool Erased = false,
    Guid? CollectorOrganisationId = null, Guid? ResentTo = null)
{
    /// <summary>Whose key seals this referral's personal data (a redirection keeps the person, so the key).</summary>
    public Guid Subject => DataSubjectId ?? Id;

    /// <summary>The organisation that met the person and recorded their consent: it owns the person's data on every
    /// hop of a redirection chain (the sender of the first hop).</summary>
    public Guid Collector => CollectorOrganisationId ?? SenderOrganisationId;

    public static readonly IReadOnlySet<ReferralStatus> Terminal = new HashSet<ReferralStatus>
    {
        ReferralStatus.Completed, ReferralStatus.Declined, ReferralStatus.Redirected,
        ReferralStatus.Withdrawn, ReferralStatus.Expired, ReferralStatus.EnteredInError,
    };

    public bool IsTerminal => Terminal.Contains(Status);

    public bool Involves(Guid organisationId) =>
        organisationId == SenderOrganisationId || organisationId == ReceiverOrganisationId || organisationId == Collector;
}

/// <summary>Pure evolution of <see cref="Referral"/> (outside the record: Marten treats Evolve on an aggregate as a convention).</summary>
public static class ReferralEvolution
{
    public static Referral? Evolve(Referral? state, ReferralEvent @event)
    {
        var next = Apply(state, @event);
        return next is not null && ActivityAt(@event) is { } at ? next with { LastActivityAt = at } : next;
    }

    /// <summary>When the people working on the case last did something on it (the retention clock's "last contact");
    /// the server's own events (overdue, expiry, archiving) and read markers are not contact.</summary>
    public static DateTimeOffset? ActivityAt(ReferralEvent @event) => @event switch
    {
        ReferralOverdue or ReferralExpired or ReferralMessagesRead or PersonalDataErased or ReferralArchived => null,
        _ => @event.GetType().GetProperty("At")?.GetValue(@event) as DateTimeOffset?,
    };

    private static Referral? Apply(Referral? state, ReferralEvent @event) => (state, @event) switch
    {
        (null, ReferralDrafted e) => new Referral(e.ReferralId, ReferralStatus.Draft, e.Sender.OrganisationId, e.ReceiverOrganisationId,
            e.Departement, e.Urgency, false, false, null, null, null, false, [], e.DataSubjectId,
            CollectorOrganisationId: e.CollectorOrganisationId),
        (null, _) => null,
        (_, ConsentRecorded) => state with { ConsentRecorded = true },
        (_, ConsentOverridden) => state with { ConsentOverridden = true },
        (_, ReferralSent e) => state with { Status = ReferralStatus.Sent, SentAt = e.At, AcknowledgeBy = e.AcknowledgeBy, ExpiresAt = e.ExpiresAt },
        (_, ReferralAcknowledged) => state with { Status = ReferralStatus.Acknowledged },
        (_, ReferralPutOnHold) => state with { Status = ReferralStatus.OnHold },
        (_, ReferralResumed) => state with { Status = ReferralStatus.Acknowledged },
        (_, ReferralAccepted) => state with { Status = ReferralStatus.Accepted },
        (_, ReferralDeclined) => state with { Status = ReferralStatus.Declined },
        (_, ReferralRedirected) => state with { Status = ReferralStatus.Redirected },
        (_, FirstContactRecorded) => state with { Status = ReferralStatus.InProgress },
        (_, ReferralCompleted) => state with { Status = ReferralStatus.Completed },
        (_, ReferralResent e) => state with { ResentTo = e.NewReferralId },
        (_, ReferralWithdrawn) => state with { Status = ReferralStatus.Withdrawn },
        (_, ReferralExpired) => state with { Status = ReferralStatus.Expired },
        (_, ReferralOverdue) => state with { OverdueRaised = true },
        (_, ReferralEnteredInError) => state with { Status = ReferralStatus.EnteredInError },
        (_, ReferralMessagePosted e) => state with { MessageIds = [.. state.MessageIds, e.MessageId] },
        (_, ReferralMessagesRead) => state,
        (_, PersonalDataErased) => state with { Erased = true },
        (_, ReferralArchived) => state with { Archived = true },
        _ => state,
    };
}

public sealed partial class ReferralStateProjection : SingleStreamProjection<Referral, Guid>
{
    public override Referral? Evolve(Referral? snapshot, Guid id, IEvent e) =>
        e.Data is ReferralEvent @event ? ReferralEvolution.Evolve(snapshot, @event) : snapshot;
}

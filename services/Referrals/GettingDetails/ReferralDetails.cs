using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Referrals.GettingDetails;

public sealed record ConsentDetails(ConsentMethod Method, SharingScope Scope, Party By, DateTimeOffset At, bool AnyReceiver = false);

public sealed record ConsentOverrideDetails(string Justification, Party By, DateTimeOffset At);

public sealed record MessageDetails(Guid Id, string Text, Guid FromOrganisationId, DateTimeOffset At);

public sealed record DeclineDetails(IReadOnlyList<DeclineReason> Reasons, string Message, DeclinedBy DeclinedBy, DateTimeOffset At);

/// <summary>
/// Everything known about one referral, kept in step with its events in the same transaction (inline).
/// What a caller sees of it is filtered by <see cref="ReferralView"/>: this document is never returned as is.
/// </summary>
public sealed record ReferralDetails(
    Guid Id, ReferralStatus Status, Guid SenderOrganisationId, string SenderUserId, Guid ReceiverOrganisationId,
    string Departement, PersonDetails Person, SituationCategory Situation, string[] Needs, Urgency Urgency, string? Note,
    ConsentDetails? Consent, ConsentOverrideDetails? ConsentOverride, Guid? RedirectedFrom, Guid? RedirectedTo,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy, DateTimeOffset? ExpiresAt, bool Overdue,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt, Outcome? Outcome, string? OutcomeNote,
    DeclineDetails? Decline, string? StatusReason, IReadOnlyList<MessageDetails> Messages,
    int ReadBySender, int ReadByReceiver, DateTimeOffset LastChangedAt, long Version,
    Guid? DataSubjectId = null, DateTimeOffset? LastActivityAt = null, DateTimeOffset? ArchivedAt = null, DateTimeOffset? ErasedAt = null,
    Guid? CollectorOrganisationId = null, Guid? ResentFrom = null, Guid? ResentTo = null, string? ReferenceDigest = null,
    DateTimeOffset? SortDeadline = null)
{
    /// <summary>The organisation that met the person and recorded consent: it owns their data on every hop.</summary>
    public Guid Collector => CollectorOrganisationId ?? SenderOrganisationId;

    /// <summary>The decision state as this read model knows it (same fields, kept in step by the same events): lists
    /// probe their rows' commands with it instead of reading every row's stream.</summary>
    public Referral AsState() => new(Id, Status, SenderOrganisationId, ReceiverOrganisationId, Departement, Urgency, Consent is not null,
        ConsentOverridden, SentAt, AcknowledgeBy, ExpiresAt, Overdue, [.. Messages.Select(m => m.Id)], DataSubjectId, LastActivityAt,
        ArchivedAt is not null, ErasedAt is not null, CollectorOrganisationId, ResentTo);

    public bool ConsentOverridden => ConsentOverride is not null;

    /// <summary>Whose key seals the personal fields (see <see cref="Privacy.PersonalData"/>); they are stored sealed, never in clear.</summary>
    public Guid Subject => DataSubjectId ?? Id;
}

public sealed partial class ReferralDetailsProjection : SingleStreamProjection<ReferralDetails, Guid>
{
    public override ReferralDetails? Evolve(ReferralDetails? snapshot, Guid id, IEvent e)
    {
        if (snapshot is null)
            return e.Data is ReferralDrafted d
                ? new ReferralDetails(d.ReferralId, ReferralStatus.Draft, d.Sender.OrganisationId, d.Sender.UserId, d.ReceiverOrganisationId,
                    d.Departement, d.Person, d.Situation, [.. d.Needs], d.Urgency, d.Note, null, null, d.RedirectedFrom, null,
                    d.At, null, null, null, false, null, null, null, null, null, null, null, [], 0, 0, d.At, e.Version,
                    d.DataSubjectId, d.At, CollectorOrganisationId: d.CollectorOrganisationId ?? d.Sender.OrganisationId,
                    ResentFrom: d.ResentFrom, ReferenceDigest: d.ReferenceDigest, SortDeadline: d.At)
                : null;

        var next = Transition(snapshot with { Version = e.Version }, e);
        return e.Data is ReferralEvent @event && ReferralEvolution.ActivityAt(@event) is { } at ? next with { LastActivityAt = at } : next;
    }

    private static ReferralDetails Transition(ReferralDetails r, IEvent e)
    {
        return e.Data switch
        {
            ConsentRecorded c => r with { Consent = new ConsentDetails(c.Method, c.Scope, c.By, c.At, c.AnyReceiver) },
            ConsentOverridden o => r with { ConsentOverride = new ConsentOverrideDetails(o.Justification, o.By, o.At) },
            ReferralSent s => r with
            {
                Status = ReferralStatus.Sent,
                SentAt = s.At,
                AcknowledgeBy = s.AcknowledgeBy,
                ExpiresAt = s.ExpiresAt,
                LastChangedAt = s.At,
                SortDeadline = s.AcknowledgeBy,
            },
            ReferralResent x => r with { ResentTo = x.NewReferralId, LastChangedAt = x.At },
            ReferralAcknowledged a => r with { Status = ReferralStatus.Acknowledged, AcknowledgedAt = a.At, LastChangedAt = a.At },
            ReferralPutOnHold h => r with { Status = ReferralStatus.OnHold, StatusReason = h.Reason, LastChangedAt = h.At },
            ReferralResumed x => r with { Status = ReferralStatus.Acknowledged, StatusReason = null, LastChangedAt = x.At },
            ReferralAccepted a => r with { Status = ReferralStatus.Accepted, AcceptedAt = a.At, StatusReason = null, LastChangedAt = a.At },
            ReferralDeclined d => r with
            {
                Status = ReferralStatus.Declined,
                Decline = new DeclineDetails(d.Reasons, d.Message, d.DeclinedBy, d.At),
                LastChangedAt = d.At,
            },
            ReferralRedirected x => r with { Status = ReferralStatus.Redirected, RedirectedTo = x.NewReferralId, StatusReason = x.Message, LastChangedAt = x.At },
            FirstContactRecorded f => r with { Status = ReferralStatus.InProgress, FirstContactAt = f.ContactedAt, LastChangedAt = f.At },
            ReferralCompleted c => r with { Status = ReferralStatus.Completed, Outcome = c.Outcome, OutcomeNote = c.Note, LastChangedAt = c.At },
            ReferralWithdrawn w => r with { Status = ReferralStatus.Withdrawn, StatusReason = w.Reason, LastChangedAt = w.At },
            ReferralExpired x => r with { Status = ReferralStatus.Expired, LastChangedAt = x.At },
            ReferralOverdue o => r with { Overdue = true, LastChangedAt = o.At },
            ReferralEnteredInError x => r with { Status = ReferralStatus.EnteredInError, StatusReason = x.Reason, LastChangedAt = x.At },
            ReferralMessagePosted m => r with { Messages = [.. r.Messages, new MessageDetails(m.MessageId, m.Text, m.By.OrganisationId, m.At)], LastChangedAt = m.At },
            ReferralMessagesRead read => MarkRead(r, read),
            // The digest finds a referral by its pseudonymous reference: once the person is erased, nothing may.
            PersonalDataErased x => r with { ErasedAt = x.At, ReferenceDigest = null },
            ReferralArchived x => r with { ArchivedAt = x.At },
            _ => r,
        };
    }

    private static ReferralDetails MarkRead(ReferralDetails r, ReferralMessagesRead read)
    {
        var upTo = r.Messages.ToList().FindIndex(m => m.Id == read.UpToMessageId) + 1;
        return read.By.OrganisationId == r.SenderOrganisationId
            ? r with { ReadBySender = Math.Max(r.ReadBySender, upTo) }
            : r with { ReadByReceiver = Math.Max(r.ReadByReceiver, upTo) };
    }
}

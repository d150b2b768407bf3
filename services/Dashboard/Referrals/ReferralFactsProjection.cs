using Coordination.Contracts.Referrals;
using Coordination.Dashboard.Indicators;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// One <see cref="ReferralFacts"/> per referral. Messages may arrive out of order: the status follows the highest
/// source version, times are kept once set. After an erasure, whatever arrives keeps only what the totals need.
/// </summary>
public sealed partial class ReferralFactsProjection : SingleStreamProjection<ReferralFacts, Guid>
{
    public ReferralFactsProjection()
    {
        foreach (var type in typeof(IReferralEvent).Assembly.GetTypes().Where(type => type.IsClass && typeof(IReferralEvent).IsAssignableFrom(type)))
            IncludeType(type);
    }

    public override ReferralFacts? Evolve(ReferralFacts? snapshot, Guid id, IEvent stored)
    {
        if (stored.Data is not IReferralEvent contract) return snapshot;
        var facts = snapshot ?? new ReferralFacts(id, contract.SenderOrganisationId, contract.ReceiverOrganisationId, contract.Departement,
            contract.Urgency, "sent", 0, null, null, null, null, null, false, DateTimeOffset.MinValue);
        facts = facts with { LastEventAt = contract.OccurredAt > facts.LastEventAt ? contract.OccurredAt.ToUniversalTime() : facts.LastEventAt };
        (string? status, ReferralFacts updated) = contract switch
        {
            ReferralSent sent => ("sent", facts with
            {
                SentAt = facts.SentAt ?? sent.OccurredAt.ToUniversalTime(),
                AcknowledgeBy = sent.AcknowledgeBy.ToUniversalTime(),
                Situation = sent.Situation,
                Needs = [.. sent.Needs],
            }),
            ReferralAcknowledged acknowledged => ("acknowledged", facts with
            {
                AcknowledgedAt = facts.AcknowledgedAt ?? acknowledged.OccurredAt.ToUniversalTime(),
            }),
            ReferralPutOnHold => ("on-hold", facts),
            ReferralResumed => ("acknowledged", facts),
            // An answer (accept, decline, redirect) is also a pick-up, even if no separate acknowledgement came first.
            ReferralAccepted accepted => ("accepted", facts with
            {
                AcceptedAt = facts.AcceptedAt ?? accepted.OccurredAt,
                AcknowledgedAt = facts.AcknowledgedAt ?? accepted.OccurredAt.ToUniversalTime(),
            }),
            ReferralFirstContactRecorded contact => ("in-progress", facts with
            {
                FirstContactAt = facts.FirstContactAt ?? contact.ContactedAt.ToUniversalTime(),
            }),
            ReferralCompleted completed => ("completed", facts with
            {
                Outcome = completed.Outcome,
                CompletedAt = facts.CompletedAt ?? completed.OccurredAt.ToUniversalTime(),
            }),
            ReferralDeclined declined => ("declined", facts with
            {
                AcknowledgedAt = facts.AcknowledgedAt ?? declined.OccurredAt.ToUniversalTime(),
                DeclineReasons = [.. declined.Reasons],
            }),
            ReferralRedirected redirected => ("redirected", facts with
            {
                AcknowledgedAt = facts.AcknowledgedAt ?? redirected.OccurredAt.ToUniversalTime(),
            }),
            ReferralWithdrawn => ("withdrawn", facts),
            ReferralExpired => ("expired", facts),
            ReferralEnteredInError => ("entered-in-error", facts),
            ReferralOverdue => (null, facts with { Overdue = true }),
            ReferralPersonalDataErased => (null, facts with { Erased = true }),
            _ => (null, facts),
        };
        if (updated.Erased) updated = KeepingOnlyWhatTheTotalsNeed(updated);
        return status is not null && contract.SourceVersion > updated.StatusVersion
            ? updated with { Status = status, StatusVersion = contract.SourceVersion }
            : updated;
    }

    /// <summary>
    /// An erased hand-off still counts as one hand-off in its month, département, direction, urgency and answer; its
    /// situation, needs, decline reasons, outcome and every time finer than the day it was sent (Paris time) are
    /// dropped, as they are from its stored events (<c>ReferralErasure.sql</c>), so a rebuild gives the same.
    /// </summary>
    public static ReferralFacts KeepingOnlyWhatTheTotalsNeed(ReferralFacts facts) => facts with
    {
        SentAt = facts.SentAt is { } sent ? ParisTime.StartOf(ParisTime.DayOf(sent)) : null,
        AcknowledgeBy = null,
        AcknowledgedAt = null,
        AcceptedAt = null,
        FirstContactAt = null,
        CompletedAt = null,
        Situation = ReferralFacts.ErasedSituation,
        Needs = [],
        DeclineReasons = [],
        Outcome = null,
    };
}

using Coordination.Contracts.Referrals;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// What the indicators need of one referral, from the contracts the Dashboard stored (no person's data ever came
/// here). Messages may arrive out of order: the status follows the highest source version, times are kept once set.
/// </summary>
public sealed record ReferralFacts(
    Guid Id, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency, string Status, long StatusVersion,
    DateTimeOffset? SentAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt, string? Outcome,
    bool Overdue, DateTimeOffset LastEventAt, DateTimeOffset? AcknowledgeBy = null,
    string? Situation = null, string[]? Needs = null, string[]? DeclineReasons = null, DateTimeOffset? CompletedAt = null);

public sealed partial class ReferralFactsProjection : SingleStreamProjection<ReferralFacts, Guid>
{
    public ReferralFactsProjection()
    {
        foreach (var type in typeof(IReferralEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(IReferralEvent).IsAssignableFrom(t)))
            IncludeType(type);
    }

    public override ReferralFacts? Evolve(ReferralFacts? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not IReferralEvent contract) return snapshot;
        var f = snapshot ?? new ReferralFacts(id, contract.SenderOrganisationId, contract.ReceiverOrganisationId, contract.Departement,
            contract.Urgency, "sent", 0, null, null, null, null, null, false, DateTimeOffset.MinValue);
        f = f with { LastEventAt = contract.OccurredAt > f.LastEventAt ? contract.OccurredAt.ToUniversalTime() : f.LastEventAt };
        (string? status, ReferralFacts updated) = contract switch
        {
            ReferralSent s => ("sent", f with
            {
                SentAt = f.SentAt ?? s.OccurredAt.ToUniversalTime(), AcknowledgeBy = s.AcknowledgeBy.ToUniversalTime(),
                Situation = s.Situation, Needs = [.. s.Needs],
            }),
            ReferralAcknowledged a => ("acknowledged", f with { AcknowledgedAt = f.AcknowledgedAt ?? a.OccurredAt.ToUniversalTime() }),
            ReferralPutOnHold => ("on-hold", f),
            ReferralResumed => ("acknowledged", f),
            // An answer (accept, decline, redirect) is also a pick-up, even if no separate acknowledgement came first.
            ReferralAccepted a => ("accepted", f with { AcceptedAt = f.AcceptedAt ?? a.OccurredAt, AcknowledgedAt = f.AcknowledgedAt ?? a.OccurredAt.ToUniversalTime() }),
            ReferralFirstContactRecorded c => ("in-progress", f with { FirstContactAt = f.FirstContactAt ?? c.ContactedAt.ToUniversalTime() }),
            ReferralCompleted c => ("completed", f with { Outcome = c.Outcome, CompletedAt = f.CompletedAt ?? c.OccurredAt.ToUniversalTime() }),
            ReferralDeclined d => ("declined", f with { AcknowledgedAt = f.AcknowledgedAt ?? d.OccurredAt.ToUniversalTime(), DeclineReasons = [.. d.Reasons] }),
            ReferralRedirected d => ("redirected", f with { AcknowledgedAt = f.AcknowledgedAt ?? d.OccurredAt.ToUniversalTime() }),
            ReferralWithdrawn => ("withdrawn", f),
            ReferralExpired => ("expired", f),
            ReferralEnteredInError => ("entered-in-error", f),
            ReferralOverdue => (null, f with { Overdue = true }),
            _ => (null, f),
        };
        return status is not null && contract.SourceVersion > updated.StatusVersion
            ? updated with { Status = status, StatusVersion = contract.SourceVersion }
            : updated;
    }
}

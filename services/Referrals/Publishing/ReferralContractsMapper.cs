using Coordination.Contracts;
using Coordination.Referrals.GettingDetails;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Published = Coordination.Contracts.Referrals;

namespace Coordination.Referrals.Publishing;

/// <summary>
/// Every transition leaves the service as a contract with the organisations, département, urgency (and, on
/// sending, needs and situation category) — never the person's name, contact, free-text notes or messages.
/// </summary>
public sealed class ReferralContractsMapper : IIntegrationEventMapper
{
    public IReadOnlyCollection<Type> PublishedEventTypes { get; } =
    [
        typeof(ReferralSent), typeof(ReferralAcknowledged), typeof(ReferralPutOnHold), typeof(ReferralResumed),
        typeof(ReferralAccepted), typeof(ReferralDeclined), typeof(ReferralRedirected), typeof(FirstContactRecorded),
        typeof(ReferralCompleted), typeof(ReferralWithdrawn), typeof(ReferralExpired), typeof(ReferralOverdue),
        typeof(ReferralEnteredInError), typeof(PersonalDataErased), typeof(ReferralMessagePosted),
    ];

    public async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        var ids = page.Select(e => e.StreamId).Distinct().ToArray();
        var referrals = (await operations.LoadManyAsync<ReferralDetails>(ct, ids)).ToDictionary(r => r.Id);
        // The details are written inline with every event: one missing is a fault to see (the outbox sets the event
        // aside and /health says so), never a reason to drop a transition silently.
        return [.. page
            .Select(e => (Stored: e, Contract: Map(e, referrals.TryGetValue(e.StreamId, out var details)
                ? details
                : throw new InvalidOperationException($"Referral details missing for event #{e.Sequence}."))))
            .Where(m => m.Contract is not null)
            .Select(m => (m.Stored, m.Contract!))];
    }

    public static IIntegrationEvent? Map(IEvent stored, ReferralDetails r)
    {
        var (id, sender, receiver, departement, urgency, version) =
            (r.Id, r.SenderOrganisationId, r.ReceiverOrganisationId, r.Departement, Code(r.Urgency), stored.Version);
        return stored.Data switch
        {
            ReferralSent e => new Published.ReferralSent(id, sender, receiver, departement, urgency, Code(r.Situation), r.Needs,
                r.Person.MinorsInvolved, r.ConsentOverridden, e.AcknowledgeBy, e.ExpiresAt, r.RedirectedFrom, version, e.At),
            ReferralAcknowledged e => new Published.ReferralAcknowledged(id, sender, receiver, departement, urgency, version, e.At),
            ReferralPutOnHold e => new Published.ReferralPutOnHold(id, sender, receiver, departement, urgency, version, e.At),
            ReferralResumed e => new Published.ReferralResumed(id, sender, receiver, departement, urgency, version, e.At),
            ReferralAccepted e => new Published.ReferralAccepted(id, sender, receiver, departement, urgency, version, e.At),
            ReferralDeclined e => new Published.ReferralDeclined(id, sender, receiver, departement, urgency,
                [.. e.Reasons.Select(Code)], Code(e.DeclinedBy), version, e.At),
            ReferralRedirected e => new Published.ReferralRedirected(id, sender, receiver, departement, urgency,
                e.NewReferralId, e.NewReceiverOrganisationId, version, e.At),
            FirstContactRecorded e => new Published.ReferralFirstContactRecorded(id, sender, receiver, departement, urgency, e.ContactedAt, version, e.At),
            ReferralCompleted e => new Published.ReferralCompleted(id, sender, receiver, departement, urgency, Code(e.Outcome), version, e.At),
            ReferralWithdrawn e => new Published.ReferralWithdrawn(id, sender, receiver, departement, urgency, version, e.At),
            ReferralExpired e => new Published.ReferralExpired(id, sender, receiver, departement, urgency, version, e.At),
            ReferralOverdue e => new Published.ReferralOverdue(id, sender, receiver, departement, urgency, e.Deadline, version, e.At),
            ReferralEnteredInError e => new Published.ReferralEnteredInError(id, sender, receiver, departement, urgency, version, e.At),
            PersonalDataErased e => new Published.ReferralPersonalDataErased(id, sender, receiver, departement, urgency, version, e.At),
            ReferralMessagePosted e => new Published.ReferralMessagePosted(id, sender, receiver, departement, urgency, e.MessageId, e.By.OrganisationId, version, e.At),
            _ => null,
        };
    }

    public static string Code<T>(T value) where T : struct, Enum => ContractCodes.Of(value);
}

// The namespace is part of each message's identity on the bus: never move this type.
namespace Coordination.Contracts.Referrals;

/// <summary>
/// The person's data was erased in Referrals (right to erasure): a consumer keeps of this referral only what its
/// aggregates need and drops the rest (situation, needs, decline reasons, outcome, timings). Carries nothing more
/// than any referral contract: not the ground, not who asked.
/// </summary>
public sealed record ReferralPersonalDataErased(
    Guid ReferralId, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement, string Urgency,
    long SourceVersion, DateTimeOffset OccurredAt) : IReferralEvent
{
    public Guid SourceStreamId => ReferralId;
}

using Coordination.DirectoryView;
using Coordination.Referrals.Deadlines;

namespace Coordination.Referrals.Sending;

public sealed record SendReferral(Party By, (DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt) Deadlines, DateTimeOffset At);

public static class SendReferralEndpoint
{
    public static readonly ReferralAction Action =
        new("sending", probe => Decide(new SendReferral(probe.By, (probe.Now, probe.Now), probe.Now), probe.State, probe.Receiver));

    public static IReadOnlyList<object> Decide(SendReferral command, Referral state, KnownOrganisation? receiver)
    {
        state.EnsureSender(command.By, "envoyer l'orientation");
        state.EnsureStatus("envoyer l'orientation", ReferralStatus.Draft);
        if (!state.ConsentRecorded && !state.ConsentOverridden)
            throw new BusinessRuleViolation("Une orientation ne peut pas être envoyée sans le consentement recueilli de la personne.");
        if (receiver is not { CanReceiveReferrals: true })
            throw new BusinessRuleViolation("L'organisation destinataire n'accepte pas d'orientations actuellement : choisissez-en une autre.");
        return [new ReferralSent(state.Id, command.Deadlines.AcknowledgeBy, command.Deadlines.ExpiresAt, command.By, command.At)];
    }

    public static RouteGroupBuilder MapSendReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/sending", async (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, DeadlinePolicy deadlines, CancellationToken ct) =>
            {
                var referral = await session.Events.FetchLatest<Referral>(id, ct);
                var receiver = referral is null ? null : await session.LoadAsync<KnownOrganisation>(referral.ReceiverOrganisationId, ct);
                return await ReferralCommand.Execute(id, expected, http, session, (state, actor) =>
                {
                    var now = time.GetUtcNow();
                    return Decide(new SendReferral(actor, deadlines.For(state.Urgency, state.Departement, now), now), state, receiver);
                }, ct);
            })
            .WithName("SendReferral")
            .WithSummary("Send a draft: needs the person's recorded consent and a receiver that takes referrals now.");
        return group;
    }
}

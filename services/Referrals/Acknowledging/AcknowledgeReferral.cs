namespace Coordination.Referrals.Acknowledging;

public sealed record AcknowledgeReferral(Party By, DateTimeOffset At);

public static class AcknowledgeReferralEndpoint
{
    public static readonly ReferralAction Action =
        new("acknowledgement", probe => Decide(new AcknowledgeReferral(probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(AcknowledgeReferral command, Referral state)
    {
        state.EnsureReceiver(command.By, "prendre en compte l'orientation");
        state.EnsureStatus("prendre en compte l'orientation", ReferralStatus.Sent);
        return [new ReferralAcknowledged(state.Id, command.By, command.At)];
    }

    public static RouteGroupBuilder MapAcknowledgeReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/acknowledgement", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new AcknowledgeReferral(actor, time.GetUtcNow()), state), ct))
            .WithName("AcknowledgeReferral")
            .WithSummary("The receiver has seen the referral and is looking at it (stops the acknowledgement clock).");
        return group;
    }
}

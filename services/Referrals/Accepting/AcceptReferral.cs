namespace Coordination.Referrals.Accepting;

public sealed record AcceptReferral(Party By, DateTimeOffset At);

public static class AcceptReferralEndpoint
{
    public static readonly ReferralAction Action = new("acceptance", probe => Decide(new AcceptReferral(probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(AcceptReferral command, Referral state)
    {
        state.EnsureReceiver(command.By, "accepter l'orientation");
        state.EnsureStatus("accepter l'orientation", ReferralStatus.Sent, ReferralStatus.Acknowledged, ReferralStatus.OnHold);
        // Accepting straight away also acknowledges: the sender sees one clear answer.
        return state.Status == ReferralStatus.Sent
            ? [new ReferralAcknowledged(state.Id, command.By, command.At), new ReferralAccepted(state.Id, command.By, command.At)]
            : [new ReferralAccepted(state.Id, command.By, command.At)];
    }

    public static RouteGroupBuilder MapAcceptReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/acceptance", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new AcceptReferral(actor, time.GetUtcNow()), state), ct))
            .WithName("AcceptReferral")
            .WithSummary("The receiver takes the person on.");
        return group;
    }
}

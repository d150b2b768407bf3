namespace Coordination.Referrals.Withdrawing;

public sealed record WithdrawReferralRequest(string? Reason);

public sealed record WithdrawReferral(string Reason, Party By, DateTimeOffset At);

public static class WithdrawReferralEndpoint
{
    public static readonly ReferralAction Action = new("withdrawal", probe => Decide(new WithdrawReferral("", probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(WithdrawReferral command, Referral state)
    {
        state.EnsureSender(command.By, "retirer l'orientation");
        state.EnsureStatus("retirer l'orientation", ReferralStatus.Draft, ReferralStatus.Sent, ReferralStatus.Acknowledged,
            ReferralStatus.OnHold, ReferralStatus.Accepted);
        return [new ReferralWithdrawn(state.Id, command.Reason, command.By, command.At)];
    }

    public static RouteGroupBuilder MapWithdrawReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/withdrawal", (Guid id, WithdrawReferralRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                ReferralCommand.ExecuteWithSealedText(id, request.Reason, "reason", 1000, expected, http, session, time,
                    (state, actor, reason) => Decide(new WithdrawReferral(reason, actor, time.GetUtcNow()), state), ct))
            .WithName("WithdrawReferral")
            .WithSummary("The sender takes the referral back (reason required) before the person is contacted.");
        return group;
    }
}

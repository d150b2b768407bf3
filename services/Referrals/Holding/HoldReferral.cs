namespace Coordination.Referrals.Holding;

public sealed record PutReferralOnHoldRequest(string? Reason);

public sealed record PutReferralOnHold(string Reason, Party By, DateTimeOffset At);

public sealed record ResumeReferral(Party By, DateTimeOffset At);

/// <summary>Waiting for the person or for information (ask for it with a message); resuming goes back to "acknowledged".</summary>
public static class HoldReferralEndpoints
{
    public static readonly ReferralAction HoldAction =
        new("hold", probe => Decide(new PutReferralOnHold("", probe.By, probe.Now), probe.State));

    public static readonly ReferralAction ResumeAction = new("resumption", probe => Decide(new ResumeReferral(probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(PutReferralOnHold command, Referral state)
    {
        state.EnsureReceiver(command.By, "mettre l'orientation en attente");
        state.EnsureStatus("mettre l'orientation en attente", ReferralStatus.Sent, ReferralStatus.Acknowledged);
        return [new ReferralPutOnHold(state.Id, command.Reason, command.By, command.At)];
    }

    public static IReadOnlyList<object> Decide(ResumeReferral command, Referral state)
    {
        state.EnsureReceiver(command.By, "reprendre l'orientation");
        state.EnsureStatus("reprendre l'orientation", ReferralStatus.OnHold);
        return [new ReferralResumed(state.Id, command.By, command.At)];
    }

    public static RouteGroupBuilder MapHoldReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/hold", (Guid id, PutReferralOnHoldRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                ReferralCommand.ExecuteWithSealedText(id, request.Reason, "reason", 1000, expected, http, session, time,
                    (state, actor, reason) => Decide(new PutReferralOnHold(reason, actor, time.GetUtcNow()), state), ct))
            .WithName("PutReferralOnHold")
            .WithSummary("Wait for the person or for information (reason required).");
        group.MapPost("/{id:guid}/resumption", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new ResumeReferral(actor, time.GetUtcNow()), state), ct))
            .WithName("ResumeReferral")
            .WithSummary("End the wait: back to acknowledged.");
        return group;
    }
}

namespace Coordination.Referrals.EnteringInError;

public sealed record EnterReferralInErrorRequest(string? Reason);

public sealed record EnterReferralInError(string Reason, Party By, DateTimeOffset At);

public static class EnterReferralInErrorEndpoint
{
    public static readonly ReferralAction Action =
        new("entered-in-error", probe => Decide(new EnterReferralInError("", probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(EnterReferralInError command, Referral state)
    {
        state.EnsureSender(command.By, "marquer l'orientation comme saisie par erreur");
        if (state.Status == ReferralStatus.EnteredInError)
            throw new BusinessRuleViolation("L'orientation est déjà marquée comme saisie par erreur.");
        return [new ReferralEnteredInError(state.Id, command.Reason, command.By, command.At)];
    }

    public static RouteGroupBuilder MapEnterReferralInError(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/entered-in-error", (Guid id,
                EnterReferralInErrorRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                ReferralCommand.ExecuteWithSealedText(id, request.Reason, "reason", 1000, expected, http, session, time,
                    (state, actor, reason) => Decide(new EnterReferralInError(reason, actor, time.GetUtcNow()), state), ct))
            .WithName("EnterReferralInError")
            .WithSummary("The sender marks a referral created by mistake (wrong person, duplicate); it leaves every list.");
        return group;
    }
}

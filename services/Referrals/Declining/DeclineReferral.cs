namespace Coordination.Referrals.Declining;

public sealed record DeclineReferralRequest(IReadOnlyList<DeclineReason>? Reasons, string? Message, DeclinedBy? DeclinedBy);

public sealed record DeclineReferral(IReadOnlyList<DeclineReason> Reasons, string Message, DeclinedBy DeclinedBy, Party By, DateTimeOffset At);

public static class DeclineReferralEndpoint
{
    public static readonly ReferralAction Action = new("decline", probe =>
        Decide(new DeclineReferral([DeclineReason.Other], "", DeclinedBy.Organisation, probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(DeclineReferral command, Referral state)
    {
        state.EnsureReceiver(command.By, "refuser l'orientation");
        state.EnsureStatus("refuser l'orientation",
            ReferralStatus.Sent, ReferralStatus.Acknowledged, ReferralStatus.OnHold, ReferralStatus.Accepted);
        return [new ReferralDeclined(state.Id, command.Reasons, command.Message, command.DeclinedBy, command.By, command.At)];
    }

    public static RouteGroupBuilder MapDeclineReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/decline", async Task<Results<NoContent, ValidationProblem>> (Guid id, DeclineReferralRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var errors = new Drafting.ReferralValidation();
                if (request.Reasons is null || request.Reasons.Count == 0)
                    errors.Add("reasons", "Indiquez au moins un motif de refus.");
                var message = errors.Text(request.Message, "message", 2000, required: true);
                if (request.DeclinedBy is null)
                    errors.Add("declinedBy", "Précisez qui refuse : organisation ou person.");
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);
                var sealer = await Privacy.Sealer.ForReferral(session, id, time.GetUtcNow(), ct);
                return await ReferralCommand.Execute(id, expected, http, session, (state, actor) => Decide(
                    new DeclineReferral([.. request.Reasons!.Distinct()], sealer.Seal(message!), request.DeclinedBy!.Value, actor, time.GetUtcNow()), state), ct);
            })
            .WithName("DeclineReferral")
            .WithSummary("Decline with reason codes and a message (both required); the receiver then loses the person's identity.");
        return group;
    }
}

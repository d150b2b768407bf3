namespace Coordination.Referrals.Completing;

public sealed record CompleteReferralRequest(Outcome? Outcome, string? Note);

public sealed record CompleteReferral(Outcome Outcome, string? Note, Party By, DateTimeOffset At);

public static class CompleteReferralEndpoint
{
    /// <summary>Probed with an outcome open in every closable status: whether closing is possible at all.</summary>
    public static readonly ReferralAction Action =
        new("completion", probe => Decide(new CompleteReferral(Outcome.CouldNotContact, null, probe.By, probe.Now), probe.State));

    /// <summary>Without a first contact, only these outcomes make sense.</summary>
    private static readonly Outcome[] WithoutContact = [Outcome.CouldNotContact, Outcome.PersonNoLongerWishesSupport];

    public static IReadOnlyList<object> Decide(CompleteReferral command, Referral state)
    {
        state.EnsureReceiver(command.By, "clôturer l'orientation");
        state.EnsureStatus("clôturer l'orientation", ReferralStatus.Accepted, ReferralStatus.InProgress);
        if (state.Status == ReferralStatus.Accepted && !WithoutContact.Contains(command.Outcome))
            throw new BusinessRuleViolation(
                "Sans premier contact enregistré, l'orientation ne peut être clôturée qu'avec « couldNotContact » ou « personNoLongerWishesSupport ».");
        return [new ReferralCompleted(state.Id, command.Outcome, command.Note, command.By, command.At)];
    }

    public static RouteGroupBuilder MapCompleteReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/completion", async Task<Results<NoContent, ValidationProblem>> (Guid id, CompleteReferralRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var errors = new Drafting.ReferralValidation();
                if (request.Outcome is null) errors.Add("outcome", "Indiquez le résultat de l'accompagnement.");
                var note = errors.Text(request.Note, "note", 2000, required: false);
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);
                var sealer = await Privacy.Sealer.ForReferral(session, id, time.GetUtcNow(), ct);
                return await ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new CompleteReferral(request.Outcome!.Value, sealer.SealOrNull(note), actor, time.GetUtcNow()), state), ct);
            })
            .WithName("CompleteReferral")
            .WithSummary("Close the loop with an outcome.");
        return group;
    }
}

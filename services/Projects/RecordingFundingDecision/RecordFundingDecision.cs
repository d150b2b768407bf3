namespace Coordination.Projects.RecordingFundingDecision;

public sealed record FundingDecisionRequest(FundingDecision? Decision, decimal? AmountGranted, DateOnly? DecisionDate, string? Justification);

public sealed record RecordFundingDecision(
    Guid LineId, FundingDecision Decision, decimal? AmountGranted, DateOnly DecisionDate, string? Justification, CurrentUser By, DateTimeOffset At);

public static class RecordFundingDecisionEndpoint
{
    public static IReadOnlyList<object> Decide(RecordFundingDecision command, Project project)
    {
        project.EnsureMayChange(command.By);
        var line = project.Funding.FirstOrDefault(f => f.LineId == command.LineId)
            ?? throw new ResourceNotFound("Aucune ligne de financement avec cet identifiant.");
        var (decision, granted) = (command.Decision, command.AmountGranted);
        if (decision == FundingDecision.Granted && granted is not > 0m)
            throw new BusinessRuleViolation("Un financement accordé a un montant positif.");
        if (decision != FundingDecision.Granted && granted is not null)
            throw new BusinessRuleViolation("Seul un financement accordé a un montant accordé.");
        if (granted > line.AmountRequested && string.IsNullOrWhiteSpace(command.Justification))
            throw new BusinessRuleViolation("Le montant accordé dépasse le montant demandé : justifiez-le.");
        return [new FundingDecisionRecorded(project.Id, line.LineId, decision, granted, command.DecisionDate, command.Justification, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapRecordFundingDecision(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/funding-lines/{lineId:guid}/decision", async Task<Results<NoContent, ValidationProblem>> (Guid id, Guid lineId,
                FundingDecisionRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
                CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                if (request.Decision is null) validation.Add("decision", "Indiquez la décision : pending, granted ou refused.");
                validation.Money(request.AmountGranted, "amountGranted", required: false);
                if (request.DecisionDate is null) validation.Add("decisionDate", "Indiquez la date de la décision.");
                var justification = validation.Text(request.Justification, "justification", 1000, required: false);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await ProjectCommand.Execute(id, expected, http, session, (project, user) => Decide(new RecordFundingDecision(lineId,
                    request.Decision!.Value, request.AmountGranted, request.DecisionDate!.Value, justification, user, time.GetUtcNow()), project), ct);
            })
            .WithName("RecordFundingDecision").WithSummary("The funder's decision; granted more than requested needs a justification (If-Match).");
        return group;
    }
}

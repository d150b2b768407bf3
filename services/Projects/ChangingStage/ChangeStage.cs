namespace Coordination.Projects.ChangingStage;

public sealed record ChangeStageRequest(Stage? Stage, string? Reason, DateOnly? StartDate);

public sealed record ChangeStage(Stage To, string? Reason, DateOnly? StartDate, CurrentUser By, DateTimeOffset At);

public static class ChangeStageEndpoint
{
    /// <summary>Whatever the target: the caller may change the project, and it has not ended.</summary>
    public static void Guard(Project project, CurrentUser by)
    {
        project.EnsureMayChange(by);
        if (project.IsEnded) throw new BusinessRuleViolation("Ce projet est terminé (évalué ou abandonné) : son étape ne change plus.");
    }

    /// <summary>Forward one stage at a time (its prerequisites checked), back with a reason, or abandon with a reason.</summary>
    public static IReadOnlyList<object> Decide(ChangeStage command, Project project)
    {
        Guard(project, command.By);
        var (to, reason) = (command.To, command.Reason);
        if (to == project.Stage) return [];
        if (to == Stage.Abandoned || to < project.Stage)
            return string.IsNullOrWhiteSpace(reason)
                ? throw new BusinessRuleViolation(to == Stage.Abandoned
                    ? "Indiquez pourquoi le projet est abandonné."
                    : "Revenir à une étape précédente demande une raison.")
                : [new StageChanged(project.Id, project.Stage, to, reason, null, command.By.UserId, command.At)];
        if (to != project.Stage + 1)
            throw new BusinessRuleViolation("Un projet avance d'une étape à la fois.");
        var startDate = command.StartDate ?? project.StartDate;
        switch (to)
        {
            case Stage.ConventionSigned when project.Funding.All(f => f.Decision != FundingDecision.Granted):
                throw new BusinessRuleViolation("Une convention signée suppose au moins un financement accordé.");
            case Stage.ConventionSigned when !project.Partners.Any(partner => partner.Signatory):
                throw new BusinessRuleViolation("Une convention signée suppose d'indiquer les partenaires signataires.");
            case Stage.Launched when startDate is null:
                throw new BusinessRuleViolation("Le lancement demande une date de démarrage.");
        }
        return [new StageChanged(project.Id, project.Stage, to, reason, to == Stage.Launched ? startDate : null, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapChangeStage(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/stage", async Task<Results<NoContent, ValidationProblem>> (Guid id, ChangeStageRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.Stage is not { } stage)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["stage"] = ["Indiquez l'étape visée."] });
                return await ProjectCommand.Execute(id, expected, http, session, (project, user) =>
                    Decide(new ChangeStage(stage, request.Reason?.Trim(), request.StartDate, user, time.GetUtcNow()), project), ct);
            })
            .WithName("ChangeProjectStage")
            .WithSummary("Move forward one stage (its prerequisites checked), back with a reason, or abandon with a reason (If-Match).");
        return group;
    }
}

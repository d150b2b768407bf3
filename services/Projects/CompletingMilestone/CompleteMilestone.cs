namespace Coordination.Projects.CompletingMilestone;

public sealed record CompleteMilestoneRequest(DateOnly? CompletedOn);

public sealed record CompleteMilestone(Guid MilestoneId, DateOnly CompletedOn, CurrentUser By, DateTimeOffset At);

public static class CompleteMilestoneEndpoint
{
    /// <summary>Done once: completing it again changes nothing.</summary>
    public static IReadOnlyList<object> Decide(CompleteMilestone command, Project project)
    {
        project.EnsureMayChange(command.By);
        var milestone = project.Milestones.FirstOrDefault(m => m.MilestoneId == command.MilestoneId)
            ?? throw new ResourceNotFound("Aucune étape-clé avec cet identifiant.");
        return milestone.CompletedOn is not null
            ? []
            : [new MilestoneCompleted(project.Id, milestone.MilestoneId, command.CompletedOn, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapCompleteMilestone(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/milestones/{milestoneId:guid}/completion", (Guid id, Guid milestoneId, CompleteMilestoneRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                ProjectCommand.Execute(id, expected, http, session, (project, user) => Decide(new CompleteMilestone(milestoneId,
                    request.CompletedOn ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), user, time.GetUtcNow()), project), ct))
            .WithName("CompleteMilestone").WithSummary("Mark a milestone done (If-Match).");
        return group;
    }
}

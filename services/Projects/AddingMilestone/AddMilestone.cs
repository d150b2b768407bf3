namespace Coordination.Projects.AddingMilestone;

public sealed record AddMilestoneRequest(string? Title, DateOnly? DueDate);

public sealed record AddMilestone(Milestone Milestone, CurrentUser By, DateTimeOffset At);

public static class AddMilestoneEndpoint
{
    public static IReadOnlyList<object> Decide(AddMilestone command, Project project)
    {
        project.EnsureMayChange(command.By);
        return [new MilestoneAdded(project.Id, command.Milestone, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapAddMilestone(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/milestones", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddMilestoneRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                var title = validation.Text(request.Title, "title", 200, required: true);
                if (request.DueDate is null) validation.Add("dueDate", "Indiquez l'échéance.");
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var milestone = new Milestone(Guid.CreateVersion7(), title!, request.DueDate!.Value, null, false);
                return await ProjectCommand.Execute(id, expected, http, session,
                    (project, user) => Decide(new AddMilestone(milestone, user, time.GetUtcNow()), project), ct);
            })
            .WithName("AddMilestone").WithSummary("A milestone with its due date (If-Match).");
        return group;
    }
}

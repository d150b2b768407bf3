namespace Coordination.Projects.SupportRequests.Assigning;

public sealed record AssignRequest(string? CoordinatorUserId);

public sealed record AssignSupportRequest(string CoordinatorUserId, CurrentUser By, DateTimeOffset At);

public static class AssignSupportRequestEndpoint
{
    public static IReadOnlyList<object> Decide(AssignSupportRequest command, SupportRequestDetails request)
    {
        if (!command.By.IsCoordinatorOrAdmin) throw new AccessDenied("Réservé aux coordinateurs nationaux.");
        return [new SupportRequestAssigned(request.Id, command.CoordinatorUserId, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapAssignSupportRequest(this RouteGroupBuilder group)
    {
        group.MapPost("/support-requests/{id:guid}/assignment", async Task<Results<NoContent, ValidationProblem>> (Guid id, AssignRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                var coordinator = validation.Text(request.CoordinatorUserId, "coordinatorUserId", 200, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await SupportRequestCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(new AssignSupportRequest(coordinator!, user, time.GetUtcNow()), state), ct);
            })
            .RequireAuthorization(Policies.Coordinators)
            .WithName("AssignSupportRequest").WithSummary("Give the request to a coordinator (If-Match).");
        return group;
    }
}

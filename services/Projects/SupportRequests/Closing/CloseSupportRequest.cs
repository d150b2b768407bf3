namespace Coordination.Projects.SupportRequests.Closing;

public sealed record CloseSupportRequest(CurrentUser By, DateTimeOffset At);

public static class CloseSupportRequestEndpoint
{
    public static IReadOnlyList<object> Decide(CloseSupportRequest command, SupportRequestDetails request) =>
        request.Status == SupportStatus.Closed
            ? throw new BusinessRuleViolation("Cette demande est déjà close.")
            : [new SupportRequestClosed(request.Id, command.By.UserId, command.At)];

    public static RouteGroupBuilder MapCloseSupportRequest(this RouteGroupBuilder group)
    {
        group.MapPost("/support-requests/{id:guid}/closing", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                SupportRequestCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(new CloseSupportRequest(user, time.GetUtcNow()), state), ct))
            .WithName("CloseSupportRequest").WithSummary("Close the request (its organisation or a coordinator; If-Match).");
        return group;
    }
}

namespace Coordination.Projects.SupportRequests.Posting;

public sealed record SupportMessageRequest(string? Text);

public sealed record PostSupportMessage(string Text, CurrentUser By, DateTimeOffset At);

public static class PostSupportMessageEndpoint
{
    /// <summary>The first coordinator message answers the request.</summary>
    public static IReadOnlyList<object> Decide(PostSupportMessage command, SupportRequestDetails request)
    {
        if (request.Status == SupportStatus.Closed) throw new BusinessRuleViolation("Cette demande est close.");
        var by = command.By;
        return [new SupportMessagePosted(request.Id, new SupportMessage(command.Text, by.UserId, by.IsCoordinatorOrAdmin, command.At))];
    }

    public static RouteGroupBuilder MapPostSupportMessage(this RouteGroupBuilder group)
    {
        group.MapPost("/support-requests/{id:guid}/messages", async Task<Results<NoContent, ValidationProblem>> (Guid id,
                SupportMessageRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
                CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                var text = validation.Text(request.Text, "text", 4000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await SupportRequestCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(new PostSupportMessage(text!, user, time.GetUtcNow()), state), ct);
            })
            .WithName("PostSupportMessage").WithSummary("Write in the thread; the first coordinator message answers the request (If-Match).");
        return group;
    }
}

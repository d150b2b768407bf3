namespace Coordination.Projects.SupportRequests.GettingDetails;

public static class GetSupportRequest
{
    public static RouteGroupBuilder MapGetSupportRequest(this RouteGroupBuilder group)
    {
        group.MapGet("/support-requests/{id:guid}", async Task<Results<Ok<SupportRequestDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var request = await session.LoadAsync<SupportRequestDetails>(id, ct);
                if (request is null || !request.IsVisibleTo(CurrentUser.From(http.User)))
                    return Problems.NotFound(SupportRequestCommand.NotFound);
                http.Response.SetETag((await session.Events.FetchStreamStateAsync(id, ct))!.Version);
                return TypedResults.Ok(request);
            })
            .WithName("GetSupportRequest").WithSummary("A support request and its thread.");
        return group;
    }
}

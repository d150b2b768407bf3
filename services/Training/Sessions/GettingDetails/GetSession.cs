namespace Coordination.Training.Sessions.GettingDetails;

public static class GetSession
{
    public static RouteGroupBuilder MapGetSession(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions/{id:guid}", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (Guid id, HttpContext http,
                IQuerySession session, TimeProvider time, CancellationToken ct) =>
            {
                var details = await session.LoadAsync<SessionDetails>(id, ct);
                if (details is null) return Problems.NotFound(SessionRules.NotFound);
                http.Response.SetETag(details.Version);
                return TypedResults.Ok(SessionView.For(details, CurrentUser.From(http.User), time.GetUtcNow()));
            })
            .WithName("GetTrainingSession").WithSummary("One session: counts, your own place and the actions you may take; no names.");
        return group;
    }
}

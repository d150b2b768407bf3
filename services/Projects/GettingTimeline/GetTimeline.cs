namespace Coordination.Projects.GettingTimeline;

public sealed record TimelineEntry(long Version, string Event, DateTimeOffset At, string? By);

public static class GetTimeline
{
    public static RouteGroupBuilder MapGetTimeline(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/timeline", async Task<Results<Ok<List<TimelineEntry>>, ProblemHttpResult>> (Guid id, HttpContext http,
                IQuerySession session, CancellationToken ct) =>
            {
                // Who did what and when: for the project's organisations and the coordinators; to anyone else it does not exist.
                var project = await session.LoadAsync<Project>(id, ct);
                if (project is null || !project.Involves(CurrentUser.From(http.User))) return Problems.NotFound(ProjectRules.NotFound);
                var events = await session.Events.FetchStreamAsync(id, token: ct);
                return TypedResults.Ok(events.Select(e => new TimelineEntry(e.Version, e.EventTypeName, e.Timestamp, e.UserName)).ToList());
            })
            .WithName("GetProjectTimeline").WithSummary("Every step of a project: what, when, who (its organisations, coordinators).");
        return group;
    }
}

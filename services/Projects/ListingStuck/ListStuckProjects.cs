using Coordination.Projects.GettingDetails;

namespace Coordination.Projects.ListingStuck;

public static class ListStuckProjects
{
    public static RouteGroupBuilder MapListStuckProjects(this RouteGroupBuilder group)
    {
        group.MapGet("/stuck", Handle).WithName("GetStuckProjects").WithSummary("Projects with no event for a number of days (default 60).");
        return group;
    }

    private static async Task<Ok<List<ProjectView>>> Handle(HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct,
        int days = 60)
    {
        var before = time.GetUtcNow().AddDays(-Math.Clamp(days, 1, 3650));
        var stuck = await session.Query<Project>()
            .Where(p => p.LastEventAt < before && p.Stage != Stage.Evaluated && p.Stage != Stage.Abandoned)
            .OrderBy(p => p.LastEventAt).Take(500).ToListAsync(ct);
        var user = CurrentUser.From(http.User);
        return TypedResults.Ok(stuck.Select(p => ProjectView.Of(p, 0, user)).ToList());
    }
}

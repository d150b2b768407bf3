using Coordination.Training.Sessions.GettingDetails;

namespace Coordination.Training.Sessions.ListingMine;

public static class ListMyRegistrations
{
    public static RouteGroupBuilder MapListMyRegistrations(this RouteGroupBuilder group)
    {
        group.MapGet("/registrations/mine", async (HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var mine = await session.Query<SessionDetails>()
                    .Where(s => s.Registered.Any(p => p.UserId == user.UserId) || s.Waitlist.Any(p => p.UserId == user.UserId))
                    .OrderBy(s => s.StartsAt).ToListAsync(ct);
                var now = time.GetUtcNow();
                return TypedResults.Ok(mine.Select(s => SessionView.For(s, user, now)).ToList());
            })
            .WithName("GetMyTrainingRegistrations").WithSummary("The sessions you are registered or waitlisted for.");
        return group;
    }
}

using Coordination.Training.Sessions.GettingDetails;

namespace Coordination.Training.Sessions.GettingRoster;

public static class GetRoster
{
    public static RouteGroupBuilder MapGetRoster(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions/{id:guid}/roster", async Task<Results<Ok<SessionDetails>, ProblemHttpResult>> (Guid id, HttpContext http,
                IQuerySession session, CancellationToken ct) =>
            {
                var details = await session.LoadAsync<SessionDetails>(id, ct);
                if (details is null) return Problems.NotFound(SessionRules.NotFound);
                // The session itself is public to everyone signed in: refusing its names tells nothing new.
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && details.Trainers.All(t => t.UserId != user.UserId))
                    return Problems.Forbidden("La liste des participants est réservée aux formateurs et aux coordinateurs.");
                http.Response.SetETag(details.Version);
                return TypedResults.Ok(details);
            })
            .WithName("GetTrainingSessionRoster").WithSummary("Participants, waiting list, attendance and evaluations (trainers, coordinators).");
        return group;
    }
}

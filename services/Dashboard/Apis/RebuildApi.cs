using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Rebuilding;
using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.Security;

namespace Coordination.Dashboard.Apis;

/// <summary>
/// Rebuild every view of the Dashboard by replaying the streams it stored (never by asking the other services):
/// after a change to a projection's code, or to check that the figures are what the events say. A job: the request
/// answers 202 at once with where to follow it; the replay runs in the background (<see cref="RebuildRunner"/>).
/// </summary>
public static class RebuildApi
{
    public static readonly Type[] Projections =
    [
        typeof(ParticipatingOrganisationProjection), typeof(ReferralFactsProjection),
        typeof(Training.TrainingSessionFactsProjection), typeof(Training.JointInterventionFactsProjection),
        typeof(Projects.ProjectFactsProjection), typeof(Projects.SupportRequestFactsProjection),
        typeof(Aids.KnownAidProjection),
    ];

    public const string JobsPath = "/api/dashboard/admin/rebuilds";

    public static IEndpointRouteBuilder MapRebuildApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dashboard/admin/rebuild", async Task<IResult> (RebuildRunner runner, TimeProvider time, CancellationToken ct) =>
                await runner.StartOrGetRunningAsync(ct) is { } job
                    ? TypedResults.Accepted($"{JobsPath}/{job.Id}", RebuildJobAnswer.Of(job, time.GetUtcNow()))
                    : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                        detail: "Une reconstruction démarre sur une autre instance : réessayez dans un instant."))
            .RequireAuthorization(Policies.Jobs)
            .WithName("RebuildDashboard")
            .WithSummary("Start rebuilding the Dashboard's views from its stored event streams, or get the rebuild already running (admins and jobs).");

        app.MapGet(JobsPath + "/{id:guid}", async Task<IResult> (Guid id, RebuildRunner runner, TimeProvider time, CancellationToken ct) =>
                await runner.FindAsync(id, ct) is { } job
                    ? TypedResults.Ok(RebuildJobAnswer.Of(job, time.GetUtcNow()))
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Aucune reconstruction ne porte cet identifiant."))
            .RequireAuthorization(Policies.Jobs)
            .WithName("GetDashboardRebuild")
            .WithSummary("A rebuild's progress, pace (events/s), time left and result (admins and jobs).");
        return app;
    }
}

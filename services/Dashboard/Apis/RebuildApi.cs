using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.Security;
using JasperFx.Events.Daemon;

namespace Coordination.Dashboard.Apis;

/// <summary>
/// Rebuild every view of the Dashboard by replaying the streams it stored (never by asking the other services):
/// after a change to a projection's code, or to check that the figures are what the events say.
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

    public static IEndpointRouteBuilder MapRebuildApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dashboard/admin/rebuild", async (IProjectionCoordinator coordinator, Indicators.IndicatorCache cache, Npgsql.NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
            {
                var started = time.GetTimestamp();
                var daemon = coordinator.DaemonForMainDatabase();
                // The monthly totals are recounted once at the end rather than kept row by row during the replay.
                await ReferralMonthRollup.SuspendAsync(db, ct);
                try
                {
                    foreach (var projection in Projections)
                        await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(10), ct);
                }
                finally
                {
                    await ReferralMonthRollup.ResumeAsync(db, CancellationToken.None);
                    cache.Clear();
                }
                return TypedResults.Ok(new { rebuilt = Projections.Select(p => p.Name), seconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 2) });
            })
            .RequireAuthorization(Policies.Jobs)
            .WithName("RebuildDashboard")
            .WithTags("Operations")
            .WithSummary("Rebuild the Dashboard's views from its stored event streams (admins and jobs).");
        return app;
    }
}

namespace Coordination.Referrals.Demo;

/// <summary>
/// The demo's clock: real time shifted by an offset the demo seeder sets, so that it can hand people off "40 days ago"
/// through the same API and let the deadline watcher find them overdue or expired once the clock is back to now.
/// Registered only with <c>Referrals:DemoClock:Enabled</c> (set by <c>./coordination up</c>, never in production).
/// </summary>
public sealed class DemoClock(TimeProvider inner) : TimeProvider
{
    public static readonly TimeSpan MaxShift = TimeSpan.FromDays(400);

    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Shift(TimeSpan offset) => Interlocked.Exchange(ref offsetTicks, offset.Ticks);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;
}

public sealed record DemoClockRequest(TimeSpan? Offset);

public sealed record DemoClockState(TimeSpan Offset, DateTimeOffset Now);

public static class DemoClockSetup
{
    public const string EnabledKey = "Referrals:DemoClock:Enabled";

    public static IHostApplicationBuilder AddDemoClockIfEnabled(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(EnabledKey)) return builder;
        var clock = new DemoClock(TimeProvider.System);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        // Tokens are checked against real time: a shifted clock must not make every token "not yet valid".
        builder.Services.PostConfigureAll<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>(options => options.TimeProvider = TimeProvider.System);
        return builder;
    }

    /// <summary>Admins only, and only where the demo clock is enabled; the past only (nothing is decided in the future).</summary>
    public static IEndpointRouteBuilder MapDemoClockIfEnabled(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(EnabledKey)) return app;
        app.MapPut("/api/referrals/admin/demo-clock", Results<Ok<DemoClockState>, ValidationProblem> (
                DemoClockRequest request, DemoClock clock) =>
            {
                if (request.Offset is not { } offset || offset > TimeSpan.Zero || offset < -DemoClock.MaxShift)
                    return Problems.Invalid(new Dictionary<string, string[]>
                    {
                        ["offset"] = ["Indiquez un décalage vers le passé, d'au plus 400 jours (ex. \"-40.00:00:00\"), ou \"00:00:00\"."],
                    });
                clock.Shift(offset);
                return TypedResults.Ok(new DemoClockState(clock.Offset, clock.GetUtcNow()));
            })
            .RequireAuthorization(Policies.Admins)
            .WithName("ShiftDemoClock")
            .WithSummary("Demo only: shift the service's clock into the past while the seeder plays old hand-offs.");
        return app;
    }
}

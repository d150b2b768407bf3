using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Observability;
using Coordination.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Coordination.ServiceDefaults;

public static class Extensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    /// <summary>
    /// What every Coordination process shares: OpenTelemetry, health checks, resilient HttpClients,
    /// RFC 7807 problem details, JSON conventions, correlation ids and request limits.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.ConfigureOpenTelemetry();

        builder.Services.AddHealthChecks()
            // "live" answers whether the process itself works; /health adds its dependencies (MapDefaultEndpoints).
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        // The report becomes OpenTelemetry gauges every 15 s, probed or not (HealthMetrics).
        builder.Services.AddSingleton<HealthMetrics>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<HealthMetrics>());
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(5);
            o.Period = TimeSpan.FromSeconds(15);
        });

        builder.Services.AddServiceDiscoveryFreeHttpDefaults();
        builder.Services.AddCoordinationProblemDetails();
        builder.Services.AddCoordinationJson();
        builder.Services.AddCorrelationIds();
        builder.Services.AddTrustedProxies(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        // The API's own description (what partners build on, the fuzz tests drive, docs/api/ holds); served only where
        // MapDefaultEndpoints allows it.
        builder.Services.AddCoordinationOpenApi(builder.Configuration, builder.Environment);
        // Binding failures (malformed JSON, wrong types) become exceptions the problem-details handler explains.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
        });
        return builder;
    }

    /// <summary>
    /// Middleware every service and the gateway run first: forwarded headers from trusted proxies, correlation id, problem details for errors
    /// and empty error responses, security headers.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // First: everything after it (audit, rate limits, redirect URIs) sees the caller's real address and scheme.
        app.UseForwardedHeaders();
        app.UseCorrelationIds();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        if (app.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is not null)
            app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// <c>/health</c>: readiness — what the gateway and Kubernetes probe. 503 only when the service cannot do its job
    /// (PostgreSQL unreachable: the only check that can be Unhealthy); the broker, error queues and the outbox's lag can
    /// only make it Degraded (still 200, still ready: commands are accepted, the outbox waits in PostgreSQL), with the
    /// details in the body. <c>/alive</c>: liveness of the process only. Both anonymous, and mapped in every environment.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous().DisableHttpMetrics();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .AllowAnonymous().DisableHttpMetrics();
        // /openapi/v1.json: in Development, or where OpenApi:Enabled is true (the reliability tests). Not in production
        // by default: the gateway does not route it anyway, and the description is no business of the public.
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue("OpenApi:Enabled", false))
            app.MapOpenApi().AllowAnonymous().DisableHttpMetrics();
        return app;
    }

    private static IServiceCollection AddServiceDiscoveryFreeHttpDefaults(this IServiceCollection services)
    {
        // A command sent twice may be carried out twice: only safe methods (GET, HEAD…) are retried.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods()));
        return services;
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// Every request carries an <c>X-Correlation-Id</c>: kept when the caller (the gateway) sent a well-formed
/// one, made up otherwise. It is echoed in the response, tagged on the trace, stored in event metadata
/// and forwarded with integration events.
/// </summary>
public static partial class CorrelationIds
{
    public const string HeaderName = "X-Correlation-Id";
    public const string ItemKey = "coordination.correlation-id";

    public static IServiceCollection AddCorrelationIds(this IServiceCollection services) =>
        services.AddHttpContextAccessor();

    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app)
    {
        // Once, not per request: creating a logger takes the factory's lock.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Coordination.Http");
        return app.Use(async (context, next) =>
        {
            var incoming = context.Request.Headers[HeaderName].ToString();
            var correlationId = IsWellFormed(incoming) ? incoming : Guid.NewGuid().ToString("N");
            context.Items[ItemKey] = correlationId;
            // Downstream hops (YARP copies request headers) see the value that was chosen here.
            context.Request.Headers[HeaderName] = correlationId;
            // Set late and only if absent: behind the gateway, the proxied answer already carries the same id.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.TryAdd(HeaderName, correlationId);
                return Task.CompletedTask;
            });
            Activity.Current?.SetTag("coordination.correlation_id", correlationId);

            using (logger.BeginScope(new KeyValuePair<string, object>[] { new("CorrelationId", correlationId) }))
                await next();
        });
    }

    public static string? Current(HttpContext? context) => context?.Items[ItemKey] as string;

    /// <summary>Only short opaque tokens: a header is no place for free text (or personal data).</summary>
    public static bool IsWellFormed(string? value) => !string.IsNullOrEmpty(value) && WellFormed().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex WellFormed();
}

using System.Net;
using System.Threading.RateLimiting;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Coordination.Gateway.Protection;

/// <summary>Limits per deployment (<c>RateLimits</c> section); the defaults suit one machine running the benchmark.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per second one signed-in user may make to the APIs (token bucket, bursts up to twice that).</summary>
    public int PerUserPerSecond { get; set; } = 1000;

    /// <summary>Requests per second from one IP address without a token (discovery, anything refused anyway).</summary>
    public int PerAnonymousIpPerSecond { get; set; } = 100;

    /// <summary>Token requests (logins) per minute from one IP address: slows password guessing.</summary>
    public int LoginsPerMinutePerIp { get; set; } = 30;
}

public static class RateLimits
{
    public const string Api = "api";
    public const string Login = "login";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = Problems.TitleFor(429),
                        Detail = "Trop de requêtes en peu de temps : patientez quelques secondes puis réessayez.",
                    },
                });
            };

            // Signed-in users are limited by who they are (several people may share a police station's IP);
            // anonymous callers by their address.
            options.AddPolicy(Api, http =>
            {
                var user = http.User.FindFirst(CoordinationClaims.UserId)?.Value;
                return user is not null
                    ? RateLimitPartition.GetTokenBucketLimiter("user:" + user, _ => Bucket(limits.PerUserPerSecond))
                    : RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientAddress(http), _ => Bucket(limits.PerAnonymousIpPerSecond));
            });
            options.AddPolicy(Login, http => RateLimitPartition.GetFixedWindowLimiter("login:" + ClientAddress(http), _ =>
                new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.LoginsPerMinutePerIp, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond * 2,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();
}

using Microsoft.AspNetCore.Builder;

namespace Coordination.ServiceDefaults.Http;

public static class SecurityHeaders
{
    /// <summary>
    /// Answers carry data about victims: never cached, never framed, never sniffed, no referrer leaks.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                // A page may set its own, stricter-than-nothing policy (the sign-in page needs its styles).
                if (!headers.ContainsKey("Content-Security-Policy"))
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                if (!headers.ContainsKey("Cache-Control"))
                    headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            await next();
        });
}

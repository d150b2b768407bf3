using System.Diagnostics;
using System.Net;
using Coordination.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Coordination.Portal.Api;

/// <summary>
/// What the portal passes on from the APIs as it comes: live events and downloaded files. The browser holds no token,
/// so the portal forwards the request to the gateway (<c>Portal:ApiBaseAddress</c>) with the signed-in user's token,
/// through YARP's forwarder, which streams the answer unbuffered: an event reaches the page as soon as the API writes
/// it, a large CSV is never held whole in the portal's memory. Only the API path chosen by the endpoint, the user's
/// token, <c>Accept</c> and the correlation id are sent: never the browser's cookies or other headers. The API checks
/// the token and decides what the user may read; the portal's own policies still guard each endpoint first.
/// </summary>
public static class ApiRelaySetup
{
    public static IHostApplicationBuilder AddApiRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<ApiRelay>();
        return builder;
    }
}

public sealed partial class ApiRelay(IHttpForwarder forwarder, IConfiguration configuration, ILogger<ApiRelay> logger) : IDisposable
{
    /// <summary>
    /// The pause the browser's EventSource takes before reconnecting when the API cannot be reached: longer than the
    /// feeds' own (5 s), so that a page left open does not knock on an API that is away.
    /// </summary>
    private const string RetryLater = "retry: 15000\n\n";

    private readonly string gateway = (configuration["Portal:ApiBaseAddress"]
        ?? throw new InvalidOperationException("Configuration 'Portal:ApiBaseAddress' is missing: the gateway's address.")).TrimEnd('/') + "/";

    // One connection pool for every relayed request, as YARP's own clusters have; no cookies, redirects or decompression:
    // the answer passes as the API wrote it.
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    /// <summary>Live events: the feeds send a keep-alive every 15 s, so a minute of silence means the API is gone.</summary>
    private static readonly ForwarderRequestConfig Events = new() { ActivityTimeout = TimeSpan.FromMinutes(1) };

    /// <summary>Files: a yearly workbook can take a while to build before its first byte.</summary>
    private static readonly ForwarderRequestConfig Files = new() { ActivityTimeout = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// Relays the server-sent events of <paramref name="apiPath"/>. A refusal (401, 403) is passed on without a body:
    /// EventSource gives up and the page simply stays as it is. Any other failure, or an API out of reach, ends the stream
    /// with a retry delay: EventSource reconnects by itself.
    /// </summary>
    public async Task RelayEvents(HttpContext http, string apiPath)
    {
        var request = new RelayedRequest(apiPath, "text/event-stream", await http.GetTokenAsync("access_token"), CorrelationIds.Current(http));
        var error = await forwarder.SendAsync(http, gateway, client, Events, new EventsTransformer(request));
        if (error != ForwarderError.None && !http.Response.HasStarted)
        {
            LogUnreachable(logger, PathOnly(apiPath), error);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(RetryLater, CancellationToken.None);
        }
    }

    /// <summary>
    /// Relays the file at <paramref name="apiPath"/> as a download named <paramref name="fileName"/>. A failure of the API
    /// (or the API out of reach) answers a problem in French with <paramref name="unavailable"/>.
    /// </summary>
    public async Task<IResult> RelayFile(HttpContext http, string apiPath, string contentType, string fileName, string unavailable)
    {
        var request = new RelayedRequest(apiPath, contentType, await http.GetTokenAsync("access_token"), CorrelationIds.Current(http));
        var error = await forwarder.SendAsync(http, gateway, client, Files, new FileTransformer(request, contentType, fileName, unavailable));
        if (error == ForwarderError.None || http.Response.HasStarted)
            return Results.Empty;
        LogUnreachable(logger, PathOnly(apiPath), error);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: unavailable);
    }

    public void Dispose() => client.Dispose();

    // The query carries the page's filters: not for the logs.
    private static string PathOnly(string apiPath) => apiPath.Split('?')[0];

    private sealed record RelayedRequest(string ApiPath, string Accept, string? AccessToken, string? CorrelationId);

    /// <summary>The request to the API, built from nothing but what the endpoint chose (the browser's headers stay here).</summary>
    private abstract class RelayTransformer(RelayedRequest relayed) : HttpTransformer
    {
        public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            proxyRequest.RequestUri = new Uri(destinationPrefix + relayed.ApiPath);
            proxyRequest.Headers.Authorization = new("Bearer", relayed.AccessToken);
            proxyRequest.Headers.Accept.ParseAdd(relayed.Accept);
            if (relayed.CorrelationId is { } correlationId)
                proxyRequest.Headers.TryAddWithoutValidation(CorrelationIds.HeaderName, correlationId);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class EventsTransformer(RelayedRequest relayed) : RelayTransformer(relayed)
    {
        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is null)
                return false; // Out of reach: RelayEvents answers.
            var response = httpContext.Response;
            if (proxyResponse.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return false; // The status passes (set by the forwarder), without the API's body.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            if (proxyResponse.IsSuccessStatusCode)
                return true;
            await response.WriteAsync(RetryLater, CancellationToken.None);
            return false;
        }
    }

    private sealed class FileTransformer(RelayedRequest relayed, string contentType, string fileName, string unavailable) : RelayTransformer(relayed)
    {
        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is null)
                return false; // Out of reach: RelayFile answers.
            if (!proxyResponse.IsSuccessStatusCode)
            {
                // The API's status (404 "not found or not yours" stays 404), with a French problem of our own.
                await Results.Problem(statusCode: (int)proxyResponse.StatusCode, detail: unavailable).ExecuteAsync(httpContext);
                return false;
            }
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.ContentLength = proxyResponse.Content.Headers.ContentLength;
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying {ApiPath} failed ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string apiPath, ForwarderError error);
}

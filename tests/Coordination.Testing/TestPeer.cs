using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Testing;

/// <summary>
/// The test server has no socket, so no peer address (and the forwarded-headers middleware believes a peer it cannot
/// see). This gives each request the address of the machine that would have connected: <see cref="Header"/> when the
/// test sets it, else <paramref name="defaultPeer"/>. The header is removed before the application sees the request.
/// </summary>
public static class TestPeer
{
    public const string Header = "X-Test-Peer-Address";

    public static void ComeFrom(IServiceCollection services, IPAddress defaultPeer) =>
        services.AddSingleton<IStartupFilter>(new PeerAddressFilter(defaultPeer));

    public static HttpClient From(this HttpClient client, string peer)
    {
        client.DefaultRequestHeaders.Remove(Header);
        client.DefaultRequestHeaders.Add(Header, peer);
        return client;
    }

    private sealed class PeerAddressFilter(IPAddress defaultPeer) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var chosen = context.Request.Headers[Header].ToString();
                context.Request.Headers.Remove(Header);
                context.Connection.RemoteIpAddress = chosen.Length > 0 ? IPAddress.Parse(chosen) : defaultPeer;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

using System.Net;
using Coordination.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Coordination.Gateway.Tests;

/// <summary>
/// The gateway behind an ingress at 10.9.8.7 (its only trusted proxy), in front of a backend that tells what it received.
/// </summary>
public sealed class GatewayBehindIngress : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Ingress = "10.9.8.7";
    private WebApplication? backend;
    private readonly int backendPort = LocalMachine.FreePort();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{backendPort}");
        backend = builder.Build();
        // The portal's place: answers every path (its health too) with the forwarded headers it got.
        backend.Run(context => context.Response.WriteAsJsonAsync(new ForwardedSeen(
            context.Request.Headers["X-Forwarded-For"].ToString(), context.Request.Headers["X-Forwarded-Proto"].ToString())));
        await backend.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Ingress);
        builder.UseSetting("ReverseProxy:Clusters:portal:Destinations:portal-1:Address", $"http://127.0.0.1:{backendPort}/");
        builder.ConfigureTestServices(services =>
        {
            TestAuthentication.ValidateTestTokens(services);
            TestPeer.ComeFrom(services, IPAddress.Parse("192.0.2.20"));
        });
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (backend is not null) await backend.DisposeAsync();
    }
}

public sealed record ForwardedSeen(string For, string Proto);

public class ForwardedHeadersTests(GatewayBehindIngress gateway) : IClassFixture<GatewayBehindIngress>
{
    [Fact]
    public async Task A_client_that_connects_directly_cannot_choose_the_address_the_services_see()
    {
        var client = gateway.CreateClient().From("198.51.100.9");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var seen = await (await client.GetAsync("/")).ReadJson<ForwardedSeen>();

        Assert.Equal(new ForwardedSeen("198.51.100.9", "http"), seen);
    }

    [Fact]
    public async Task Behind_the_ingress_the_services_see_the_address_and_scheme_the_ingress_saw()
    {
        var client = gateway.CreateClient().From(GatewayBehindIngress.Ingress);
        // The ingress appends the address it saw to whatever the client claimed.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66, 203.0.113.77");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var seen = await (await client.GetAsync("/")).ReadJson<ForwardedSeen>();

        Assert.Equal(new ForwardedSeen("203.0.113.77", "https"), seen);
    }
}

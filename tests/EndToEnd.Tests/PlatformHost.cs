using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Coordination.EndToEnd.Tests;

/// <summary>One process of the platform on a real Kestrel socket, so the gateway proxies to it over HTTP.</summary>
public sealed class PlatformHost<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    /// <param name="services">Test-only services (a log recorder…), added after the application's own.</param>
    public PlatformHost(int port, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        this.settings = settings;
        this.services = services;
        Port = port;
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(Coordination.Testing.TestKeyEncryption.Setting, Coordination.Testing.TestKeyEncryption.Key); // Referrals wraps person keys with it
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        if (services is not null)
            builder.ConfigureTestServices(services);
    }
}

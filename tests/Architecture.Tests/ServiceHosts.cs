extern alias directory;
extern alias dashboard;
extern alias referrals;
extern alias identity;
extern alias training;
extern alias projects;
extern alias portal;
extern alias gateway;
extern alias notifications;
using System.Reflection;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coordination.Architecture.Tests;

/// <summary>
/// Every process of the platform, built as in production (its own Program) but started without servers:
/// connection strings point nowhere and no hosted service runs (no Marten daemon, no bus, no watcher), only
/// the web host that maps the endpoints. Nothing here opens a connection: what the tests read is the
/// wiring itself (endpoints, Marten options, MassTransit registrations).
/// </summary>
public sealed class ServiceHosts : IDisposable
{
    /// <summary>
    /// The folders that hold a process (a project with Program.cs); <see cref="ServiceHostsTests"/> checks this list is complete.
    /// </summary>
    public IReadOnlyList<ServiceHost> All { get; } =
    [
        new ServiceHost<directory::Program>("directory", "services/Directory"),
        new ServiceHost<dashboard::Program>("dashboard", "services/Dashboard"),
        new ServiceHost<referrals::Program>("referrals", "services/Referrals"),
        new ServiceHost<identity::Program>("identity", "services/Identity"),
        new ServiceHost<training::Program>("training", "services/Training"),
        new ServiceHost<projects::Program>("projects", "services/Projects"),
        new ServiceHost<notifications::Program>("notifications", "services/Notifications"),
        new ServiceHost<portal::Program>("portal", "services/Portal"),
        new ServiceHost<gateway::Program>("gateway", "gateway/Coordination.Gateway"),
    ];

    public ServiceHost this[string name] => All.Single(s => s.Name == name);

    public void Dispose()
    {
        foreach (var host in All)
            host.Dispose();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Coordination.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Coordination.sln not found above the test folder.");
    }
}

public abstract class ServiceHost(string name, string folder) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>The project folder, relative to the repository root.</summary>
    public string Folder { get; } = folder;

    public abstract Assembly Assembly { get; }

    /// <summary>The services of the started host (endpoints, Marten's StoreOptions…).</summary>
    public abstract IServiceProvider Services { get; }

    /// <summary>What the service registered, as the host saw it before starting (MassTransit consumers…).</summary>
    public abstract IReadOnlyList<ServiceDescriptor> Registrations { get; }

    public abstract void Dispose();
}

public sealed class ServiceHost<TEntryPoint>(string name, string folder) : ServiceHost(name, folder)
    where TEntryPoint : class
{
    private readonly Lazy<Factory> factory = new(() => new Factory());

    public override Assembly Assembly => typeof(TEntryPoint).Assembly;

    public override IServiceProvider Services => factory.Value.Services;

    public override IReadOnlyList<ServiceDescriptor> Registrations
    {
        get
        {
            _ = factory.Value.Services; // builds the host
            return factory.Value.Registrations;
        }
    }

    public override void Dispose()
    {
        if (factory.IsValueCreated)
            factory.Value.Dispose();
    }

    private sealed class Factory : WebApplicationFactory<TEntryPoint>
    {
        private readonly string keys = Path.Combine(Path.GetTempPath(), $"coordination-architecture-{Guid.NewGuid():N}");

        public IReadOnlyList<ServiceDescriptor> Registrations { get; private set; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            // Port 9 (discard): nothing listens, and nothing here connects anyway.
            builder.UseSetting($"ConnectionStrings:{EventStoreSetup.ConnectionStringName}",
                "Host=127.0.0.1;Port=9;Username=none;Database=none");
            builder.UseSetting($"ConnectionStrings:{MessagingSetup.ConnectionStringName}", "amqp://none:none@127.0.0.1:9/");
            builder.UseSetting("Identity:Authority", TestTokens.Issuer);
            builder.UseSetting(TestKeyEncryption.Setting, TestKeyEncryption.Key); // Referrals refuses to start without a KEK
            builder.UseSetting("Identity:Issuer", "http://identity.test/");
            builder.UseSetting("Identity:KeysDirectory", keys);
            builder.ConfigureTestServices(services =>
            {
                Registrations = [.. services];
                // Keep only the web host: no daemon, bus, watcher or schema migration starts.
                foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)
                             && d.ImplementationType?.FullName != "Microsoft.AspNetCore.Hosting.GenericWebHostService").ToList())
                    services.Remove(hosted);
            });
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Directory.Exists(keys))
                Directory.Delete(keys, recursive: true);
        }
    }
}

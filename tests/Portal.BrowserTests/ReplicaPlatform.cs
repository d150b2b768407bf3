namespace Coordination.Portal.BrowserTests;

/// <summary>
/// Two Identity and two Portal processes behind one gateway (YARP round-robin over both destinations of each cluster),
/// each its own operating-system process in Production, as deployed: one database for both Identity replicas, the
/// signing and encryption certificates mounted in both, the Data Protection key ring in PostgreSQL encrypted by a
/// certificate, the issuer the gateway's public address. Any replica can be killed and started again on its port.
/// </summary>
public sealed class ReplicaPlatform : IAsyncLifetime
{
    public const string Password = "Mot-de-passe-de-test-1";
    public static readonly Guid Organisation = Guid.CreateVersion7();

    /// <summary>The organisation's manager (signs in) and a colleague (whose account the manager acts on).</summary>
    public static readonly (string Username, string Name, bool Manager)[] Accounts =
        [("resp.replicas", "Claire Réplique", true), ("aav.replicas", "Julien Réplique", false)];

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(120);
    private readonly List<string> files = [];
    private readonly List<ServiceProcess> processes = [];
    private string database = "";
    private Uri amqp = null!;
    private IPlaywright? playwright;

    public ServiceProcess[] Identity { get; private set; } = [];
    public ServiceProcess[] Portal { get; private set; } = [];
    public ServiceProcess Gateway { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl => Gateway.Address.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        database = await TestInfrastructure.CreateDatabaseAsync("replicas_identity");
        amqp = await TestInfrastructure.CreateVirtualHostAsync("replicas");
        var now = DateTimeOffset.UtcNow;
        string Certificate(string name, int validForDays) =>
            Add(files, TestCertificates.Create(name, now.AddDays(-1), now.AddDays(validForDays)));
        // Mounted in every replica (a Kubernetes secret): the previous signing certificate still valid, its successor signing.
        var keyRing = Certificate("key-ring", 365);
        var (oldSigning, signing, encryption) = (Certificate("signing-old", 30), Certificate("signing", 400), Certificate("encryption", 400));

        var gatewaySettings = new Dictionary<string, string>();
        Gateway = new ServiceProcess("gateway/Coordination.Gateway", gatewaySettings, "gateway", LogDirectory) { MigrateFirst = false };
        var publicUrl = Gateway.Address.ToString().TrimEnd('/');
        var identity = new Dictionary<string, string>
        {
            ["ConnectionStrings:EventStore"] = database,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
            ["ConnectionStrings:Smtp"] = "smtp://127.0.0.1:9", // this journey sends no e-mail
            ["Identity:Issuer"] = publicUrl,
            ["Identity:PublicOrigin"] = publicUrl,
            ["Identity:Authority"] = publicUrl, // the accounts API reads the keys through the gateway, like every service
            ["Identity:Links:PublicAddress"] = publicUrl,
            ["Identity:TokenStorage:CreateTables"] = "true",
            // Shorter than the portal's refresh margin: every page redeems a refresh token, on either replica.
            ["Identity:AccessTokenLifetime"] = "00:01:30",
            ["Identity:Clients:1:RedirectUris:0"] = $"{publicUrl}/signin-oidc",
            ["Identity:Clients:1:RedirectUris:1"] = $"{publicUrl}/signin-oidc",
            ["Identity:Clients:1:PostLogoutRedirectUris:0"] = $"{publicUrl}/",
            ["Identity:Clients:1:PostLogoutRedirectUris:1"] = $"{publicUrl}/",
        };
        foreach (var (list, paths) in new[] { ("SigningCertificates", new[] { oldSigning, signing }), ("EncryptionCertificates", [encryption]) })
            for (var i = 0; i < paths.Length; i++)
            {
                identity[$"Identity:{list}:{i}:Path"] = paths[i];
                identity[$"Identity:{list}:{i}:Password"] = TestCertificates.Password;
            }
        for (var i = 0; i < Accounts.Length; i++)
        {
            var (username, name, manager) = Accounts[i];
            identity[$"Identity:Accounts:{i}:Username"] = username;
            identity[$"Identity:Accounts:{i}:Password"] = Password;
            identity[$"Identity:Accounts:{i}:UserId"] = "u-" + username;
            identity[$"Identity:Accounts:{i}:Name"] = name;
            identity[$"Identity:Accounts:{i}:Role"] = Roles.AssociationStaff;
            identity[$"Identity:Accounts:{i}:OrganisationId"] = Organisation.ToString();
            identity[$"Identity:Accounts:{i}:OrganisationManager"] = manager ? "true" : "false";
        }
        var portal = new Dictionary<string, string>
        {
            [$"ConnectionStrings:{SharedKeyRing.ConnectionStringName}"] = database,
            ["Portal:ApiBaseAddress"] = publicUrl,
            ["Portal:Identity:Authority"] = publicUrl,
            ["Portal:Identity:RequireHttpsMetadata"] = "false",
            ["Portal:SecureCookies"] = "false", // plain HTTP on loopback
        };
        foreach (var settings in new[] { identity, portal })
        {
            // What a failing run needs to be understood (the logs stay in bin/…/artefacts/replicas).
            settings["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug";
            settings["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Debug";
            settings["Logging:LogLevel:OpenIddict"] = "Information";
            settings["DataProtection:Certificate:Path"] = keyRing;
            settings["DataProtection:Certificate:Password"] = TestCertificates.Password;
        }

        // The first Identity replica applies the schema (--migrate) and imports the accounts before the second starts.
        Identity = [Started(new ServiceProcess("services/Identity", identity, "identity-1", LogDirectory)), null!];
        await Identity[0].WaitUntilReadyAsync(Ready);
        Identity[1] = Started(new ServiceProcess("services/Identity", identity, "identity-2", LogDirectory) { MigrateFirst = false });
        Portal = [Started(new ServiceProcess("services/Portal", portal, "portal-1", LogDirectory) { MigrateFirst = false }),
            Started(new ServiceProcess("services/Portal", portal, "portal-2", LogDirectory) { MigrateFirst = false })];

        gatewaySettings["Identity:Authority"] = publicUrl;
        gatewaySettings["Identity:RequireHttpsMetadata"] = "false";
        gatewaySettings["RateLimits:LoginsPerMinutePerIp"] = "1000";
        gatewaySettings["RateLimits:PerAnonymousIpPerSecond"] = "1000";
        // Nothing else runs here: the other clusters point at a closed port (never at a platform another test started).
        foreach (var cluster in new[] { "directory", "dashboard", "notifications", "referrals", "training", "projects" })
            gatewaySettings[$"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-1:Address"] = "http://127.0.0.1:9/";
        for (var i = 0; i < 2; i++)
        {
            gatewaySettings[$"ReverseProxy:Clusters:identity:Destinations:identity-{i + 1}:Address"] = Identity[i].Address.ToString();
            gatewaySettings[$"ReverseProxy:Clusters:portal:Destinations:portal-{i + 1}:Address"] = Portal[i].Address.ToString();
        }
        Started(Gateway);
        await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(Ready)));

        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = PortalPlatform.Chromium, Headless = true });
    }

    private static string Add(List<string> list, string path)
    {
        list.Add(path);
        return path;
    }

    /// <summary>Every start's log, kept after the run beside the screenshots (bin/…/artefacts/replicas).</summary>
    public static string LogDirectory { get; } = Path.Combine(PortalPlatform.Artefacts, "replicas");

    private ServiceProcess Started(ServiceProcess process)
    {
        processes.Add(process);
        return process.Launch();
    }

    /// <summary>SIGKILL (no graceful shutdown, nothing kept in memory), then the same replica again on the same port.</summary>
    public static async Task Restart(ServiceProcess replica)
    {
        replica.Kill();
        replica.Launch();
        await replica.WaitUntilReadyAsync(Ready);
    }

    /// <summary>The last lines of every process's log, for a failing test's output.</summary>
    public string Logs() => string.Join("\n", processes.Select(p => $"--- {p.Name} ---\n{p.Tail(20)}"));

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        foreach (var process in processes) await process.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(amqp);
        foreach (var file in files) File.Delete(file);
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaPlatform>
{
    public const string Name = "two replicas of Identity and of the Portal";
}

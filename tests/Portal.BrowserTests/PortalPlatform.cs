extern alias identity;
extern alias directory;
extern alias dashboard;
extern alias gateway;
extern alias referrals;
extern alias training;
extern alias projects;
extern alias notifications;
extern alias portal;
using Coordination.EndToEnd.Tests;

// Collections run one after the other: each starts a whole platform and a browser, too much for two cores at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// The whole platform in one process on free ports (identity provider, every service, the portal, the gateway in front),
/// on the real PostgreSQL and RabbitMQ, and Debian's Chromium driven by Playwright. People sign in through the real
/// provider's page, as in production: the provider knows the portal's redirect address on this gateway's port.
/// </summary>
public sealed class PortalPlatform : IAsyncLifetime
{
    public const string Password = "Mot-de-passe-de-test-1";
    public const string Chromium = "/usr/lib/chromium/chromium";

    public static readonly Guid IscgPost = Guid.CreateVersion7();
    public static readonly Guid Association = Guid.CreateVersion7();
    public static readonly Guid OtherAssociation = Guid.CreateVersion7();
    /// <summary>A second ISCG post, whose sent list only the paging journey fills.</summary>
    public static readonly Guid SecondIscgPost = Guid.CreateVersion7();

    /// <summary>username → (user id, display name, role, organisation)</summary>
    public static readonly (string Username, string UserId, string Name, string Role, Guid? Organisation)[] Accounts =
    [
        ("iscg.test", "u-iscg", "Sonia Test", Roles.IscgWorker, IscgPost),
        ("aav.test", "u-aav", "Julien Test", Roles.AssociationStaff, Association),
        ("aav2.test", "u-aav2", "Léa Test", Roles.AssociationStaff, OtherAssociation),
        ("coordination.test", "u-coord", "Hélène Test", Roles.NationalCoordinator, null),
        ("iscg2.test", "u-iscg2", "Marc Test", Roles.IscgWorker, SecondIscgPost),
    ];

    /// <summary>
    /// Administrators, whose role requires a second factor: one per screen width of <c>IdentityPagesJourneyTests</c>
    /// (each enrols once). The journeys' coordinator is not asked for one here (<c>Identity:Mfa:RequiredRoles</c> is
    /// narrowed to admins): a code works once per 30 s, and the journeys sign coordinators in many times.
    /// </summary>
    public static readonly (string Username, string UserId, string Name)[] Admins =
        [("admin1280.test", "u-admin-1280", "Alice Test"), ("admin360.test", "u-admin-360", "Bruno Test")];

    /// <summary>
    /// Two more administrators for <c>SecondFactorResetJourneyTests</c>: one who resets, one who lost their phone (each
    /// enrols once, at first sign-in).
    /// </summary>
    public static readonly (string Username, string UserId, string Name)[] SupportAdmins =
        [("admin.support.test", "u-admin-support", "Diane Test"), ("admin.telephone.test", "u-admin-telephone", "Gaëlle Test")];

    /// <summary>The manager of <see cref="Association"/>.</summary>
    public static readonly (string Username, string UserId, string Name) Manager = ("resp.test", "u-resp", "Claire Test");

    private readonly string keyPath = Path.Combine(Path.GetTempPath(), $"coordination-portal-{Guid.NewGuid():N}.pem");
    private readonly string keysDirectory = Path.Combine(Path.GetTempPath(), $"coordination-portal-keys-{Guid.NewGuid():N}");
    private readonly List<string> databases = [];
    private readonly List<IAsyncDisposable> hosts = [];
    private Uri amqp = null!;
    private IPlaywright? playwright;

    public PlatformHost<identity::Program> Identity { get; private set; } = null!;
    public PlatformHost<referrals::Program> Referrals { get; private set; } = null!;
    public PlatformHost<training::Program> Training { get; private set; } = null!;

    /// <summary>Training's clock: a journey moves it ahead to reach a session's start instead of waiting for it.</summary>
    public AheadClock TrainingClock { get; } = new();
    public PlatformHost<gateway::Program> Gateway { get; private set; } = null!;
    public IServiceProvider PortalServices => portalHost.Services;
    private PlatformHost<portal::Program> portalHost = null!;
    public IBrowser Browser { get; private set; } = null!;
    /// <summary>The portal's logs at every level: no person's data may appear there (names, phones, messages).</summary>
    public LogRecorder PortalLogs { get; } = new();
    public string Issuer => Identity.Address.ToString();
    public string BaseUrl => Gateway.Address.ToString().TrimEnd('/');

    /// <summary>Screenshots and accessibility reports: under the test output folder (git-ignored bin/).</summary>
    public static string Artefacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artefacts")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: run infra/install.sh (apt-get install chromium) — never `playwright install`.");
        await File.WriteAllTextAsync(keyPath, TestTokens.PrivateKeyPem);
        async Task<string> Database(string name) { var db = await TestInfrastructure.CreateDatabaseAsync(name); databases.Add(db); return db; }
        amqp = await TestInfrastructure.CreateVirtualHostAsync("portal");

        var gatewayPort = LocalMachine.FreePort();
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        var identityPort = LocalMachine.FreePort();
        var issuer = $"http://127.0.0.1:{identityPort}";
        var identitySettings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = await Database("portal_identity"),
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(), // Identity publishes account contracts
            ["Identity:Issuer"] = issuer,
            ["Identity:SigningKeyPath"] = keyPath,
            ["Identity:KeysDirectory"] = keysDirectory,
            // Shorter than the portal's refresh margin (2 min): every page refreshes the access token, so every journey
            // also proves the refresh-token path.
            ["Identity:AccessTokenLifetime"] = "00:01:30",
            // The portal's client (index 1 in appsettings): this gateway's address instead of :8080.
            ["Identity:Clients:1:RedirectUris:0"] = $"{gatewayUrl}/signin-oidc",
            ["Identity:Clients:1:RedirectUris:1"] = $"{gatewayUrl}/signin-oidc",
            ["Identity:Clients:1:PostLogoutRedirectUris:0"] = $"{gatewayUrl}/",
            ["Identity:Clients:1:PostLogoutRedirectUris:1"] = $"{gatewayUrl}/",
            ["Identity:Mfa:RequiredRoles:0"] = Roles.Admin,
            // ProConnect switched on, its provider out of reach (nothing here leaves for it): the sign-in page shows its
            // button and the page its callback answers is checked by axe (IdentityPagesJourneyTests).
            ["Identity:ProConnect:Enabled"] = "true",
            ["Identity:ProConnect:Authority"] = "http://127.0.0.1:9/",
            ["Identity:ProConnect:ClientId"] = "coordination-browser-tests",
            ["Identity:ProConnect:ClientSecret"] = "browser-tests-only",
        };
        for (var i = 0; i < Accounts.Length; i++)
        {
            var a = Accounts[i];
            identitySettings[$"Identity:Accounts:{i}:Username"] = a.Username;
            identitySettings[$"Identity:Accounts:{i}:Password"] = Password;
            identitySettings[$"Identity:Accounts:{i}:UserId"] = a.UserId;
            identitySettings[$"Identity:Accounts:{i}:Name"] = a.Name;
            identitySettings[$"Identity:Accounts:{i}:Role"] = a.Role;
            identitySettings[$"Identity:Accounts:{i}:OrganisationId"] = a.Organisation?.ToString();
        }
        // The association's manager (the on-call rota is theirs to set).
        identitySettings[$"Identity:Accounts:{Accounts.Length}:Username"] = Manager.Username;
        identitySettings[$"Identity:Accounts:{Accounts.Length}:Password"] = Password;
        identitySettings[$"Identity:Accounts:{Accounts.Length}:UserId"] = Manager.UserId;
        identitySettings[$"Identity:Accounts:{Accounts.Length}:Name"] = Manager.Name;
        identitySettings[$"Identity:Accounts:{Accounts.Length}:Role"] = Roles.AssociationStaff;
        identitySettings[$"Identity:Accounts:{Accounts.Length}:OrganisationId"] = Association.ToString();
        identitySettings[$"Identity:Accounts:{Accounts.Length}:OrganisationManager"] = "true";
        var admins = Admins.Concat(SupportAdmins).ToList();
        for (var i = 0; i < admins.Count; i++)
        {
            var index = Accounts.Length + 1 + i;
            identitySettings[$"Identity:Accounts:{index}:Username"] = admins[i].Username;
            identitySettings[$"Identity:Accounts:{index}:Password"] = Password;
            identitySettings[$"Identity:Accounts:{index}:UserId"] = admins[i].UserId;
            identitySettings[$"Identity:Accounts:{index}:Name"] = admins[i].Name;
            identitySettings[$"Identity:Accounts:{index}:Role"] = Roles.Admin;
        }
        Identity = Start(new PlatformHost<identity::Program>(identityPort, identitySettings));

        async Task<Dictionary<string, string?>> Service(string name) => new()
        {
            ["ConnectionStrings:EventStore"] = await Database("portal_" + name),
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
            ["Identity:Authority"] = issuer,
            ["Identity:RequireHttpsMetadata"] = "false",
        };
        var directory = Start(new PlatformHost<directory::Program>(LocalMachine.FreePort(), await Service("directory")));
        var dashboard = Start(new PlatformHost<dashboard::Program>(LocalMachine.FreePort(), await Service("dashboard")));
        Referrals = Start(new PlatformHost<referrals::Program>(LocalMachine.FreePort(), await Service("referrals")));
        var trainingSettings = await Service("training");
        trainingSettings["Training:RegistrationClosesBefore"] = "00:00:00"; // a session starting in seconds still takes registrations
        Training = Start(new PlatformHost<training::Program>(LocalMachine.FreePort(), trainingSettings,
            services => services.AddSingleton<TimeProvider>(TrainingClock)));
        var projectsHost = Start(new PlatformHost<projects::Program>(LocalMachine.FreePort(), await Service("projects")));
        var notificationsSettings = await Service("notifications");
        notificationsSettings["ConnectionStrings:Smtp"] = "smtp://127.0.0.1:9"; // the browser tests read no e-mail
        var notificationsHost = Start(new PlatformHost<notifications::Program>(LocalMachine.FreePort(), notificationsSettings));
        portalHost = Start(new PlatformHost<portal::Program>(LocalMachine.FreePort(), new Dictionary<string, string?>
        {
            ["Portal:ApiBaseAddress"] = gatewayUrl,
            ["Portal:Identity:Authority"] = issuer,
            ["Portal:Identity:RequireHttpsMetadata"] = "false",
            ["Portal:SecureCookies"] = "false",
            // Everything, down to Debug: a leak at any level is a leak once someone turns logging up.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug",
        }, services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(PortalLogs)));
        Gateway = Start(new PlatformHost<gateway::Program>(gatewayPort, new Dictionary<string, string?>
        {
            ["Identity:Authority"] = issuer,
            ["Identity:RequireHttpsMetadata"] = "false",
            ["RateLimits:LoginsPerMinutePerIp"] = "1000",
            ["RateLimits:PerAnonymousIpPerSecond"] = "1000",
            ["ReverseProxy:Clusters:identity:Destinations:identity-1:Address"] = Identity.Address.ToString(),
            ["ReverseProxy:Clusters:directory:Destinations:directory-1:Address"] = directory.Address.ToString(),
            ["ReverseProxy:Clusters:dashboard:Destinations:dashboard-1:Address"] = dashboard.Address.ToString(),
            ["ReverseProxy:Clusters:referrals:Destinations:referrals-1:Address"] = Referrals.Address.ToString(),
            ["ReverseProxy:Clusters:training:Destinations:training-1:Address"] = Training.Address.ToString(),
            ["ReverseProxy:Clusters:projects:Destinations:projects-1:Address"] = projectsHost.Address.ToString(),
            ["ReverseProxy:Clusters:notifications:Destinations:notifications-1:Address"] = notificationsHost.Address.ToString(),
            ["ReverseProxy:Clusters:portal:Destinations:portal-1:Address"] = portalHost.Address.ToString(),
        }));

        await SeedOrganisations();

        // `./coordination test` runs every test assembly at once on two cores: give assertions room.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    private PlatformHost<T> Start<T>(PlatformHost<T> host) where T : class
    {
        host.StartServer();
        hosts.Insert(0, host); // disposed in reverse order
        return host;
    }

    /// <summary>An API client through the gateway with a token of the test issuer's key (what the platform trusts).</summary>
    public HttpClient Api(string role, Guid? organisation = null, string? userId = null) =>
        new HttpClient { BaseAddress = Gateway.Address }.As(TestTokens.For(role, organisation, userId, issuer: Issuer));

    public async Task<Guid> RegisterOrganisation(object body)
    {
        var response = await (await Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/directory/organisations", body))
            .HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }

    /// <summary>A standard hand-off from the test ISCG post to the test association, through the gateway.</summary>
    public async Task HandOff() =>
        await (await Api(Roles.IscgWorker, IscgPost, "u-iscg").SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = Association, departement = "93",
            person = new { ageBand = "from18To25", minorsInvolved = false }, situation = "assault",
            needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "written", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);

    private async Task SeedOrganisations()
    {
        await RegisterOrganisation(new
        {
            id = IscgPost, name = "Poste ISCG – Commissariat de test", kind = "iscgPost", iscgPost = new { setting = "police", employer = "departement" },
            departements = new[] { "93" }, needs = new[] { "famille--surmonter-conflits-separation-violence" },
        });
        await RegisterOrganisation(new
        {
            id = Association, name = "France Victimes 93 (test)", kind = "victimSupportAssociation", departements = new[] { "93" },
            needs = new[] { "coordination--aide-aux-victimes", "coordination--mise-en-securite", "famille--surmonter-conflits-separation-violence" },
        });
        await RegisterOrganisation(new
        {
            id = OtherAssociation, name = "Association de test du 93", kind = "victimSupportAssociation", departements = new[] { "93" },
            needs = new[] { "coordination--aide-aux-victimes" },
        });
        // Referrals and Training learn organisations from the Directory's events (RabbitMQ): wait until both know them.
        foreach (var store in new[] { Referrals.Services.GetRequiredService<IDocumentStore>(), Training.Services.GetRequiredService<IDocumentStore>() })
            await HttpClientExtensions.Eventually(async () =>
            {
                await using var session = store.QuerySession();
                return await session.LoadManyAsync<KnownOrganisation>(IscgPost, Association, OtherAssociation);
            }, known => known.Count == 3 && known.All(k => k.Registered), TimeSpan.FromSeconds(60), "organisations known to Referrals and Training");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        foreach (var host in hosts) await host.DisposeAsync();
        foreach (var db in databases) await TestInfrastructure.DropDatabaseAsync(db);
        if (Directory.Exists(keysDirectory)) Directory.Delete(keysDirectory, recursive: true);
        await TestInfrastructure.DeleteVirtualHostAsync(amqp);
        File.Delete(keyPath);
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalPlatform>
{
    public const string Name = "portal";
}

/// <summary>
/// A platform of its own for the national dashboard's journeys: they look for counts under the small-count threshold,
/// which the hand-offs every other journey sends (two dozen for the long lists alone) would lift.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<PortalPlatform>
{
    public const string Name = "portal, national dashboard";
}

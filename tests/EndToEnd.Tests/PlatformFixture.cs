extern alias identity;
extern alias directory;
extern alias dashboard;
extern alias gateway;
extern alias referrals;
extern alias training;
extern alias projects;

namespace Coordination.EndToEnd.Tests;

/// <summary>
/// The whole platform in one test process, each part on its own port over real HTTP: the development
/// identity provider, Directory, Dashboard and the YARP gateway, on the real PostgreSQL and RabbitMQ.
/// Services validate tokens through the issuer's discovery document, exactly as in production.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public const string CoordinatorUsername = "coordination.test";
    public const string CoordinatorPassword = "Mot-de-passe-de-test-1";

    private readonly string keyPath = Path.Combine(Path.GetTempPath(), $"coordination-e2e-{Guid.NewGuid():N}.pem");
    private readonly string keysDirectory = Path.Combine(Path.GetTempPath(), $"coordination-e2e-keys-{Guid.NewGuid():N}");
    private string directoryDb = "", dashboardDb = "", referralsDb = "", identityDb = "", trainingDb = "", projectsDb = "";
    private Uri amqp = null!;

    public PlatformHost<identity::Program> Identity { get; private set; } = null!;
    public PlatformHost<directory::Program> Directory { get; private set; } = null!;
    public PlatformHost<dashboard::Program> Dashboard { get; private set; } = null!;
    public PlatformHost<referrals::Program> Referrals { get; private set; } = null!;
    public PlatformHost<training::Program> Training { get; private set; } = null!;
    public PlatformHost<projects::Program> Projects { get; private set; } = null!;
    public PlatformHost<gateway::Program> Gateway { get; private set; } = null!;

    /// <summary>The services' databases and the platform's virtual host, for tools that read them directly.</summary>
    public string ReferralsDatabase => referralsDb;

    public string DashboardDatabase => dashboardDb;

    public Uri Amqp => amqp;

    /// <summary>More Identity settings (e.g. accounts) for a platform that needs them.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreIdentitySettings() => [];

    /// <summary>More Referrals settings (e.g. the demo clock) for a platform that needs them.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreReferralsSettings() => [];

    /// <summary>Settings every host gets (e.g. log levels), after its own.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettingsForEveryHost() => [];

    /// <summary>Test-only services every host gets (a log recorder…).</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServicesForEveryHost => null;

    private PlatformHost<T> Host<T>(int port, Dictionary<string, string?> settings) where T : class =>
        new(port, settings.Concat(MoreSettingsForEveryHost()).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            TestServicesForEveryHost);

    /// <summary>As OpenIddict writes it in tokens and discovery: the issuer URI with its trailing slash.</summary>
    public string Issuer => Identity.Address.ToString();

    /// <summary>The mail server Identity sends to (the shared smtp4dev).</summary>
    public MailBox Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(keyPath, TestTokens.PrivateKeyPem);
        directoryDb = await TestInfrastructure.CreateDatabaseAsync("e2e_directory");
        dashboardDb = await TestInfrastructure.CreateDatabaseAsync("e2e_dashboard");
        referralsDb = await TestInfrastructure.CreateDatabaseAsync("e2e_referrals");
        identityDb = await TestInfrastructure.CreateDatabaseAsync("e2e_identity");
        trainingDb = await TestInfrastructure.CreateDatabaseAsync("e2e_training");
        projectsDb = await TestInfrastructure.CreateDatabaseAsync("e2e_projects");
        // One virtual host for the whole platform: Directory publishes, Dashboard consumes.
        amqp = await TestInfrastructure.CreateVirtualHostAsync("e2e");

        var identityPort = LocalMachine.FreePort();
        var issuer = $"http://127.0.0.1:{identityPort}";
        var gatewayPort = LocalMachine.FreePort();
        Mail = await MailServer.GetSharedAsync();
        Identity = Host<identity::Program>(identityPort, new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = identityDb,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(), // Identity publishes account contracts
            ["ConnectionStrings:Smtp"] = Mail.SmtpConnectionString,
            ["Identity:Links:PublicAddress"] = $"http://127.0.0.1:{gatewayPort}", // the e-mails' links go through the gateway
            ["Identity:Outbox:PollInterval"] = "00:00:00.500",
            ["Identity:RefreshTokenReuseGrace"] = "00:00:00", // no grace: a replay is one at once (the Portal refreshes single-flight)
            ["Identity:Issuer"] = issuer,
            ["Identity:SigningKeyPath"] = keyPath,
            ["Identity:KeysDirectory"] = keysDirectory,
            ["Identity:Accounts:0:Username"] = CoordinatorUsername,
            ["Identity:Accounts:0:Password"] = CoordinatorPassword,
            ["Identity:Accounts:0:UserId"] = "e2e-coordinator",
            ["Identity:Accounts:0:Name"] = "Coordinatrice de test",
            ["Identity:Accounts:0:Role"] = Roles.NationalCoordinator,
        }.Concat(MoreIdentitySettings()).ToDictionary());
        Identity.StartServer();

        Dictionary<string, string?> Service(string database) => new()
        {
            ["ConnectionStrings:EventStore"] = database,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
            ["Identity:Authority"] = issuer,
            ["Identity:RequireHttpsMetadata"] = "false",
        };
        Directory = Host<directory::Program>(LocalMachine.FreePort(), Service(directoryDb));
        Dashboard = Host<dashboard::Program>(LocalMachine.FreePort(), Service(dashboardDb));
        Referrals = Host<referrals::Program>(LocalMachine.FreePort(), Service(referralsDb).Concat(MoreReferralsSettings()).ToDictionary());
        Directory.StartServer();
        Dashboard.StartServer();
        Referrals.StartServer();
        Training = Host<training::Program>(LocalMachine.FreePort(), Service(trainingDb));
        Training.StartServer();
        Projects = Host<projects::Program>(LocalMachine.FreePort(), Service(projectsDb));
        Projects.StartServer();

        Gateway = Host<gateway::Program>(gatewayPort, new Dictionary<string, string?>
        {
            ["Identity:Authority"] = issuer,
            ["Identity:RequireHttpsMetadata"] = "false",
            ["ReverseProxy:Clusters:identity:Destinations:identity-1:Address"] = Identity.Address.ToString(),
            ["ReverseProxy:Clusters:directory:Destinations:directory-1:Address"] = Directory.Address.ToString(),
            ["ReverseProxy:Clusters:dashboard:Destinations:dashboard-1:Address"] = Dashboard.Address.ToString(),
            ["ReverseProxy:Clusters:referrals:Destinations:referrals-1:Address"] = Referrals.Address.ToString(),
            ["ReverseProxy:Clusters:training:Destinations:training-1:Address"] = Training.Address.ToString(),
            ["ReverseProxy:Clusters:projects:Destinations:projects-1:Address"] = Projects.Address.ToString(),
        });
        Gateway.StartServer();
    }

    public HttpClient GatewayClient() => new() { BaseAddress = Gateway.Address };

    /// <summary>The password grant through the gateway (tests and demo only), as a script would ask for tokens.</summary>
    public Task<HttpResponseMessage> PasswordGrant(string username, string password, string scope = "") =>
        GatewayClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = password, ["scope"] = scope,
        }));

    /// <summary>New tokens for a refresh token, through the gateway.</summary>
    public Task<HttpResponseMessage> RefreshGrant(string refreshToken) =>
        GatewayClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
        }));

    /// <summary>The tokens of a sign-in that must succeed.</summary>
    public async Task<TokenAnswer> Tokens(string username, string password, string scope = "") =>
        await (await (await PasswordGrant(username, password, scope)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();

    /// <summary>An access token of the fixture's national coordinator.</summary>
    public async Task<string> CoordinatorAccessToken() => (await Tokens(CoordinatorUsername, CoordinatorPassword)).AccessToken!;

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Projects.DisposeAsync();
        await Training.DisposeAsync();
        await Referrals.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Directory.DisposeAsync();
        await Identity.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(directoryDb);
        await TestInfrastructure.DropDatabaseAsync(dashboardDb);
        await TestInfrastructure.DropDatabaseAsync(referralsDb);
        await TestInfrastructure.DropDatabaseAsync(identityDb);
        await TestInfrastructure.DropDatabaseAsync(trainingDb);
        await TestInfrastructure.DropDatabaseAsync(projectsDb);
        System.IO.Directory.Delete(keysDirectory, recursive: true);
        await TestInfrastructure.DeleteVirtualHostAsync(amqp);
        File.Delete(keyPath);
    }
}

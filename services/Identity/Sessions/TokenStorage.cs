using Coordination.Identity.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Abstractions;

namespace Coordination.Identity.Sessions;

/// <summary>
/// OpenIddict's tables (applications, authorizations, tokens, scopes) in Identity's own database, schema
/// <c>identity</c>, beside the Marten event store. Every code and refresh token is a row: codes are single-use, refresh
/// tokens roll (a redeemed one replayed after the grace revokes its whole authorization) and an authorization, i.e. a
/// session, can be ended at any time.
/// </summary>
public sealed class TokenStorageContext(DbContextOptions<TokenStorageContext> options) : DbContext(options)
{
    public const string Schema = "identity";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.UseOpenIddict();
        base.OnModelCreating(modelBuilder);
    }
}

public static class TokenStorage
{
    /// <summary>When true, the tables are created at start (Development and tests by default; elsewhere an explicit step).</summary>
    public const string CreateTablesSetting = "Identity:TokenStorage:CreateTables";

    /// <summary>One lock for every replica that creates the tables or registers the clients at the same moment.</summary>
    private const long SetupLock = 0x1d_5e55_1035;

    public static IHostApplicationBuilder AddTokenStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(EventStoreSetup.ConnectionStringName)
            ?? throw new InvalidOperationException($"Connection string '{EventStoreSetup.ConnectionStringName}' is missing.");
        builder.Services.AddDbContext<TokenStorageContext>(options =>
        {
            options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("token_storage_migrations", TokenStorageContext.Schema));
            options.UseOpenIddict();
        });
        builder.Services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<TokenStorageContext>());
        builder.Services.AddHostedService<TokenStorageSetup>();
        return builder;
    }

    /// <summary>
    /// The explicit step that creates OpenIddict's tables when they do not exist yet (a deployment's migration step calls
    /// it; Development and the tests run it at start). Several replicas may run it at once: a PostgreSQL advisory lock
    /// makes them take turns.
    /// </summary>
    public static async Task CreateTablesAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TokenStorageContext>();
        await WithLockAsync(context, async () =>
        {
            // Named in full: the project's global usings bring Marten's SingleAsync too, and this query is Entity Framework's.
            var exists = await EntityFrameworkQueryableExtensions.SingleAsync(context.Database
                .SqlQueryRaw<bool>($"SELECT to_regclass('{TokenStorageContext.Schema}.\"OpenIddictTokens\"') IS NOT NULL AS \"Value\""), ct);
            if (!exists)
                await context.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(ct);
        }, ct);
    }

    /// <summary>The clients of <c>Identity:Clients</c> as OpenIddict applications: created, or updated to match.</summary>
    public static async Task RegisterClientsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TokenStorageContext>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var registry = scope.ServiceProvider.GetRequiredService<ClientRegistry>();
        await WithLockAsync(context, async () =>
        {
            foreach (var client in registry.All)
            {
                var descriptor = Describe(client);
                if (await applications.FindByClientIdAsync(client.ClientId, ct) is { } existing)
                    await applications.UpdateAsync(existing, descriptor, ct);
                else
                    await applications.CreateAsync(descriptor, ct);
            }
        }, ct);
    }

    private static async Task WithLockAsync(TokenStorageContext context, Func<Task> action, CancellationToken ct)
    {
        await context.Database.OpenConnectionAsync(ct);
        try
        {
            await context.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({SetupLock})", ct);
            try
            {
                await action();
            }
            finally
            {
                await context.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({SetupLock})", CancellationToken.None);
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static OpenIddictApplicationDescriptor Describe(ClientApplication client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = client.ClientSecret is null ? OpenIddictConstants.ClientTypes.Public : OpenIddictConstants.ClientTypes.Confidential,
            DisplayName = client.DisplayName ?? client.ClientId,
        };
        var permissions = descriptor.Permissions;
        permissions.Add(OpenIddictConstants.Permissions.Endpoints.Token);
        permissions.Add(OpenIddictConstants.Permissions.Endpoints.Revocation);
        permissions.Add(OpenIddictConstants.Permissions.Scopes.Profile);
        foreach (var grant in client.GrantTypes)
            permissions.Add(OpenIddictConstants.Permissions.Prefixes.GrantType + grant);
        if (client.GrantTypes.Contains(OpenIddictConstants.GrantTypes.AuthorizationCode))
        {
            permissions.Add(OpenIddictConstants.Permissions.Endpoints.Authorization);
            permissions.Add(OpenIddictConstants.Permissions.Endpoints.EndSession);
            permissions.Add(OpenIddictConstants.Permissions.ResponseTypes.Code);
            descriptor.Requirements.Add(OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange);
        }
        foreach (var uri in client.RedirectUris)
            descriptor.RedirectUris.Add(new Uri(uri));
        foreach (var uri in client.PostLogoutRedirectUris)
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
        return descriptor;
    }
}

/// <summary>At start: the tables when this environment creates them itself, then the clients from configuration.</summary>
public sealed class TokenStorageSetup(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (configuration.GetValue(TokenStorage.CreateTablesSetting, environment.IsDevelopment() || environment.IsEnvironment("Testing")))
            await TokenStorage.CreateTablesAsync(services, ct);
        await TokenStorage.RegisterClientsAsync(services, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

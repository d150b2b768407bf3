using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Xunit;

namespace Coordination.Testing;

/// <summary>
/// One service under test on real infrastructure: its own database and RabbitMQ virtual host,
/// tokens validated against <see cref="TestTokens"/> (the standard JwtBearer path, without a network fetch).
/// </summary>
public class ServiceFactory<TEntryPoint>(string name) : WebApplicationFactory<TEntryPoint>, IAsyncLifetime
    where TEntryPoint : class
{
    public string ConnectionString { get; private set; } = "";
    public Uri Amqp { get; private set; } = null!;

    /// <summary>Extra settings a test class needs (e.g. a shared virtual host for several services).</summary>
    protected Dictionary<string, string?> Settings { get; } = [];

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestInfrastructure.CreateDatabaseAsync(name);
        Amqp = Settings.TryGetValue($"ConnectionStrings:{MessagingSetup.ConnectionStringName}", out var shared) && shared is not null
            ? new Uri(shared)
            : await TestInfrastructure.CreateVirtualHostAsync(name);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{EventStoreSetup.ConnectionStringName}", ConnectionString);
        builder.UseSetting($"ConnectionStrings:{MessagingSetup.ConnectionStringName}", Amqp.ToString());
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting(TestKeyEncryption.Setting, TestKeyEncryption.Key); // Referrals wraps person keys with it
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(ConnectionString);
        if (!Settings.ContainsKey($"ConnectionStrings:{MessagingSetup.ConnectionStringName}"))
            await TestInfrastructure.DeleteVirtualHostAsync(Amqp);
    }
}

public static class TestAuthentication
{
    /// <summary>Validate <see cref="TestTokens"/> as if discovery had been fetched from their issuer (no network call).</summary>
    public static void ValidateTestTokens(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Configuration = TestTokens.OpenIdConfiguration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(TestTokens.OpenIdConfiguration);
        });
}

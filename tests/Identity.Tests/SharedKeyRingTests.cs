using System.Security.Cryptography;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>Identity with its share of the key ring encrypted by a certificate, as in production.</summary>
public sealed class KeyRingIdentityFactory : IdentityFactory
{
    public string Certificate { get; } = TestCertificates.Create("key-ring", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DataProtection:Certificate:Path", Certificate);
        builder.UseSetting("DataProtection:Certificate:Password", TestCertificates.Password);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(Certificate);
    }
}

/// <summary>
/// Portal replicas (separate service providers, as separate processes would be) and Identity on one key ring in
/// Identity's database: what one replica protects another reads, the applications stay apart, the keys are encrypted at
/// rest, and a new certificate still reads the keys the previous one encrypted.
/// </summary>
public class SharedKeyRingTests(KeyRingIdentityFactory identity) : IClassFixture<KeyRingIdentityFactory>
{
    private const string Purpose = "Microsoft.AspNetCore.Authentication.Cookies";

    private IServiceProvider Replica(string environment, string applicationName, params (string Key, string? Value)[] settings) =>
        Replica(environment, applicationName, generateKeys: true, settings);

    private IServiceProvider Replica(string environment, string applicationName, bool generateKeys, params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{SharedKeyRing.ConnectionStringName}"] = identity.ConnectionString,
        }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))));
        builder.AddSharedKeyRing(applicationName);
        // A replica that cannot read the keys would otherwise write a new, unencrypted one for the next test to find.
        builder.Services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.AutoGenerateKeys = generateKeys);
        return builder.Services.BuildServiceProvider();
    }

    private IServiceProvider PortalReplica(string? certificate = null, params (string, string?)[] more) =>
        Replica("Production", "Coordination.Portal",
            [("DataProtection:Certificate:Path", certificate ?? identity.Certificate), ("DataProtection:Certificate:Password", TestCertificates.Password), .. more]);

    private static IDataProtector Protector(IServiceProvider replica) =>
        replica.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private async Task<List<string>> StoredKeys()
    {
        await using var connection = new NpgsqlConnection(identity.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT xml FROM identity.{SharedKeyRing.TableName}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    [Fact]
    public async Task What_one_portal_replica_protects_another_reads_and_identity_cannot()
    {
        await identity.CreateClient().GetAsync("/account/login"); // Identity protects its antiforgery token with the ring
        var cookie = Protector(PortalReplica()).Protect("session de Camille");

        Assert.Equal("session de Camille", Protector(PortalReplica()).Unprotect(cookie));
        var fromIdentity = identity.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        Assert.ThrowsAny<CryptographicException>(() => fromIdentity.Unprotect(cookie));
        Assert.Single(await StoredKeys()); // one key for every replica and both applications
    }

    [Fact]
    public async Task The_keys_are_encrypted_at_rest_and_unreadable_without_the_certificate()
    {
        var cookie = Protector(PortalReplica()).Protect("session de Camille");
        var withoutCertificate = Replica("Development", "Coordination.Portal", generateKeys: false);

        var keys = await StoredKeys();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains("EncryptedData", key));
        Assert.All(keys, key => Assert.DoesNotContain("<value>", key));
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutCertificate).Unprotect(cookie));
    }

    [Fact]
    public void After_a_certificate_rollover_the_keys_the_previous_one_encrypted_are_still_read()
    {
        var cookie = Protector(PortalReplica()).Protect("session de Camille");
        var next = TestCertificates.Create("key-ring-next", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(730));
        try
        {
            var rolledOver = PortalReplica(next,
                ("DataProtection:PreviousCertificates:0:Path", identity.Certificate),
                ("DataProtection:PreviousCertificates:0:Password", TestCertificates.Password));

            Assert.Equal("session de Camille", Protector(rolledOver).Unprotect(cookie));
        }
        finally
        {
            File.Delete(next);
        }
    }

    [Fact]
    public void Production_refuses_to_start_without_the_shared_ring_or_without_its_certificate()
    {
        var noCertificate = Assert.Throws<InvalidOperationException>(() => Replica("Production", "Coordination.Portal"));
        var noDatabase = Assert.Throws<InvalidOperationException>(() =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
            builder.AddSharedKeyRing("Coordination.Portal");
        });

        Assert.Contains("DataProtection:Certificate:Path", noCertificate.Message);
        Assert.Contains($"Connection string '{SharedKeyRing.ConnectionStringName}' is missing", noDatabase.Message);
    }
}

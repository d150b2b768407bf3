using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Coordination.ServiceDefaults.EventSourcing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Coordination.ServiceDefaults.Security;

/// <summary>
/// One ASP.NET Data Protection key ring for every replica of Identity and of the Portal, kept in PostgreSQL (table
/// <c>identity.data_protection_keys</c>, created by Identity's schema migration): a sign-in cookie, an antiforgery token
/// or a queued e-mail protected by one replica is read by any other, and after any restart. Each application keeps its
/// own name (<c>DataProtection:ApplicationName</c>), so one cannot read what the other protected although both share
/// the keys. The keys are encrypted at rest with a certificate (<c>DataProtection:Certificate</c>), required in
/// Production; older certificates (<c>DataProtection:PreviousCertificates</c>) still decrypt keys written under them.
/// </summary>
/// <remarks>
/// Settings: <c>ConnectionStrings:DataProtection</c> (the database holding the table: Identity's; absent → Identity's
/// <c>EventStore</c>, or no shared ring at all for a process without either: keys in memory, a development fallback),
/// <c>DataProtection:Schema</c> (default <c>identity</c>), <c>DataProtection:Certificate:Path</c> and <c>:Password</c>
/// (PKCS#12), <c>DataProtection:PreviousCertificates:N:Path</c> and <c>:Password</c>.
/// </remarks>
public static class SharedKeyRing
{
    public const string ConnectionStringName = "DataProtection";
    public const string Section = "DataProtection";
    public const string DefaultSchema = "identity";
    public const string TableName = "data_protection_keys";

    public static IHostApplicationBuilder AddSharedKeyRing(this IHostApplicationBuilder builder, string applicationName,
        string? fallbackConnectionString = null)
    {
        var settings = builder.Configuration.GetSection(Section);
        // The migration step (--migrate) creates the table and protects nothing, and the description export (--openapi)
        // starts nothing: neither needs the ring or its certificate.
        var required = builder.Environment.IsProduction() && !SchemaMigration.Requested()
            && OpenApi.OpenApiExport.RequestedFile() is not { Length: > 0 };
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(settings["ApplicationName"] is { Length: > 0 } name ? name : applicationName);
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName) ?? fallbackConnectionString;
        if (connectionString is null)
        {
            if (required)
                throw new InvalidOperationException(
                    $"Connection string '{ConnectionStringName}' is missing: in Production every replica shares the key ring in PostgreSQL.");
            return builder;
        }
        var schema = settings["Schema"] is { Length: > 0 } s ? s : DefaultSchema;
        builder.Services.AddSingleton(new KeyRingTable(NpgsqlDataSource.Create(connectionString), schema));
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = services.GetRequiredService<KeyRingTable>()));

        var current = LoadCertificate(settings.GetSection("Certificate"));
        if (current is null)
        {
            if (required)
                throw new InvalidOperationException(
                    $"Configuration '{Section}:Certificate:Path' is missing: in Production the shared key ring is encrypted at rest.");
            return builder;
        }
        var previous = settings.GetSection("PreviousCertificates").GetChildren().Select(LoadCertificate).OfType<X509Certificate2>();
        dataProtection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
        return builder;
    }

    private static X509Certificate2? LoadCertificate(IConfigurationSection section)
    {
        if (section["Path"] is not { Length: > 0 } path) return null;
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"]);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"The certificate '{path}' ({section.Path}) has no private key: it could not decrypt the key ring.");
        return certificate;
    }
}

/// <summary>
/// The key ring's rows. Data Protection reads every key at start and when the default key nears expiry, and stores a new
/// one (90 days by default) about two days before: every replica sees it before it becomes the default.
/// </summary>
public sealed class KeyRingTable(NpgsqlDataSource dataSource, string schema) : IXmlRepository, IDisposable
{
    private string Table => $"\"{schema}\".{SharedKeyRing.TableName}";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand($"SELECT xml FROM {Table} ORDER BY stored_at, friendly_name");
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
            keys.Add(XElement.Parse(reader.GetString(0)));
        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // A name is a key's id: two replicas never write the same key twice, and a repeat is harmless.
        using var command = dataSource.CreateCommand(
            $"INSERT INTO {Table} (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    public void Dispose() => dataSource.Dispose();
}

using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Coordination.Identity.Mail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Identity.Tests;

/// <summary>The OpenID Connect provider on the real PostgreSQL, with its own keys folder and a few accounts.</summary>
public class IdentityFactory() : ServiceFactory<Program>("identity")
{
    public const string Issuer = "http://identity.test/";
    public const string Password = "Mot-de-passe-1!";
    public static readonly Guid Organisation = Guid.NewGuid();

    public RecordingMailTransport Mail { get; } = new();

    public string KeysDirectory { get; } = Path.Combine(Path.GetTempPath(), $"coordination-identity-tests-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Identity:KeysDirectory", KeysDirectory);
        builder.UseSetting("Identity:Lockout:MaxFailedAttempts", "3");
        builder.UseSetting("Identity:Links:PublicAddress", "http://coordination.test");
        builder.UseSetting("Identity:Mail:PollInterval", "00:00:00.200");
        builder.UseSetting("Identity:Mail:MaxBackoff", "00:00:01");
        builder.ConfigureTestServices(services => services.AddSingleton<IMailTransport>(Mail));
        var accounts = new[]
        {
            ("camille", Roles.AssociationStaff, (Guid?)Organisation), ("louise", Roles.IscgWorker, Organisation),
            ("admin", Roles.Admin, null), ("direction", Roles.AssociationStaff, Organisation),
        };
        for (var i = 0; i < accounts.Length; i++)
        {
            var (username, role, organisation) = accounts[i];
            builder.UseSetting($"Identity:Accounts:{i}:Username", username);
            builder.UseSetting($"Identity:Accounts:{i}:Password", Password);
            builder.UseSetting($"Identity:Accounts:{i}:UserId", "user-" + username);
            builder.UseSetting($"Identity:Accounts:{i}:Name", username + " T.");
            builder.UseSetting($"Identity:Accounts:{i}:Role", role);
            if (organisation is not null)
                builder.UseSetting($"Identity:Accounts:{i}:OrganisationId", organisation.ToString());
            if (username == "direction")
            {
                builder.UseSetting($"Identity:Accounts:{i}:OrganisationManager", "true");
                builder.UseSetting($"Identity:Accounts:{i}:ArchiveAccess", "true");
            }
        }
    }
}

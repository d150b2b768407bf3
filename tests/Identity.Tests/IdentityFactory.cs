using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Identity.Tests;

/// <summary>The OpenID Connect provider on the real PostgreSQL, with its own keys folder and a few accounts.</summary>
public class IdentityFactory() : ServiceFactory<Program>("identity")
{
    public const string Issuer = "http://identity.test/";
    public const string Password = "Mot-de-passe-1!";
    public static readonly Guid Organisation = Guid.NewGuid();

    /// <summary>The real mail server the provider sends to (smtp4dev), read through its REST API.</summary>
    public MailBox Mail { get; private set; } = null!;

    /// <summary>The admin account's address, new for each factory (the mail server is shared between runs).</summary>
    public string AdminEmail { get; } = $"admin.{Guid.NewGuid():N}@identity.test";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Mail = await OpenMailBoxAsync();
    }

    /// <summary>The shared mail server; an outage test brings its own.</summary>
    protected virtual Task<MailBox> OpenMailBoxAsync() => MailServer.GetSharedAsync();

    public string KeysDirectory { get; } = Path.Combine(Path.GetTempPath(), $"coordination-identity-tests-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Identity:KeysDirectory", KeysDirectory);
        // Three free failures, then a delay long enough that a test always runs inside it.
        builder.UseSetting("Identity:SignInDelays:FreeFailuresPerAccount", "3");
        builder.UseSetting("Identity:SignInDelays:FirstDelay", "00:10:00");
        builder.UseSetting("Identity:SignInDelays:MaxDelayPerAccount", "00:10:00");
        builder.UseSetting("Identity:Links:PublicAddress", "http://coordination.test");
        builder.UseSetting("ConnectionStrings:Smtp", Mail.SmtpConnectionString);
        builder.UseSetting("Identity:Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("Identity:Outbox:MaxBackoff", "00:00:01");
        var accounts = new[]
        {
            ("camille", Roles.AssociationStaff, (Guid?)Organisation), ("louise", Roles.IscgWorker, Organisation),
            ("admin", Roles.Admin, null), ("direction", Roles.AssociationStaff, Organisation),
            // Second factor: required for coordinators (chef, marie, paul), chosen by others (alex).
            ("chef", Roles.NationalCoordinator, null), ("marie", Roles.NationalCoordinator, null), ("paul", Roles.NationalCoordinator, null),
            ("alex", Roles.IscgWorker, Organisation),
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
            if (username == "admin")
                builder.UseSetting($"Identity:Accounts:{i}:Email", AdminEmail);
            if (username == "direction")
            {
                builder.UseSetting($"Identity:Accounts:{i}:OrganisationManager", "true");
                builder.UseSetting($"Identity:Accounts:{i}:ArchiveAccess", "true");
            }
        }
    }

    /// <summary>A new association of the 93, announced by the Directory on the bus; returns once Identity knows it.</summary>
    public async Task<Guid> RegisteredOrganisation()
    {
        var id = Guid.NewGuid();
        await Services.GetRequiredService<IBus>().Publish(new OrganisationRegistered(id, OrganisationKinds.VictimSupportAssociation, null, null,
            ["93"], ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.LoadAsync<KnownOrganisation>(id);
        }, o => o is { Registered: true }, what: "the organisation known to Identity");
        return id;
    }
}

using Coordination.Contracts;
using Coordination.Contracts.Directory;
using Coordination.Contracts.Identity;
using Coordination.Notifications.Audience;
using Coordination.Notifications.Notifying;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>One Notifications host on real PostgreSQL and RabbitMQ, sending to <paramref name="mail"/>.</summary>
public class NotificationsFactory : ServiceFactory<Program>
{
    private readonly string? sharedDatabase;
    private readonly Uri? sharedBroker;

    public NotificationsFactory(TestMailServer mail, string? sharedDatabase = null, Uri? sharedBroker = null) : base("notifications")
    {
        Mail = mail;
        this.sharedDatabase = sharedDatabase;
        this.sharedBroker = sharedBroker;
        if (sharedBroker is not null)
            Settings["ConnectionStrings:RabbitMq"] = sharedBroker.ToString();
    }

    public TestMailServer Mail { get; }

    public string Database => sharedDatabase ?? ConnectionString;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (sharedDatabase is not null)
            Settings["ConnectionStrings:EventStore"] = sharedDatabase;
        Settings["ConnectionStrings:Smtp"] = Mail.SmtpConnectionString;
        Settings["Notifications:PortalAddress"] = "https://portail.coordination.test";
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public async Task Publish(IIntegrationEvent message, Guid? messageId = null) =>
        await Services.GetRequiredService<IBus>().Publish(message, message.GetType(), c => c.MessageId = messageId ?? Guid.NewGuid());

    /// <summary>An organisation known by name (as the Directory publishes it).</summary>
    public async Task<Guid> Organisation(string name)
    {
        var id = Guid.NewGuid();
        await Publish(new OrganisationRegistered(id, OrganisationKinds.VictimSupportAssociation, null, null, ["93"], [], true, 1,
            DateTimeOffset.UtcNow, name));
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = Store.QuerySession();
            return await session.LoadAsync<KnownOrganisation>(id);
        }, o => o?.Name == name, what: "organisation known");
        return id;
    }

    public sealed record Person(string UserId, string Email, string DisplayName, Guid? OrganisationId, bool Manager);

    /// <summary>An active account with an address (as Identity publishes it).</summary>
    public async Task<Person> Account(Guid? organisationId, string role = "association_staff", bool manager = false, string? email = null,
        string? displayName = null)
    {
        var accountId = Guid.NewGuid();
        var person = new Person($"user-{accountId:N}"[..20], email ?? $"{accountId:N}@exemple.test",
            displayName ?? $"Canari Durand-{accountId:N}"[..24], organisationId, manager);
        var now = DateTimeOffset.UtcNow;
        await Publish(new AccountActivated(accountId, person.UserId, role, organisationId, manager, 1, now));
        await Publish(new AccountDeliveryAddressChanged(accountId, person.UserId, person.DisplayName, person.Email, 2, now));
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = Store.QuerySession();
            return await session.LoadAsync<Member>(accountId);
        }, m => m is { Active: true, Email: not null }, what: "account known");
        return person;
    }

    public HttpClient As(Person person) => CreateClient().As(TestTokens.For(
        person.OrganisationId is null ? "national_coordinator" : "association_staff", person.OrganisationId, person.UserId, manager: person.Manager));

    public async Task<IReadOnlyList<Delivery>> DeliveriesOf(string userId)
    {
        await using var session = Store.QuerySession();
        return await session.Query<Delivery>().Where(d => d.UserId == userId).ToListAsync();
    }

    public async Task<IReadOnlyList<Notification>> NotificationsAbout(Guid subjectId)
    {
        await using var session = Store.QuerySession();
        return (await session.Query<Notification>().ToListAsync()).Where(n => n.Subject.Id == subjectId).ToList();
    }

    /// <summary>Waits until exactly <paramref name="count"/> e-mails reached <paramref name="address"/>, then returns them.</summary>
    public async Task<IReadOnlyList<TestMailServer.Received>> MailTo(string address, int count = 1) =>
        await HttpClientExtensions.Eventually(() => Mail.MessagesToAsync(address), m => m.Count >= count, TimeSpan.FromSeconds(60),
            $"{count} e-mail(s) to {address}");
}

/// <summary>The mail server and the main host, shared by the tests of the collection (they run one after another).</summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public TestMailServer Mail { get; } = new();
    public NotificationsFactory Host { get; private set; } = null!;
    private NotificationsFactory? started;

    public async Task InitializeAsync()
    {
        await Mail.StartAsync();
        Host = started = new NotificationsFactory(Mail);
        await Host.InitializeAsync();
        _ = Host.Services; // start it
    }

    public async Task DisposeAsync()
    {
        // Also after a failed start: the mail server must not outlive the tests.
        try
        {
            if (started is not null)
                await started.DisposeAsync();
        }
        finally
        {
            await Mail.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}

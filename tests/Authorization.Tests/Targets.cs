extern alias directory;
extern alias dashboard;
extern alias referrals;
extern alias identity;
extern alias gateway;
extern alias training;
extern alias projects;
extern alias notifications;
using System.Net;
using System.Net.Http.Headers;
using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Authorization.Tests;

/// <summary>
/// The three services with an API, on the real PostgreSQL and RabbitMQ, and the resources the matrix acts on:
/// an organisation in the Directory, and a referral sent from one organisation to another.
/// </summary>
public sealed class Targets : IAsyncLifetime
{
    public ServiceFactory<directory::Program> Directory { get; } = new("authz_directory");
    public ServiceFactory<dashboard::Program> Dashboard { get; } = new("authz_dashboard");
    public ServiceFactory<referrals::Program> Referrals { get; } = new("authz_referrals");
    public IdentityHost Identity { get; } = new();
    public ServiceFactory<training::Program> Training { get; } = new("authz_training");
    public ServiceFactory<projects::Program> Projects { get; } = new("authz_projects");
    public NotificationsHost Notifications { get; } = new();
    public Guid Project { get; private set; }
    public Guid SupportRequest { get; private set; }
    public Guid Module { get; private set; }
    public Guid Session { get; private set; }
    public Guid FundingLine { get; private set; }
    public Guid Milestone { get; private set; }
    public GatewayHost Gateway { get; } = new();

    public Guid Organisation { get; private set; }
    public Guid SenderOrganisation { get; } = Guid.NewGuid();
    public Guid ReceiverOrganisation { get; } = Guid.NewGuid();
    public Guid SpareOrganisation { get; } = Guid.NewGuid();
    public Guid Referral { get; private set; }
    public Guid Message { get; private set; }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Directory.InitializeAsync(), Dashboard.InitializeAsync(), Referrals.InitializeAsync(), Identity.InitializeAsync(), Training.InitializeAsync(), Projects.InitializeAsync(), Notifications.InitializeAsync());

        // A project led by the "own" organisation (the referral sender's), with a funding line, a milestone and a support request.
        var lead = Projects.CreateClient().As(TestTokens.For(Roles.AssociationStaff, SenderOrganisation));
        var project = await (await lead.SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Projet d'essai", type = "jointReceptionPoint", departements = new[] { "93" }, leadOrganisationId = SenderOrganisation,
            description = "Essai", budget = 1000m,
        })).HasStatus(HttpStatusCode.Created);
        Project = (await project.ReadJsonElement()).GetProperty("project").GetProperty("id").GetGuid();
        var etag = (await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/funding-lines",
            new { funder = "caf", amountRequested = 100m, fromYear = 2026, toYear = 2026 }, project.Headers.ETag!.Tag)).HasStatus(HttpStatusCode.NoContent)).Headers.ETag!.Tag;
        await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/milestones", new { title = "Étape", dueDate = "2027-01-01" }, etag)).HasStatus(HttpStatusCode.NoContent);
        var state = await (await lead.GetAsync($"/api/projects/{Project}")).ReadJsonElement();
        FundingLine = state.GetProperty("project").GetProperty("funding")[0].GetProperty("lineId").GetGuid();
        Milestone = state.GetProperty("project").GetProperty("milestones")[0].GetProperty("milestoneId").GetGuid();
        var support = await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/support-requests", new { kind = "other", message = "Question" }))
            .HasStatus(HttpStatusCode.Created);
        SupportRequest = (await support.ReadJsonElement()).GetProperty("id").GetGuid();

        var coordinator = Training.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var module = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = "Module d'essai", objectives = "Essai", audience = "both", durationMinutes = 180, format = "inPerson", coDesignedBy = Array.Empty<Guid>(),
        })).HasStatus(HttpStatusCode.Created);
        Module = (await module.ReadJsonElement()).GetProperty("id").GetGuid();
        var session = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = Module, startsAt = DateTimeOffset.UtcNow.AddDays(20), endsAt = DateTimeOffset.UtcNow.AddDays(20).AddHours(3),
            place = "Bobigny", departement = "93", capacity = 200,
            trainers = new object[] { new { name = "Formatrice ISCG", network = "aniscg" }, new { name = "Formateur AAV", network = "franceVictimes" } },
        })).HasStatus(HttpStatusCode.Created);
        Session = (await session.ReadJsonElement()).GetProperty("id").GetGuid();

        var admin = Directory.CreateClient().As(TestTokens.For(Roles.Admin));
        var registered = await (await admin.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "CCAS d'essai", kind = "partner", partnerNetwork = "ccas-cias",
            departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" },
        })).HasStatus(HttpStatusCode.Created);
        Organisation = (await registered.ReadJsonElement()).GetProperty("id").GetGuid();

        var bus = Referrals.Services.GetRequiredService<IBus>();
        foreach (var id in new[] { SenderOrganisation, ReceiverOrganisation, SpareOrganisation })
            await bus.Publish(new OrganisationRegistered(id, OrganisationKinds.VictimSupportAssociation, null, null, ["93"],
                ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        var store = Referrals.Services.GetRequiredService<IDocumentStore>();
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<Coordination.DirectoryView.KnownOrganisation>().CountAsync();
        }, n => n == 3, what: "organisations known to Referrals");

        var sender = Referrals.CreateClient().As(TestTokens.For(Roles.AssociationStaff, SenderOrganisation));
        var sent = await (await sender.SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = ReceiverOrganisation, departement = "93",
            person = new { firstName = "Nadia", ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "sante--sante-mentale" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);
        Referral = (await sent.ReadJsonElement()).GetProperty("id").GetGuid();
        await (await sender.SendJson(HttpMethod.Post, $"/api/referrals/{Referral}/messages", new { text = "Bonjour" }, sent.Headers.ETag!.Tag))
            .HasStatus(HttpStatusCode.NoContent);
        Message = (await (await sender.GetAsync($"/api/referrals/{Referral}")).ReadJsonElement()).GetProperty("messages")[0].GetProperty("id").GetGuid();
    }

    public async Task<string> CurrentVersion(string service, string path)
    {
        var response = await NewClient(service).As(TestTokens.For(Roles.Admin)).GetAsync(path);
        return response.Headers.ETag!.Tag;
    }

    public IEnumerable<string> EndpointKeys(string service) => service switch
    {
        "directory" => Keys(Directory.Services),
        "dashboard" => Keys(Dashboard.Services),
        "referrals" => Keys(Referrals.Services),
        "identity" => Keys(Identity.Services),
        "gateway" => Keys(Gateway.Services),
        "training" => Keys(Training.Services),
        "projects" => Keys(Projects.Services),
        "notifications" => Keys(Notifications.Services),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    private static IEnumerable<string> Keys(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"));

    public HttpClient Client(string service, Caller caller)
    {
        var client = NewClient(service);
        if (caller.Role is null) return client;
        Guid? organisation = caller.Relation switch
        {
            Relation.Own => service == "directory" ? Organisation : SenderOrganisation, // projects: the lead organisation
            Relation.Receiver => ReceiverOrganisation,
            Relation.Other => Guid.NewGuid(),
            _ => null,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(caller.Role, organisation, manager: caller.Manager, archiveAccess: caller.ArchiveAccess));
        return client;
    }

    private HttpClient NewClient(string service) => service switch
    {
        "directory" => Directory.CreateClient(),
        "dashboard" => Dashboard.CreateClient(),
        "referrals" => Referrals.CreateClient(),
        "identity" => Identity.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
        "gateway" => Gateway.CreateClient(),
        "training" => Training.CreateClient(),
        "projects" => Projects.CreateClient(),
        "notifications" => Notifications.CreateClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    public async Task DisposeAsync()
    {
        await Directory.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Referrals.DisposeAsync();
        await Identity.DisposeAsync();
        await Gateway.DisposeAsync();
        await Training.DisposeAsync();
        await Projects.DisposeAsync();
        await Notifications.DisposeAsync();
    }
}

/// <summary>Notifications needs a mail relay setting; nothing is due in the matrix, so nothing is ever sent to it.</summary>
public sealed class NotificationsHost() : ServiceFactory<notifications::Program>("authz_notifications")
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Smtp", "smtp://127.0.0.1:9");
    }
}

public sealed class IdentityHost() : ServiceFactory<identity::Program>("authz_identity")
{
    private readonly string keys = Path.Combine(Path.GetTempPath(), $"coordination-authz-keys-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:Issuer", "http://identity.test/");
        builder.UseSetting("Identity:KeysDirectory", keys);
    }
}

/// <summary>The gateway with backends that do not answer: what passes its authorization gets 502/503 from the proxy.</summary>
public sealed class GatewayHost : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<gateway::Program>
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        foreach (var cluster in new[] { "identity", "directory", "dashboard", "referrals", "training", "projects", "notifications" })
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-1:Address", "http://127.0.0.1:9/");
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }
}

using Marten;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>Messages go through the real RabbitMQ into the Dashboard's own Marten streams.</summary>
public class ReceivingDirectoryEventsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private const string Queue = "dashboard-directory-events";
    private const string View = "/api/dashboard/organisations-by-departement";
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));

    private async Task Publish(object message, Guid? messageId)
    {
        var bus = factory.Services.GetRequiredService<IBus>();
        await bus.Publish(message, message.GetType(), context => context.MessageId = messageId);
    }

    private async Task<int> OrganisationsIn(string departement, string kind)
    {
        var view = await (await (await Coordinator().GetAsync($"{View}?departement={departement}")).HasStatus(HttpStatusCode.OK))
            .ReadJson<OrganisationsByDepartement>();
        return view.Rows.Where(row => row.Kind == kind).Sum(row => row.Organisations);
    }

    private async Task QueueDrained() =>
        await HttpClientExtensions.Eventually(() => TestInfrastructure.QueueDepthAsync(factory.Amqp, Queue), depth => depth == 0,
            what: $"{Queue} drained");

    [Fact]
    public async Task The_same_message_delivered_twice_is_counted_once()
    {
        var organisationId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var registered = new OrganisationRegistered(organisationId, OrganisationKinds.IscgPost, null, "police",
            ["2B"], ["sante--sante-mentale"], true, 1, At);

        await Publish(registered, messageId);
        await Publish(registered, messageId);

        await HttpClientExtensions.Eventually(() => OrganisationsIn("2B", OrganisationKinds.IscgPost), n => n >= 1, what: "registration received");
        await QueueDrained();
        Assert.Equal(1, await OrganisationsIn("2B", OrganisationKinds.IscgPost));
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(organisationId));
    }

    [Fact]
    public async Task Messages_arriving_out_of_order_give_the_latest_coverage()
    {
        var organisationId = Guid.NewGuid();
        await Publish(new OrganisationCoverageChanged(organisationId, ["2A"], ["sante--sante-mentale"], 2, At.AddHours(1)), Guid.NewGuid());
        await Publish(new OrganisationRegistered(organisationId, OrganisationKinds.Partner, "ccas-cias", null,
            ["971"], ["sante--sante-mentale"], true, 1, At), Guid.NewGuid());

        await HttpClientExtensions.Eventually(() => OrganisationsIn("2A", OrganisationKinds.Partner), n => n == 1, what: "coverage applied");
        await QueueDrained();
        Assert.Equal(1, await OrganisationsIn("2A", OrganisationKinds.Partner));
        Assert.Equal(0, await OrganisationsIn("971", OrganisationKinds.Partner));
    }

    [Fact]
    public async Task A_message_that_cannot_be_deduplicated_goes_to_the_error_queue_and_health_says_so()
    {
        await Publish(new OrganisationDeactivated(Guid.NewGuid(), 2, At), messageId: null);

        await HttpClientExtensions.Eventually(() => TestInfrastructure.QueueDepthAsync(factory.Amqp, Queue + "_error"),
            depth => depth == 1, what: "poison message parked in the error queue");
        var health = await HttpClientExtensions.Eventually(
            async () => await (await factory.CreateClient().GetAsync("/health")).ReadJson<Health>(),
            health => health.Status == "Degraded", TimeSpan.FromSeconds(15), "health degraded");
        Assert.Equal(1, health.Checks["error-queues"].Data![Queue + "_error"].GetInt32());
    }

    [Fact]
    public async Task Only_coordinators_read_national_views()
    {
        var worker = await factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, Guid.NewGuid())).GetAsync(View);
        var anonymous = await factory.CreateClient().GetAsync(View);
        var admin = await factory.CreateClient().As(TestTokens.For(Roles.Admin)).GetAsync(View);

        Assert.Equal(HttpStatusCode.Forbidden, worker.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}

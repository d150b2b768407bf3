namespace Coordination.Dashboard.Api.Tests;

public class LiveChangesTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task An_open_dashboard_is_told_when_new_facts_are_stored()
    {
        var client = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        using var response = await client.GetAsync("/api/dashboard/changes", HttpCompletionOption.ResponseHeadersRead);
        await response.HasStatus(HttpStatusCode.OK);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 5000", await reader.ReadLineAsync());

        await factory.Services.GetRequiredService<IBus>().Publish(new OrganisationRegistered(
            Guid.NewGuid(), OrganisationKinds.IscgPost, null, "police", ["93"], [], true, 1, DateTimeOffset.UtcNow));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && line != "event: changed") { }
        Assert.Equal("event: changed", line);
        var data = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("data: {\"sequence\":", data);
    }

    [Fact]
    public async Task Only_people_who_read_indicators_may_listen()
    {
        await (await factory.CreateClient().GetAsync("/api/dashboard/changes")).HasStatus(HttpStatusCode.Unauthorized);
        await (await factory.CreateClient().As(TestTokens.For("service")).GetAsync("/api/dashboard/changes")).HasStatus(HttpStatusCode.Forbidden);
    }
}

using Coordination.ServiceDefaults.Http;

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
        // The first event says how long the browser waits before reconnecting.
        Assert.Contains("retry: 5000", await reader.NextEventAsync(CancellationToken.None));

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
    public async Task An_idle_feed_sends_a_keep_alive_so_that_proxies_keep_it_open()
    {
        var client = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        using var response = await client.GetAsync("/api/dashboard/changes", HttpCompletionOption.ResponseHeadersRead);
        await response.HasStatus(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("event: keep-alive", await reader.NextEventAsync(CancellationToken.None)); // on opening

        // Nothing is published: past the interval, with no change to tell, the feed still speaks.
        using var timeout = new CancellationTokenSource(LiveFeeds.KeepAliveEvery * 4);
        string block;
        do block = await reader.NextEventAsync(timeout.Token);
        while (!block.StartsWith("event: keep-alive", StringComparison.Ordinal));
        Assert.DoesNotContain("retry:", block); // only the opening one sets the delay
    }

    [Fact]
    public async Task Only_people_who_read_indicators_may_listen()
    {
        await (await factory.CreateClient().GetAsync("/api/dashboard/changes")).HasStatus(HttpStatusCode.Unauthorized);
        await (await factory.CreateClient().As(TestTokens.For("service")).GetAsync("/api/dashboard/changes")).HasStatus(HttpStatusCode.Forbidden);
    }
}

using Coordination.Synthetic;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// A smoke run of <c>infra/bench-dashboard.sh</c>'s measuring tool over a tiny synthetic volume, so that it cannot rot:
/// every view it times answers, freshness is measured through RabbitMQ, the rebuild it times succeeds, and the report is written. Its figures are not judged.
/// </summary>
public class DashboardBenchSmokeTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task The_dashboard_benchmark_times_every_view_and_a_rebuild_over_a_tiny_volume()
    {
        var until = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var loaded = await DashboardVolume.LoadAsync(factory.ConnectionString, 11, until, 1_000, TextWriter.Null, CancellationToken.None);
        var organisations = new NationalActivity(11, until).Organisations().ToList();
        var (organisation, sender) = (organisations[0].Id, organisations[1].Id);
        var log = new StringWriter();
        // Freshness through the test's own bus and the real RabbitMQ; a dozen hand-offs today first, so that the daily
        // view's total is a number (a national total under 11 is hidden) and each published one shows in it.
        var bus = factory.Services.GetRequiredService<IBus>();
        var freshness = new DashboardFreshness.Setup((message, ct) => bus.Publish(message, message.GetType(), ct), sender, organisation, "93", 3);
        for (var i = 0; i < 12; i++) await freshness.Publish(DashboardFreshness.HandOff(freshness, DateTimeOffset.UtcNow), CancellationToken.None);

        var figures = await DashboardBench.RunAsync(factory.CreateClient(), TestTokens.For(Roles.NationalCoordinator), TestTokens.For(Roles.Admin),
            organisation, repetitions: 3, rebuild: true, pid: null, (loaded.Events, loaded.Streams, loaded.Persons, loaded.Seconds), log,
            CancellationToken.None, freshness);

        Assert.Equal(19, figures.Queries.Count);
        Assert.All(figures.Queries, q =>
        {
            Assert.True(q.Errors == 0, $"{q.Query}: {q.Errors} request(s) refused\n{log}");
            Assert.Equal(3, q.Count);
            Assert.True(q.P50Ms > 0 && q.CachedP50Ms > 0, q.Query);
        });
        Assert.True(figures.Freshness is { Samples: 3, Missed: 0, P99Ms: > 0 }, $"freshness: {figures.Freshness}\n{log}");
        Assert.True(figures.RebuildSeconds is > 0, $"the rebuild failed\n{log}");
        Assert.Equal(loaded.Events, figures.Events);
        var markdown = DashboardBench.Markdown(figures);
        Assert.Contains("| referrals, ISCG network, last 30 days | 3 |", markdown);
        Assert.Contains("Rebuild by replay of every view", markdown);
        Assert.Contains("| organisation dashboard, against the year before | 3 |", markdown);
        Assert.Contains("Freshness to the answer (3 hand-offs", markdown);
    }
}

using Coordination.ServiceDefaults.Security;
using Coordination.Synthetic;
using Coordination.Testing;
using Xunit;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// A smoke run of <c>infra/bench-dashboard.sh</c>'s measuring tool over a tiny synthetic volume, so that it cannot rot:
/// every view it times answers, the rebuild it times succeeds, and the report is written. Its figures are not judged.
/// </summary>
public class DashboardBenchSmokeTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task The_dashboard_benchmark_times_every_view_and_a_rebuild_over_a_tiny_volume()
    {
        var until = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var loaded = await DashboardVolume.LoadAsync(factory.ConnectionString, 11, until, 1_000, TextWriter.Null, CancellationToken.None);
        var organisation = new NationalActivity(11, until).Organisations().First().Id;
        var log = new StringWriter();

        var figures = await DashboardBench.RunAsync(factory.CreateClient(), TestTokens.For(Roles.NationalCoordinator), TestTokens.For(Roles.Admin),
            organisation, repetitions: 3, rebuild: true, pid: null, (loaded.Events, loaded.Streams, loaded.Persons, loaded.Seconds), log,
            CancellationToken.None);

        Assert.Equal(10, figures.Queries.Count);
        Assert.All(figures.Queries, q =>
        {
            Assert.True(q.Errors == 0, $"{q.Query}: {q.Errors} request(s) refused\n{log}");
            Assert.Equal(3, q.Count);
            Assert.True(q.P50Ms > 0 && q.CachedP50Ms > 0, q.Query);
        });
        Assert.True(figures.RebuildSeconds is > 0, $"the rebuild failed\n{log}");
        Assert.Equal(loaded.Events, figures.Events);
        var markdown = DashboardBench.Markdown(figures);
        Assert.Contains("| referrals, ISCG network, last 30 days | 3 |", markdown);
        Assert.Contains("Rebuild by replay of every view", markdown);
    }
}

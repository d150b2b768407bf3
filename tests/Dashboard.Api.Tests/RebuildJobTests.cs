using Coordination.Dashboard.Rebuilding;
using Marten;
using Npgsql;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// A rebuild takes minutes at national volume: it is a job the caller follows, never a request held open through the
/// gateway, and only one runs at a time across the Dashboard's instances.
/// </summary>
public class RebuildJobTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private HttpClient Admin() => factory.CreateClient().As(TestTokens.For(Roles.Admin));

    [Fact]
    public async Task A_rebuild_answers_at_once_and_is_followed_to_its_end()
    {
        var started = await When(() => Admin().PostAsync("/api/dashboard/admin/rebuild", null)).Then(HttpStatusCode.Accepted);
        var job = await started.Body<RebuildJobAnswer>();
        Assert.Equal($"/api/dashboard/admin/rebuilds/{job.Id}", started.Response.Headers.Location?.ToString());
        Assert.Equal(Apis.RebuildApi.Projections.Length, job.ViewsTotal);

        var ended = await Rebuilds.RunAsync(Admin());
        Assert.Equal("succeeded", ended.Status);
        Assert.Equal((ended.ViewsTotal, 1.0, 0.0, (string?)null), (ended.ViewsDone, ended.Progress, ended.SecondsLeft, ended.CurrentView));
        Assert.NotNull(ended.FinishedAt);
    }

    [Fact]
    public async Task While_another_instance_rebuilds_a_second_request_gets_its_job_and_a_job_whose_instance_died_shows_interrupted()
    {
        // Given another instance rebuilding: it holds the lock and has recorded its job...
        var elsewhere = new RebuildJob(Guid.CreateVersion7(), RebuildStatus.Running, DateTimeOffset.UtcNow, 1234, 7, 2, "ReferralFactsProjection");
        var store = factory.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Store(elsewhere);
            await session.SaveChangesAsync();
        }
        // (unpooled: closing it must end the session, as an instance's death would)
        await using var otherInstance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(factory.ConnectionString) { Pooling = false }.ConnectionString);
        await otherInstance.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'4461736852656231'::bigint)", otherInstance))
            await take.ExecuteScalarAsync();

        // ...a request starts nothing and is told of that job.
        var answer = await When(() => Admin().PostAsync("/api/dashboard/admin/rebuild", null)).Then<RebuildJobAnswer>(HttpStatusCode.Accepted);
        Assert.Equal((elsewhere.Id, "running", 2), (answer.Id, answer.Status, answer.ViewsDone));

        // When that instance dies (its session, and the lock, end), the job it left running reads as interrupted.
        var otherBackend = otherInstance.ProcessID;
        await otherInstance.CloseAsync();
        await LockReleasedBy(otherBackend);
        var left = await When(() => Admin().GetAsync($"/api/dashboard/admin/rebuilds/{elsewhere.Id}")).Then<RebuildJobAnswer>(HttpStatusCode.OK);
        Assert.Equal("interrupted", left.Status);
        await using (var session = store.LightweightSession())
        {
            session.Delete(elsewhere);
            await session.SaveChangesAsync();
        }
    }

    /// <summary>
    /// A closed connection's server process ends a moment later, and only then are its locks released: wait for that
    /// (at most 10 s), as the instance's death is complete only then.
    /// </summary>
    private async Task LockReleasedBy(int backend)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var held = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", connection)
        {
            Parameters = { new() { Value = backend } },
        };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await held.ExecuteScalarAsync())! > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the closed session's server process {backend} still holds its advisory lock after 10 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_unknown_rebuild_is_a_french_404()
    {
        var problem = await (await When(() => Admin().GetAsync($"/api/dashboard/admin/rebuilds/{Guid.NewGuid()}")).Then(HttpStatusCode.NotFound)).Problem();
        Assert.Equal("Aucune reconstruction ne porte cet identifiant.", problem.Detail);
    }
}

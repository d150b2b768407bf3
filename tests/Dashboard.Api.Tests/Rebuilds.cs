namespace Coordination.Dashboard.Api.Tests;

/// <summary>A rebuild job as its caller reads it.</summary>
public sealed record RebuildJobAnswer(
    Guid Id, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long Events, int ViewsTotal, int ViewsDone,
    string? CurrentView, double Progress, double? EventsPerSecond, double? SecondsLeft, double Seconds, string? Failure);

public static class Rebuilds
{
    /// <summary>Starts a rebuild as an admin would (202 and where to follow it), then follows it until it ends.</summary>
    public static async Task<RebuildJobAnswer> RunAsync(HttpClient admin, TimeSpan? limit = null)
    {
        var started = await admin.PostAsync("/api/dashboard/admin/rebuild", null);
        await started.HasStatus(HttpStatusCode.Accepted);
        var location = started.Headers.Location ?? throw new Xunit.Sdk.XunitException("202 without a Location to follow");
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var job = await (await Specification.When(() => admin.GetAsync(location)).Then(HttpStatusCode.OK)).Body<RebuildJobAnswer>();
            if (job.Status != "running")
                return job;
            Assert.True(DateTime.UtcNow < deadline, $"the rebuild is still running after {limit ?? TimeSpan.FromSeconds(90)}: {job}");
            await Task.Delay(200);
        }
    }

    /// <summary>A rebuild that must succeed, every view replayed.</summary>
    public static async Task<RebuildJobAnswer> SucceedsAsync(HttpClient admin)
    {
        var job = await RunAsync(admin);
        // The whole answer in the message: a failed run names its exception type and the view it stopped on.
        Assert.True(job.Status == "succeeded", $"the rebuild ended {job.Status}: {job}");
        Assert.Equal(job.ViewsTotal, job.ViewsDone);
        return job;
    }
}

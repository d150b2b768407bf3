using System.Diagnostics;
using Coordination.Dashboard;
using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.EventSourcing;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordination.Synthetic;

/// <summary>
/// Writes synthetic activity straight into a Dashboard event store, as the Dashboard itself stores what it receives
/// (one stream per source stream), with the Dashboard's own store configuration and inline views.
/// </summary>
public static class DashboardVolume
{
    public sealed record Loaded(long Streams, long Events, int Persons, double Seconds);

    public static async Task<Loaded> LoadAsync(string connectionString, int seed, DateTimeOffset until, long events, TextWriter log, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EventStore"] = connectionString });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddEventStore(DashboardServiceExtensions.SchemaName, DashboardServiceExtensions.ConfigureStore);
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // The monthly totals the Dashboard keeps by trigger: suspended during the load, recounted once at the end.
        await using var db = Npgsql.NpgsqlDataSource.Create(connectionString);
        await ReferralMonthRollup.EnsureAsync(db, ct);
        await ReferralMonthRollup.SuspendAsync(db, ct);

        var activity = new NationalActivity(seed, until);
        var streams = activity.Organisations().Concat(activity.Training()).Concat(activity.Projects()).Concat(activity.Referrals(events));
        long streamCount = 0, eventCount = 0;
        var watch = Stopwatch.StartNew();
        var pending = new List<Task>();
        foreach (var batch in streams.Chunk(500))
        {
            // Two writers: one machine, two cores, PostgreSQL on the same box.
            if (pending.Count == 2) pending.Remove(await Task.WhenAny(pending));
            pending.Add(WriteAsync(store, batch, ct));
            streamCount += batch.Length;
            eventCount += batch.Sum(s => s.Events.Count);
            if (streamCount % 20_000 < 500)
                log.WriteLine($"  {eventCount:N0} events in {streamCount:N0} streams, {eventCount / watch.Elapsed.TotalSeconds:N0} events/s");
        }
        await Task.WhenAll(pending);
        log.WriteLine($"  {eventCount:N0} events written in {watch.Elapsed.TotalSeconds:F0} s; counting the monthly totals …");
        await ReferralMonthRollup.ResumeAsync(db, ct);
        return new Loaded(streamCount, eventCount, activity.Persons, watch.Elapsed.TotalSeconds);
    }

    private static async Task WriteAsync(IDocumentStore store, SyntheticStream[] batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        foreach (var stream in batch)
            session.Events.StartStream(stream.Id, stream.Events.Cast<object>().ToArray());
        await session.SaveChangesAsync(ct);
    }
}

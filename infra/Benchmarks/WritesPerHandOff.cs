using System.Globalization;
using System.Text;

namespace Coordination.Benchmarks;

/// <summary>What one hand-off writes to one table, on average: rows, and index entries (one per index for each row
/// inserted or updated other than in place, "HOT").</summary>
public sealed record TableWrites(string Database, string Table, double Inserted, double Updated, double UpdatedInPlace, double Deleted,
    int Indexes, double IndexEntries, int IndexesNeverScanned);

/// <param name="OwedBefore">E-mails still owed when the first counters were read (0 unless the 5-minute wait ran out).</param>
/// <param name="OwedAfter">The same when the last were read: the delivery rows of e-mails owed from before are then counted too.</param>
public sealed record WritesResult(int HandOffs, double SettleSeconds, long OwedBefore, long OwedAfter, List<TableWrites> Tables);

/// <summary>
/// Issue #22, item 3: the rows and index entries a hand-off costs the whole platform (Referrals, and what the Dashboard,
/// Notifications… write when its events reach them), from PostgreSQL's own counters (<c>pg_stat_user_tables</c>) read
/// before and after a batch of hand-offs sent straight to Referrals, every database of the platform included.
/// </summary>
public static class WritesPerHandOff
{
    private static readonly string[] PlatformDatabases = ["referrals", "dashboard", "notifications", "directory", "identity", "training", "projects"];

    // A backend reports its counters at the end of a transaction at most once a second, and an idle one after 10 s:
    // wait that long after the last hand-off (which also lets the Dashboard and Notifications store what it caused).
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(12);

    private const string Counters =
        "SELECT s.schemaname || '.' || s.relname, s.n_tup_ins, s.n_tup_upd, s.n_tup_hot_upd, s.n_tup_del, " +
        "(SELECT count(*) FROM pg_index i WHERE i.indrelid = s.relid), " +
        "(SELECT count(*) FROM pg_stat_user_indexes x WHERE x.relid = s.relid AND x.idx_scan = 0) " +
        "FROM pg_stat_user_tables s";

    // E-mails still owed from the levels before would be counted as this window's writes: wait until none is (at most 5 min).
    private const string PendingDeliveries = "SELECT count(*) FROM notifications.mt_doc_delivery WHERE data ->> 'status' = 'Pending'";

    public static async Task<WritesResult?> RunAsync(PlatformClient client, Uri direct, BenchOptions options, int handOffs, CancellationToken ct)
    {
        var owedBefore = await NoDeliveryPendingAsync(options, ct);
        await Task.Delay(Settle, ct);
        var before = await SnapshotAsync(options);
        if (before.Count == 0) return null;
        var next = -1;
        var created = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < handOffs)
                if ((await client.SendAsync(direct, readId: false, ct)).Outcome.IsCreated) Interlocked.Increment(ref created);
        }, ct)));
        var owedAfter = await NoDeliveryPendingAsync(options, ct);
        await Task.Delay(Settle, ct);
        var after = await SnapshotAsync(options);
        if (created == 0) return null;

        var tables = new List<TableWrites>();
        foreach (var (key, end) in after)
        {
            // A table created during the window (none expected) counts from zero.
            var start = before.GetValueOrDefault(key) ?? new Counted(0, 0, 0, 0, 0, 0);
            double Per(long a, long b) => Math.Round((a - b) / (double)created, 2);
            var inserted = Per(end.Inserted, start.Inserted);
            var updated = Per(end.Updated, start.Updated);
            var inPlace = Per(end.InPlace, start.InPlace);
            var deleted = Per(end.Deleted, start.Deleted);
            if (inserted == 0 && updated == 0 && deleted == 0) continue;
            tables.Add(new TableWrites(key.Database, key.Table, inserted, updated, inPlace, deleted, end.Indexes,
                Math.Round((inserted + updated - inPlace) * end.Indexes, 2), end.NeverScanned));
        }
        return new WritesResult(created, Settle.TotalSeconds, owedBefore, owedAfter, [.. tables.OrderByDescending(t => t.IndexEntries)]);
    }

    /// <returns>The e-mails still owed when it gave up waiting (0: none).</returns>
    private static async Task<long> NoDeliveryPendingAsync(BenchOptions options, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await Psql.NumberAsync(options, "notifications", PendingDeliveries, TimeSpan.FromSeconds(10)) is > 0 and var owed)
        {
            if (DateTime.UtcNow >= deadline) return owed;
            await Task.Delay(1000, ct);
        }
        return 0;
    }

    private sealed record Counted(long Inserted, long Updated, long InPlace, long Deleted, int Indexes, int NeverScanned);

    private static async Task<Dictionary<(string Database, string Table), Counted>> SnapshotAsync(BenchOptions options)
    {
        var result = new Dictionary<(string, string), Counted>();
        foreach (var database in PlatformDatabases)
        {
            var rows = await Psql.QueryAsync(options, database, Counters, TimeSpan.FromSeconds(10));
            if (rows is null) continue; // not this platform's, or not reachable: left out of the table
            foreach (var line in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = line.Split('|');
                if (f.Length != 7) continue;
                long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                result[(database, f[0])] = new Counted(L(1), L(2), L(3), L(4), (int)L(5), (int)L(6));
            }
        }
        return result;
    }

    public static string Markdown(WritesResult? r)
    {
        if (r is null) return "";
        var s = new StringBuilder();
        s.AppendLine($"## Rows and index entries written per hand-off (issue #22, item 3; {r.HandOffs} hand-offs sent straight to Referrals)");
        s.AppendLine();
        s.AppendLine("From `pg_stat_user_tables` of every platform database, read before the hand-offs and " +
                     $"{r.SettleSeconds:0} s after the last e-mail they caused was sent, both from a platform with no e-mail owed. Index entries: " +
                     "one per index for each row inserted, or updated other than in place (HOT). Indexes never scanned: since the " +
                     "server's statistics began (the platform's start), by any query: candidates, not proof, that an index is unused. " +
                     "Other activity of the platform during the window (watchers, health checks) is counted too.");
        if (r.OwedBefore > 0 || r.OwedAfter > 0)
            s.AppendLine().AppendLine($"**Not from a quiet platform:** {r.OwedBefore} e-mail(s) still owed by the load before when the first counters " +
                                      $"were read, {r.OwedAfter} when the last were: Notifications' rows also count their deliveries.");
        s.AppendLine();
        s.AppendLine("| database | table | rows inserted | rows updated (in place) | rows deleted | indexes (never scanned) | index entries |");
        s.AppendLine("|---|---|--:|--:|--:|--:|--:|");
        foreach (var t in r.Tables)
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Database} | {t.Table} | {t.Inserted:0.##} | {t.Updated:0.##} ({t.UpdatedInPlace:0.##}) | {t.Deleted:0.##} | {t.Indexes} ({t.IndexesNeverScanned}) | {t.IndexEntries:0.##} |"));
        foreach (var database in r.Tables.GroupBy(t => t.Database))
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {database.Key} | **all tables** | {database.Sum(t => t.Inserted):0.##} | {database.Sum(t => t.Updated):0.##} ({database.Sum(t => t.UpdatedInPlace):0.##}) | " +
                $"{database.Sum(t => t.Deleted):0.##} | | **{database.Sum(t => t.IndexEntries):0.##}** |"));
        s.AppendLine();
        return s.ToString();
    }
}

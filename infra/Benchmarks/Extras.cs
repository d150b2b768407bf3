using System.Globalization;
using System.Text;

namespace Coordination.Benchmarks;

/// <summary>Figures printed after the main report: the gateway's overhead, and each process's peak memory.</summary>
public static class Extras
{
    /// <summary>Same closed-loop level through the gateway and straight to Referrals: the difference at p50 and the throughput ratio.</summary>
    public static string GatewayOverhead(IReadOnlyList<LoadResult> load, string gateway, string direct)
    {
        var s = new StringBuilder();
        var pairs = load.Where(l => l.Target == gateway)
            .Select(g => (Gateway: g, Direct: load.FirstOrDefault(d => d.Target == direct && d.Mode == g.Mode && d.Clients == g.Clients && d.OfferedRate == g.OfferedRate)))
            .Where(p => p.Direct is not null).ToList();
        if (pairs.Count == 0) return "";
        s.AppendLine("## Gateway overhead (same level through the gateway and straight to Referrals)");
        s.AppendLine();
        s.AppendLine("| level | gateway sends/s | direct sends/s | gateway / direct | gateway p50 ms | direct p50 ms | added at p50 ms | gateway p99 ms | direct p99 ms | targets (≤ 1 ms at p50, ≤ 15 % throughput) |");
        s.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var (g, d) in pairs)
        {
            var ratio = g.CreatedPerSecond / d!.CreatedPerSecond;
            var added = g.Latency.P50Ms - d.Latency.P50Ms;
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(g.Mode == "fixed rate" ? $"fixed rate {g.OfferedRate:0}/s" : $"closed loop ×{g.Clients}")} | {g.CreatedPerSecond:F1} | {d.CreatedPerSecond:F1} | {ratio:P0} | " +
                $"{g.Latency.P50Ms:F2} | {d.Latency.P50Ms:F2} | {added:F2} | {g.Latency.P99Ms:F1} | {d.Latency.P99Ms:F1} | " +
                $"{(added <= 1 ? "p50 met" : $"p50 missed by {added - 1:F2} ms")}, {(ratio >= 0.85 ? "throughput met" : $"throughput {1 - ratio:P0} lower")} |"));
        }
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>
    /// The issue's append-rate target: events Referrals appended per second in each closed-loop window, against pgbench's
    /// single-row durable commits per second at the same number of clients, measured in the same run.
    /// </summary>
    public static string AppendRate(IReadOnlyList<LoadResult> load, IReadOnlyList<PgBenchResult>? pgbench)
    {
        var rows = load.Where(l => l.Mode == "closed loop" && l.EventsPerSecond is not null)
            .Select(l => (Level: l, Ceiling: pgbench?.FirstOrDefault(p => p.Clients == l.Clients)))
            .Where(r => r.Ceiling is { Tps: > 0 }).ToList();
        if (rows.Count == 0) return "";
        var s = new StringBuilder();
        s.AppendLine("## Event append rate of Referrals against the pgbench ceiling (same number of clients)");
        s.AppendLine();
        s.AppendLine("A hand-off is one transaction appending its events (drafted, sent…) with its stream row, the inbox document, the person's key");
        s.AppendLine("and the audit document, after reading the receiver; a pgbench transaction is one 1 KB insert. Target: events/s ≥ 25 % of pgbench TPS.");
        s.AppendLine();
        s.AppendLine("| target | clients | hand-offs/s (transactions) | events appended/s | events per hand-off | pgbench TPS | events / pgbench | transactions / pgbench | target |");
        s.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var (l, p) in rows)
        {
            var events = l.EventsPerSecond!.Value;
            var ratio = events / p!.Tps;
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {l.Target} | {l.Clients} | {l.CreatedPerSecond:F1} | {events:F1} | {(l.CreatedPerSecond > 0 ? events / l.CreatedPerSecond : double.NaN):F2} | {p.Tps:F1} | " +
                $"{ratio:P1} | {l.CreatedPerSecond / p.Tps:P1} | {(ratio >= 0.25 ? "met" : $"missed ({ratio / 0.25:P0} of it)")} |"));
        }
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>
    /// Peak resident memory (VmHWM) of the platform's processes: since each started, so a platform started just
    /// before the run gives the run's peak.
    /// </summary>
    public const long PeakMemoryTargetMb = 250;

    public static string PeakMemory()
    {
        var rows = new List<(string Name, long Mb)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var name = cmdline.Contains("Coordination.") ? cmdline.Split(' ').Select(Path.GetFileName).FirstOrDefault(a => a!.StartsWith("Coordination.") && a.EndsWith(".dll"))
                    : cmdline.Contains("beam.smp") ? "rabbitmq (beam.smp)"
                    : cmdline.StartsWith("postgres") || cmdline.Contains("/postgres ") ? "postgres (one process)" : null;
                if (name is null) continue;
                var hwm = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("VmHWM:"));
                if (hwm is null) continue;
                rows.Add((name, long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        if (rows.Count == 0) return "";
        var s = new StringBuilder();
        // Issue #22: every .NET process of the platform at most 250 MB (it was 300 before).
        s.AppendLine($"## Peak resident memory (VmHWM since each process started, MB; target ≤ {PeakMemoryTargetMb} MB per .NET process)");
        s.AppendLine();
        s.AppendLine("| process | peak MB | target |");
        s.AppendLine("|---|--:|---|");
        foreach (var group in rows.GroupBy(r => r.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var peak = group.Max(r => r.Mb);
            var target = group.Key.EndsWith(".dll", StringComparison.Ordinal) && group.Key != "Coordination.Benchmarks.dll"
                ? peak <= PeakMemoryTargetMb ? "met" : "missed"
                : "(not a platform .NET process)";
            s.AppendLine($"| {group.Key}{(group.Count() > 1 ? $" (largest of {group.Count()})" : "")} | {peak} | {target} |");
        }
        s.AppendLine();
        if (rows.Any(r => r.Name.StartsWith("postgres", StringComparison.Ordinal)))
        {
            s.AppendLine("A PostgreSQL process's resident memory counts the pages of the shared buffer pool (`shared_buffers`) it has touched:");
            s.AppendLine("that pool exists once, shared by every backend, and is most of the figure.");
            s.AppendLine();
        }
        return s.ToString();
    }
}

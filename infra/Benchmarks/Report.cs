using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordination.Benchmarks;

public sealed record MachineInfo(int LogicalCpus, string? CpuModel, long? MemoryMb, string Os, string Runtime)
{
    public static MachineInfo Read()
    {
        string? model = null;
        long? memory = null;
        try
        {
            model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null)
                memory = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
        }
        return new MachineInfo(Environment.ProcessorCount, model, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
    }
}

public sealed record RunSettings(
    string Gateway, string? Direct, double DurationSeconds, double WarmupSeconds, int[] ClientLevels, double FixedRate, int InboxSamples,
    double InboxRate, bool PgBench, double PgBenchSeconds, int[] PgBenchClients, bool Quick, double PlatformWarmupSeconds)
{
    public static RunSettings From(BenchOptions o) => new(o.Gateway.ToString(), o.Direct?.ToString(), o.DurationSeconds, o.WarmupSeconds,
        o.ClientLevels, o.FixedRate, o.InboxSamples, o.InboxRate, o.RunPgBench, o.PgBenchSeconds, o.PgBenchClients, o.Quick, o.PlatformWarmupSeconds);
}

/// <summary>The issue's target: at least 300 sends/s through the gateway with p99 ≤ 100 ms at that rate.</summary>
public sealed record TargetVerdict(double TargetRate, double TargetP99Ms, bool? Met, string Summary);

public sealed record BenchReport(
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, MachineInfo Machine, RunSettings Settings,
    long? ReferralDocumentsBefore, long? ReferralDocumentsAfter, List<LoadResult> Load, VisibilityResult? Visibility,
    List<PgBenchResult>? PgBench, string? PgBenchError, TargetVerdict Verdict, Dictionary<string, string> ErrorSamples);

public static class Report
{
    public const double TargetRate = 300;
    public const double TargetP99Ms = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static TargetVerdict Judge(List<LoadResult> load, string gatewayName)
    {
        var gateway = load.Where(l => l.Target == gatewayName).ToList();
        var fixedRate = gateway.FirstOrDefault(l => l.Mode == "fixed rate" && Math.Abs(l.OfferedRate - TargetRate) < 0.001);
        var best = gateway.Where(l => l.Mode == "closed loop").MaxBy(l => l.CreatedPerSecond);
        var bestText = best is null ? "" :
            $"Best closed-loop rate: {F(best.CreatedPerSecond, 0)} sends/s at {best.Clients} client(s) (p99 {F(best.Latency.P99Ms, 1)} ms)" +
            (best.CreatedPerSecond < TargetRate ? $", {F(100 * (1 - best.CreatedPerSecond / TargetRate), 0)} % short of {TargetRate:0}/s." : ".");
        if (fixedRate is null)
        {
            var metClosed = gateway.Any(l => l.Mode == "closed loop" && l.CreatedPerSecond >= TargetRate && l.Latency.P99Ms <= TargetP99Ms && l.Errors == 0);
            return new TargetVerdict(TargetRate, TargetP99Ms, metClosed ? true : null,
                (metClosed ? "Met by a closed-loop level (no fixed-rate phase run). " : "No fixed-rate phase at 300/s was run. ") + bestText);
        }
        var rateOk = fixedRate.CreatedPerSecond >= 0.99 * TargetRate;
        var p99Ok = fixedRate.Latency.P99Ms <= TargetP99Ms;
        var errorsOk = fixedRate.Errors == 0;
        var met = rateOk && p99Ok && errorsOk;
        var parts = new List<string>
        {
            $"Fixed rate {TargetRate:0}/s: {F(fixedRate.CreatedPerSecond, 1)} sends/s achieved" +
            (rateOk ? "" : $" ({F(100 * (1 - fixedRate.CreatedPerSecond / TargetRate), 0)} % short)"),
            $"p99 {F(fixedRate.Latency.P99Ms, 1)} ms" + (p99Ok ? $" (≤ {TargetP99Ms:0})" : $" ({F(fixedRate.Latency.P99Ms / TargetP99Ms, 1)}× the {TargetP99Ms:0} ms budget)"),
            $"{fixedRate.Errors} error(s)",
        };
        return new TargetVerdict(TargetRate, TargetP99Ms, met,
            (met ? "MET. " : "NOT MET. ") + string.Join(", ", parts) + ". " + bestText);
    }

    public static string Text(BenchReport r)
    {
        var s = new StringBuilder();
        s.AppendLine();
        s.AppendLine($"Coordination hand-off benchmark — {r.StartedAt:yyyy-MM-dd HH:mm} UTC — {r.Machine.LogicalCpus} CPU(s) {r.Machine.CpuModel}, " +
                     $"{r.Machine.MemoryMb} MB; everything (PostgreSQL, RabbitMQ, 8 .NET processes, this load generator) on this machine");
        s.AppendLine($"Referral documents in the referrals database: {r.ReferralDocumentsBefore?.ToString(CultureInfo.InvariantCulture) ?? "?"} before, " +
                     $"{r.ReferralDocumentsAfter?.ToString(CultureInfo.InvariantCulture) ?? "?"} after");
        s.AppendLine();
        s.AppendLine($"1. Hand-off send: POST /api/referrals (drafted + sent in one call, 201), {r.Settings.DurationSeconds:0.#} s measured after {r.Settings.WarmupSeconds:0.#} s warm-up " +
                     $"(and {r.Settings.PlatformWarmupSeconds:0.#} s of unrecorded load through each target before the first level)");
        var header = $"  {"target",-9} {"mode",-12} {"clients",7} {"offered/s",9} {"sends/s",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"201s",7} {"errors",6} {"peak",5}";
        s.AppendLine(header);
        s.AppendLine("  " + new string('-', header.Length - 2));
        foreach (var l in r.Load)
            s.AppendLine($"  {l.Target,-9} {l.Mode,-12} {(l.Clients > 0 ? l.Clients.ToString(CultureInfo.InvariantCulture) : "-"),7} " +
                         $"{(l.OfferedRate > 0 ? F(l.OfferedRate, 0) : "-"),9} {F(l.CreatedPerSecond, 1),8} {F(l.Latency.P50Ms, 1),8} {F(l.Latency.P90Ms, 1),8} " +
                         $"{F(l.Latency.P99Ms, 1),8} {F(l.Latency.MaxMs, 1),8} {l.Created,7} {l.Errors,6} {l.PeakInFlight,5}");
        s.AppendLine("  (sends/s: 201 answers per second; percentiles over 201 answers; fixed rate: latency from the scheduled send time;");
        s.AppendLine("   peak: most requests in flight at once)");
        foreach (var l in r.Load.Where(l => l.Errors > 0))
            s.AppendLine($"  errors {l.Target} {l.Mode} {Level(l)}: {string.Join(", ", l.ErrorsByKind.Select(e => $"{e.Key} × {e.Value}"))}");
        foreach (var l in r.Load.Where(l => l.DispatchLag is not null && l.FromActualStart is not null))
            s.AppendLine($"  {l.Target} {l.Mode} {Level(l)}: the load generator fired late by p50 {F(l.DispatchLag!.P50Ms, 1)} / p99 {F(l.DispatchLag.P99Ms, 1)} ms; " +
                         $"from the actual send start: p50 {F(l.FromActualStart!.P50Ms, 1)} / p99 {F(l.FromActualStart.P99Ms, 1)} ms");
        s.AppendLine();
        s.AppendLine("  Where the CPU went during each measured window (% of one core; the machine has " +
                     $"{r.Machine.LogicalCpus * 100} %), and PostgreSQL active backends by wait event (1 s samples):");
        foreach (var l in r.Load.Where(l => l.System is not null))
        {
            var sys = l.System!;
            s.AppendLine($"  {l.Target} {l.Mode} {Level(l)}: machine {F(sys.MachineBusyPercent, 0)} % busy — " +
                         string.Join(", ", sys.Processes.Take(8).Select(p => $"{p.Name} {F(p.CpuPercentOfOneCore, 0)}")));
            if (sys.WaitSamples > 0)
                s.AppendLine($"      pg active backends: mean {F(sys.MeanActiveBackends, 1)} — {Waits(sys)}");
            if (l.OutboxBacklogAtEnd is { } backlog)
                s.AppendLine($"      Referrals outbox (events not yet published to RabbitMQ) at the end: {backlog}, " +
                             (l.OutboxDrainSeconds is { } d ? $"caught up {F(d, 1)} s later" : "not caught up"));
            if (l.DashboardBacklogAtEnd is { } queued)
                s.AppendLine($"      Dashboard queue (hand-off messages not yet stored) after it: {queued}, " +
                             (l.DashboardDrainSeconds is { } d2 ? $"drained {F(d2, 1)} s later{Rate(l.DashboardStoredPerSecond)}" : "not drained"));
        }
        s.AppendLine();
        if (r.Visibility is { } v)
        {
            s.AppendLine($"2. Sent → visible in the receiver's inbox: {v.Requested} sends at {F(v.Rate, 0)}/s");
            s.AppendLine($"  {v.Method}");
            s.AppendLine($"  sent {v.Sent}/{v.Requested} (errors {v.SendErrors}), visible {v.Visible} (not within 10 s: {v.NotVisible}), " +
                         $"found by the first inbox check: {v.FoundOnFirstPoll}, inbox errors: {v.InboxErrors}");
            s.AppendLine($"  {"",-30} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"n",6}");
            s.AppendLine(Row("send start → listed in inbox", v.SentToVisible));
            s.AppendLine(Row("  of which: the send (201)", v.Send));
            s.AppendLine(Row("  inbox check (each poll)", v.InboxQuery));
            if (v.SentToDashboard is { } d)
            {
                s.AppendLine(Row("send start → in the Dashboard", d));
                s.AppendLine($"  ({v.InDashboard}/{v.Sent} reflected within 10 s; {v.DashboardMethod})");
            }
            s.AppendLine();
        }
        if (r.PgBench is { Count: > 0 } pg)
        {
            s.AppendLine($"3. pgbench ceiling: one INSERT of ~1 KB jsonb per transaction, fsync on, {F(pg[0].Seconds, 0)} s per level, scratch database");
            s.AppendLine($"  {"clients",7} {"TPS",10} {"avg latency ms",15} {"transactions",13} {"failed",7}   machine busy / postgres CPU / pgbench CPU");
            foreach (var p in pg)
                s.AppendLine($"  {p.Clients,7} {F(p.Tps, 1),10} {F(p.LatencyAverageMs, 3),15} {p.Transactions,13} {p.Failed,7}   " +
                             $"{F(p.System?.MachineBusyPercent ?? double.NaN, 0)} % / {F(Cpu(p.System, "postgres (all processes)"), 0)} / {F(Cpu(p.System, "psql + pgbench (run by this benchmark)"), 0)}");
            s.AppendLine();
        }
        else if (r.PgBenchError is not null)
        {
            s.AppendLine($"3. pgbench ceiling: not measured ({r.PgBenchError})");
            s.AppendLine();
        }
        s.AppendLine($"Target (≥ {TargetRate:0} sends/s through the gateway, p99 ≤ {TargetP99Ms:0} ms at that rate): {r.Verdict.Summary}");
        if (r.ErrorSamples.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("First answer of each error kind:");
            foreach (var e in r.ErrorSamples) s.AppendLine($"  {e.Key}: {e.Value}");
        }
        return s.ToString();
    }

    public static string Markdown(BenchReport r)
    {
        var s = new StringBuilder();
        s.AppendLine($"# Referrals hand-off benchmark — {r.StartedAt:yyyy-MM-dd HH:mm} UTC{(r.Settings.Quick ? " (--quick smoke run)" : "")}");
        s.AppendLine();
        s.AppendLine($"Written by `infra/bench.sh` (Coordination.Benchmarks). Machine: {r.Machine.LogicalCpus} logical CPU(s), {r.Machine.CpuModel}, " +
                     $"{r.Machine.MemoryMb} MB, {r.Machine.Os}, {r.Machine.Runtime}. PostgreSQL, RabbitMQ, the platform's 8 .NET processes and the load generator " +
                     "all share these CPUs.");
        s.AppendLine();
        s.AppendLine($"Settings: gateway {r.Settings.Gateway}, {r.Settings.DurationSeconds:0.#} s measured per level after {r.Settings.WarmupSeconds:0.#} s warm-up, " +
                     $"after {r.Settings.PlatformWarmupSeconds:0.#} s of unrecorded load through each target. " +
                     $"Referral documents in the database: {r.ReferralDocumentsBefore?.ToString(CultureInfo.InvariantCulture) ?? "?"} before, " +
                     $"{r.ReferralDocumentsAfter?.ToString(CultureInfo.InvariantCulture) ?? "?"} after.");
        s.AppendLine();
        s.AppendLine($"**Target** (≥ {TargetRate:0} sends/s through the gateway, p99 ≤ {TargetP99Ms:0} ms at that rate): {r.Verdict.Summary}");
        s.AppendLine();
        s.AppendLine("## 1. Hand-off send (`POST /api/referrals`, 201)");
        s.AppendLine();
        s.AppendLine("| target | mode | clients | offered/s | sends/s | p50 ms | p90 ms | p99 ms | max ms | 201s | errors | peak in flight |");
        s.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var l in r.Load)
            s.AppendLine($"| {l.Target} | {l.Mode} | {(l.Clients > 0 ? l.Clients.ToString(CultureInfo.InvariantCulture) : "–")} | " +
                         $"{(l.OfferedRate > 0 ? F(l.OfferedRate, 0) : "–")} | {F(l.CreatedPerSecond, 1)} | {F(l.Latency.P50Ms, 1)} | {F(l.Latency.P90Ms, 1)} | " +
                         $"{F(l.Latency.P99Ms, 1)} | {F(l.Latency.MaxMs, 1)} | {l.Created} | {l.Errors} | {l.PeakInFlight} |");
        s.AppendLine();
        foreach (var l in r.Load.Where(l => l.Errors > 0))
            s.AppendLine($"- errors, {l.Target} {l.Mode} {Level(l)}: {string.Join(", ", l.ErrorsByKind.Select(e => $"{e.Key} × {e.Value}"))}");
        foreach (var l in r.Load.Where(l => l.DispatchLag is not null && l.FromActualStart is not null))
            s.AppendLine($"- {l.Target} {l.Mode} {Level(l)}: latency is counted from the scheduled time; the load generator fired late by p50 " +
                         $"{F(l.DispatchLag!.P50Ms, 1)} / p99 {F(l.DispatchLag.P99Ms, 1)} ms; from the actual send start: p50 " +
                         $"{F(l.FromActualStart!.P50Ms, 1)} / p99 {F(l.FromActualStart.P99Ms, 1)} ms.");
        s.AppendLine();
        s.AppendLine($"CPU per process during each measured window, % of one core (the machine has {r.Machine.LogicalCpus * 100} %); PostgreSQL active backends by wait event, sampled every second:");
        s.AppendLine();
        s.AppendLine("| level | machine busy | CPU by process | pg active backends (mean) and waits | outbox backlog at end (caught up after) | Dashboard queue after it (drained after: queue empty and the Dashboard's store still for 1 s; its pace) |");
        s.AppendLine("|---|--:|---|---|---|---|");
        foreach (var l in r.Load.Where(l => l.System is not null))
        {
            var sys = l.System!;
            s.AppendLine($"| {l.Target} {l.Mode} {Level(l)} | {F(sys.MachineBusyPercent, 0)} % | " +
                         $"{string.Join(", ", sys.Processes.Take(8).Select(p => $"{p.Name} {F(p.CpuPercentOfOneCore, 0)}"))} | " +
                         $"{(sys.WaitSamples > 0 ? $"{F(sys.MeanActiveBackends, 1)}: {Waits(sys)}" : "not sampled")} | " +
                         $"{(l.OutboxBacklogAtEnd is { } b ? $"{b} events ({(l.OutboxDrainSeconds is { } d ? $"{F(d, 1)} s" : "not caught up")})" : "n/a")} | " +
                         $"{(l.DashboardBacklogAtEnd is { } q ? $"{q} messages ({(l.DashboardDrainSeconds is { } d2 ? $"{F(d2, 1)} s{Rate(l.DashboardStoredPerSecond)}" : "not drained")})" : "n/a")} |");
        }
        s.AppendLine();
        if (r.Visibility is { } v)
        {
            s.AppendLine($"## 2. Sent → visible in the receiver's inbox ({v.Requested} sends at {F(v.Rate, 0)}/s)");
            s.AppendLine();
            s.AppendLine($"Method: {v.Method}. Sent {v.Sent}/{v.Requested} (errors {v.SendErrors}); visible {v.Visible} (not within 10 s: {v.NotVisible}); " +
                         $"found by the first inbox check: {v.FoundOnFirstPoll}; inbox errors: {v.InboxErrors}.");
            s.AppendLine();
            s.AppendLine("| measure | p50 ms | p90 ms | p99 ms | max ms | n |");
            s.AppendLine("|---|--:|--:|--:|--:|--:|");
            s.AppendLine(MdRow("send start → listed in the inbox", v.SentToVisible));
            s.AppendLine(MdRow("of which: the send (201)", v.Send));
            s.AppendLine(MdRow("one inbox check (poll, all pages)", v.InboxQuery));
            if (v.SentToDashboard is { } d)
            {
                s.AppendLine(MdRow("send start → reflected in the Dashboard", d));
                s.AppendLine();
                s.AppendLine($"Dashboard: {v.InDashboard}/{v.Sent} reflected within 10 s; method: {v.DashboardMethod}.");
            }
            s.AppendLine();
        }
        if (r.PgBench is { Count: > 0 } pg)
        {
            s.AppendLine($"## 3. pgbench ceiling (one ~1 KB jsonb INSERT per transaction, fsync on, {F(pg[0].Seconds, 0)} s per level)");
            s.AppendLine();
            s.AppendLine("| clients | TPS | avg latency ms | transactions | failed | machine busy | postgres CPU | pgbench CPU |");
            s.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var p in pg)
                s.AppendLine($"| {p.Clients} | {F(p.Tps, 1)} | {F(p.LatencyAverageMs, 3)} | {p.Transactions} | {p.Failed} | " +
                             $"{F(p.System?.MachineBusyPercent ?? double.NaN, 0)} % | {F(Cpu(p.System, "postgres (all processes)"), 0)} | {F(Cpu(p.System, "psql + pgbench (run by this benchmark)"), 0)} |");
            s.AppendLine();
        }
        else if (r.PgBenchError is not null)
        {
            s.AppendLine($"## 3. pgbench ceiling: not measured ({r.PgBenchError})");
            s.AppendLine();
        }
        if (r.ErrorSamples.Count > 0)
        {
            s.AppendLine("## First answer of each error kind");
            s.AppendLine();
            foreach (var e in r.ErrorSamples) s.AppendLine($"- `{e.Key}`: {e.Value.Replace('\n', ' ')}");
            s.AppendLine();
        }
        return s.ToString();
    }

    private static string Rate(double? storedPerSecond) => storedPerSecond is { } r ? $", stored at {F(r, 0)} events/s" : "";

    public static string JsonText(BenchReport r) => JsonSerializer.Serialize(r, Json);

    private static string Level(LoadResult l) => l.Mode == "fixed rate" ? $"@{F(l.OfferedRate, 0)}/s" : $"×{l.Clients}";

    private static string Waits(PhaseSystemSample sys)
    {
        var total = sys.ActiveBackendsByWait.Values.Sum();
        return total == 0 ? "none active" : string.Join(", ", sys.ActiveBackendsByWait.OrderByDescending(w => w.Value).Take(6)
            .Select(w => $"{w.Key} {F(100.0 * w.Value / total, 0)} %"));
    }

    private static double Cpu(PhaseSystemSample? sys, string name) =>
        sys?.Processes.FirstOrDefault(p => p.Name == name)?.CpuPercentOfOneCore ?? (sys is null ? double.NaN : 0);

    private static string Row(string name, LatencyStats l) =>
        $"  {name,-30} {F(l.P50Ms, 1),8} {F(l.P90Ms, 1),8} {F(l.P99Ms, 1),8} {F(l.MaxMs, 1),8} {l.Count,6}";

    private static string MdRow(string name, LatencyStats l) =>
        $"| {name} | {F(l.P50Ms, 1)} | {F(l.P90Ms, 1)} | {F(l.P99Ms, 1)} | {F(l.MaxMs, 1)} | {l.Count} |";

    public static string F(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

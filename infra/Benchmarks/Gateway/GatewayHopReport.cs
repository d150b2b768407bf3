using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Coordination.Benchmarks.Gateway;

/// <summary>The gateway benchmark's Markdown (stdout and docs/benchmarks/gateway-*.md) and JSON.</summary>
public static class GatewayHopReport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Markdown(HopResult r)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine($"# Gateway hop — {r.StartedAt:yyyy-MM-dd HH:mm} UTC{(o.Label is null ? "" : $" ({o.Label})")}");
        s.AppendLine();
        s.AppendLine($"Written by `Coordination.Benchmarks gateway` (`infra/bench-gateway.sh`). Machine: {r.Machine.LogicalCpus} logical CPU(s), " +
                     $"{r.Machine.CpuModel}, {r.Machine.MemoryMb} MB, {r.Machine.Runtime}; load average before: {r.LoadAverageBefore}. " +
                     "The load generator, the gateways, the service and everything else share these CPUs.");
        s.AppendLine();
        s.AppendLine($"`GET /{o.Path}` with a bearer token, {o.Requests} requests per window, {o.Rounds} round(s) per level, each round " +
                     $"one window per target in turn: {string.Join(", ", r.Targets.Select(t => t.ProxyPid is null ? $"straight to the service ({t.Url}, pid {r.ServicePid})" : $"{t.Name} ({t.Url}, pid {t.ProxyPid})"))}; " +
                     "500 unmeasured requests each way first. CPU per request: user + system time of the process over the window " +
                     "(/proc/<pid>/stat, 10 ms ticks) divided by the window's requests. Every figure below is the median of the rounds.");
        s.AppendLine();
        s.AppendLine("| clients | target | req/s | % of direct | p50 ms | added p50 ms | p99 ms | gateway CPU µs/req | service CPU µs/req | load generator CPU µs/req | machine busy % |");
        s.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var clients in o.ClientLevels)
        {
            var direct = Windows(r, clients, GatewayHopBenchmark.Straight);
            foreach (var target in r.Targets)
            {
                var w = Windows(r, clients, target.Name);
                double M(Func<HopWindow, double> f) => Median(w.Select(f));
                var isDirect = target.ProxyPid is null;
                s.AppendLine($"| {clients} | {target.Name} | {F(M(x => x.RequestsPerSecond), 0)} | " +
                             $"{(isDirect ? "" : F(M(x => x.RequestsPerSecond) / Median(direct.Select(x => x.RequestsPerSecond)) * 100, 0) + " %")} | " +
                             $"{F(M(x => x.Latency.P50Ms), 2)} | {(isDirect ? "" : F(M(x => x.Latency.P50Ms) - Median(direct.Select(x => x.Latency.P50Ms)), 2))} | " +
                             $"{F(M(x => x.Latency.P99Ms), 2)} | {(isDirect ? "" : F(M(x => x.ProxyCpuMicrosecondsPerRequest ?? double.NaN), 0))} | " +
                             $"{F(M(x => x.ServiceCpuMicrosecondsPerRequest), 0)} | {F(M(x => x.LoadGeneratorCpuMicrosecondsPerRequest), 0)} | " +
                             $"{F(M(x => x.MachineBusyPercent), 0)} |");
            }
        }
        s.AppendLine();

        var top = o.ClientLevels.Max();
        var topDirect = Windows(r, top, GatewayHopBenchmark.Straight);
        s.AppendLine($"Targets at {top} clients (issue #22, item 2): gateway CPU ≤ {GatewayHopOptions.TargetCpuMicrosecondsPerRequest} µs per proxied request, " +
                     $"throughput cost ≤ {GatewayHopOptions.TargetThroughputCostPercent} %, added p50 ≤ {GatewayHopOptions.TargetAddedP50Ms} ms.");
        s.AppendLine();
        foreach (var target in r.Targets.Where(t => t.ProxyPid is not null))
        {
            var w = Windows(r, top, target.Name);
            var cpu = Median(w.Select(x => x.ProxyCpuMicrosecondsPerRequest ?? double.NaN));
            var cost = (1 - Median(w.Select(x => x.RequestsPerSecond)) / Median(topDirect.Select(x => x.RequestsPerSecond))) * 100;
            var added = Median(w.Select(x => x.Latency.P50Ms)) - Median(topDirect.Select(x => x.Latency.P50Ms));
            s.AppendLine($"- {target.Name}: CPU **{F(cpu, 0)} µs, {Verdict(cpu <= GatewayHopOptions.TargetCpuMicrosecondsPerRequest)}**; " +
                         $"cost **{F(cost, 0)} %, {Verdict(cost <= GatewayHopOptions.TargetThroughputCostPercent)}**; " +
                         $"added p50 **{F(added, 2)} ms, {Verdict(added <= GatewayHopOptions.TargetAddedP50Ms)}**");
        }
        if (r.Windows.Any(w => w.Failed > 0))
            s.AppendLine($"- **{r.Windows.Sum(w => w.Failed)} request(s) did not answer 200** (a 429 means the gateway's per-user rate limit: " +
                         "measure a gateway started with a higher `RateLimits__PerUserPerSecond`, as infra/bench-gateway.sh does).");
        s.AppendLine();
        s.AppendLine("Every window:");
        s.AppendLine();
        s.AppendLine("| clients | round | target | req/s | p50 ms | p99 ms | gateway CPU µs/req | service CPU µs/req | load generator CPU µs/req | machine busy % | failed |");
        s.AppendLine("|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var w in r.Windows)
            s.AppendLine($"| {w.Clients} | {w.Round} | {w.Target} | {F(w.RequestsPerSecond, 0)} | {F(w.Latency.P50Ms, 2)} | {F(w.Latency.P99Ms, 2)} | " +
                         $"{(w.ProxyCpuMicrosecondsPerRequest is { } cpu ? F(cpu, 0) : "")} | {F(w.ServiceCpuMicrosecondsPerRequest, 0)} | " +
                         $"{F(w.LoadGeneratorCpuMicrosecondsPerRequest, 0)} | {F(w.MachineBusyPercent, 0)} | {w.Failed} |");
        return s.ToString();
    }

    private static List<HopWindow> Windows(HopResult r, int clients, string target) =>
        [.. r.Windows.Where(w => w.Clients == clients && w.Target == target)];

    private static string Verdict(bool met) => met ? "met" : "missed";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(double value, int decimals) =>
        double.IsNaN(value) ? "–" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

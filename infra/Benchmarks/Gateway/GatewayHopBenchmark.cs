using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Coordination.Benchmarks.Notifications;

namespace Coordination.Benchmarks.Gateway;

/// <summary>
/// One window: <c>Requests</c> GETs at one concurrency through one target, with the CPU each process used meanwhile. The
/// proxy is the gateway the target goes through (none for the direct target).
/// </summary>
public sealed record HopWindow(
    string Target, int Clients, int Round, int Requests, int Failed, double Seconds, double RequestsPerSecond, LatencyStats Latency,
    double? ProxyCpuMicrosecondsPerRequest, double ServiceCpuMicrosecondsPerRequest, double LoadGeneratorCpuMicrosecondsPerRequest,
    double MachineBusyPercent);

/// <summary>What was measured: a gateway (its pid), or the service straight (no proxy).</summary>
public sealed record HopTarget(string Name, Uri Url, int? ProxyPid);

public sealed record HopResult(DateTimeOffset StartedAt, MachineInfo Machine, string LoadAverageBefore, GatewayHopOptions Options,
    List<HopTarget> Targets, int ServicePid, List<HopWindow> Windows);

/// <summary>
/// <c>Coordination.Benchmarks gateway</c>: the same authenticated GET through the gateway and straight to the service, in
/// alternating windows of a fixed number of requests; CPU per request of each process from /proc (user + system ticks).
/// </summary>
public static class GatewayHopBenchmark
{
    private const int Ok = 0, Usage = 2, Unreachable = 3;
    public const string Through = "gateway", Straight = "direct";

    public static async Task<int> RunAsync(string[] args)
    {
        var (parsed, usageError, help) = GatewayHopOptions.Parse(args);
        if (help) { Console.WriteLine(GatewayHopOptions.Help); return Ok; }
        if (parsed is null)
        {
            Console.Error.WriteLine($"Coordination.Benchmarks gateway: {usageError}");
            Console.Error.WriteLine(GatewayHopOptions.Help);
            return Usage;
        }
        var options = parsed;
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";

        using var http = NewClient(options.ClientLevels.Max());
        var servicePid = ProcessMemory.ListeningOn(options.Direct.Port);
        var gateways = new[] { new NamedGateway(Through, options.Gateway) }.Concat(options.OtherGateways)
            .Select(g => new HopTarget(g.Name, g.Url, ProcessMemory.ListeningOn(g.Url.Port))).ToList();
        var silent = servicePid is null ? options.Direct : gateways.FirstOrDefault(g => g.ProxyPid is null)?.Url;
        if (silent is not null)
        {
            Console.Error.WriteLine($"Coordination.Benchmarks gateway: nothing listens on {silent}; " +
                                    "start the platform with ./coordination up -d.");
            return Unreachable;
        }
        var service = servicePid!.Value;
        List<HopTarget> targets = [.. gateways, new HopTarget(Straight, options.Direct, null)];
        AuthenticationHeaderValue token;
        try
        {
            token = await SignInAsync(http, options);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException)
        {
            Console.Error.WriteLine($"Coordination.Benchmarks gateway: cannot sign in as {options.User}: {e.Message}");
            return Unreachable;
        }

        // Warm every path (JIT, connections, caches) before anything is measured.
        foreach (var target in targets)
            await WindowAsync(http, token, new Uri(target.Url, options.Path), options.ClientLevels.Max(), 500);

        var ticksPerSecond = SystemSampler.ClockTicksPerSecond();
        var signedInAt = Stopwatch.GetTimestamp();
        var windows = new List<HopWindow>();
        foreach (var clients in options.ClientLevels)
            for (var round = 1; round <= options.Rounds; round++)
                foreach (var target in targets)
                {
                    // Access tokens live five minutes; a long run signs in again between windows (never during one).
                    if (Stopwatch.GetElapsedTime(signedInAt) > TimeSpan.FromMinutes(3))
                        (token, signedInAt) = (await SignInAsync(http, options), Stopwatch.GetTimestamp());
                    var proxyBefore = target.ProxyPid is { } proxy ? CpuTicks(proxy) : 0;
                    var serviceBefore = CpuTicks(service);
                    var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var machineBefore = SystemSampler.ReadMachine();
                    var (seconds, failed, latency) = await WindowAsync(http, token, new Uri(target.Url, options.Path), clients, options.Requests);
                    var machineAfter = SystemSampler.ReadMachine();
                    var perRequest = 1e6 / options.Requests;
                    var window = new HopWindow(target.Name, clients, round, options.Requests, failed, Math.Round(seconds, 3),
                        Math.Round(options.Requests / seconds, 1), latency,
                        target.ProxyPid is { } pid ? Math.Round((CpuTicks(pid) - proxyBefore) / (double)ticksPerSecond * perRequest, 1) : null,
                        Math.Round((CpuTicks(service) - serviceBefore) / (double)ticksPerSecond * perRequest, 1),
                        Math.Round((Process.GetCurrentProcess().TotalProcessorTime - selfBefore).TotalSeconds * perRequest, 1),
                        Math.Round((machineAfter.Busy - machineBefore.Busy) * 100.0 / Math.Max(1, machineAfter.Total - machineBefore.Total), 1));
                    windows.Add(window);
                    Console.WriteLine($"  {clients} client(s), round {round}, {target.Name,-10}: {window.RequestsPerSecond,8:F0} req/s, p50 {latency.P50Ms:F2} ms, " +
                                      $"gateway {window.ProxyCpuMicrosecondsPerRequest,6:F0} µs/req, service {window.ServiceCpuMicrosecondsPerRequest,6:F0} µs/req" +
                                      (failed > 0 ? $", {failed} failed" : ""));
                }

        var result = new HopResult(startedAt, MachineInfo.Read(), loadBefore, options, targets, service, windows);
        var markdown = GatewayHopReport.Markdown(result);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Directory.CreateDirectory(options.OutDirectory);
        var stem = options.FileStem(startedAt);
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(result, GatewayHopReport.Json) + Environment.NewLine);
        await File.WriteAllTextAsync(stem + ".md", markdown);
        Console.WriteLine($"Written: {stem}.md and .json");
        return windows.Any(w => w.Failed > 0) ? 1 : Ok;
    }

    private static async Task<(double Seconds, int Failed, LatencyStats Latency)> WindowAsync(
        HttpClient http, AuthenticationHeaderValue token, Uri uri, int clients, int requests)
    {
        var ticks = new long[requests];
        var next = -1;
        var failed = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Authorization = token;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failed);
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (seconds, failed, LatencyStats.FromTicks(ticks));
    }

    private static async Task<AuthenticationHeaderValue> SignInAsync(HttpClient http, GatewayHopOptions options)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = options.User, ["password"] = options.Password,
        });
        using var response = await http.PostAsync(new Uri(options.Gateway, "connect/token"), form);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"token refused ({(int)response.StatusCode})");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("access_token").GetString());
    }

    private static HttpClient NewClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static long CpuTicks(int pid) => SystemSampler.ReadStat($"/proc/{pid}").OwnTicks;
}

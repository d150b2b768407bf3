using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Coordination.Synthetic;

/// <summary>
/// Indicator query latency of a running Dashboard over HTTP (sequential requests, so each figure is one query's
/// own time), for each view and scope a national coordinator or an organisation uses, and the yearly report; then
/// freshness to the answer (<see cref="DashboardFreshness"/>), the rate of a full rebuild by replay, and the
/// Dashboard's peak resident memory.
/// </summary>
public static class DashboardBench
{
    public sealed record QueryFigures(string Query, int Count, int Errors, double P50Ms, double P99Ms, double MaxMs, double CachedP50Ms, double CachedP99Ms,
        double TargetMs = ViewTargetMs);

    public sealed record Figures(DateTimeOffset At, long Events, long Streams, int Persons, double? LoadSeconds, List<QueryFigures> Queries,
        double? RebuildSeconds, double? RebuildEventsPerSecond, long? PeakResidentMb, string Machine, DashboardFreshness.Figures? Freshness = null);

    /// <summary>Issue #20: every view p99 ≤ 50 ms fresh, the yearly report of a national year ≤ 3 s, freshness p99 ≤ 2 s.</summary>
    public const double ViewTargetMs = 50, ReportTargetMs = 3_000, FreshnessTargetMs = 2_000;

    public static async Task<Figures> RunAsync(Uri dashboard, string coordinatorToken, string adminToken, Guid organisation, int repetitions,
        bool rebuild, int? pid, (long Events, long Streams, int Persons, double? Seconds) loaded, TextWriter log, CancellationToken ct,
        DashboardFreshness.Setup? freshness = null)
    {
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromMinutes(30) };
        return await RunAsync(http, coordinatorToken, adminToken, organisation, repetitions, rebuild, pid, loaded, log, ct, freshness);
    }

    /// <summary>The same against any client whose base address is a Dashboard (the smoke test's in-process one).</summary>
    public static async Task<Figures> RunAsync(HttpClient http, string coordinatorToken, string adminToken, Guid organisation, int repetitions,
        bool rebuild, int? pid, (long Events, long Streams, int Persons, double? Seconds) loaded, TextWriter log, CancellationToken ct,
        DashboardFreshness.Setup? freshness = null)
    {
        var year = DateTimeOffset.UtcNow.Year;
        var queries = new (string Name, string Path, string Token)[]
        {
            ("referrals, national, 12 months", "api/dashboard/indicators/referrals", coordinatorToken),
            ("referrals, national, by week", "api/dashboard/indicators/referrals?period=week", coordinatorToken),
            ("referrals, one département", "api/dashboard/indicators/referrals?departement=93", coordinatorToken),
            ("referrals, one organisation (coordinator)", $"api/dashboard/indicators/referrals?organisation={organisation}", coordinatorToken),
            ("referrals, ISCG network, last 30 days", "api/dashboard/indicators/referrals?period=day&network=iscg", coordinatorToken),
            ("referrals, national CSV", "api/dashboard/indicators/referrals.csv", coordinatorToken),
            ("training, national", "api/dashboard/indicators/training", coordinatorToken),
            ("projects, national", "api/dashboard/indicators/projects", coordinatorToken),
            ("open data, one year", $"api/dashboard/open-data/referrals-{year}.csv", coordinatorToken),
            ("referral activity per département", "api/dashboard/referral-activity", coordinatorToken),
            ("referrals, ISCG network, 12 months", "api/dashboard/indicators/referrals?network=iscg", coordinatorToken),
            ("referrals, partner network, by week", "api/dashboard/indicators/referrals?period=week&network=partner", coordinatorToken),
            ("referral activity, association network", "api/dashboard/referral-activity?network=association", coordinatorToken),
            ("referral activity, last 30 days", "api/dashboard/referral-activity?period=day", coordinatorToken),
            ("referrals, national, against the year before", "api/dashboard/indicators/referrals?compare=previous-year", coordinatorToken),
            ("organisation dashboard (coordinator)", $"api/dashboard/indicators/organisation?organisation={organisation}", coordinatorToken),
            ("organisation dashboard, against the year before", $"api/dashboard/indicators/organisation?organisation={organisation}&compare=previous-year", coordinatorToken),
            ($"annual report {year}, national (JSON)", $"api/dashboard/annual-report/{year}", coordinatorToken),
            ($"annual report {year}, national (XLSX)", $"api/dashboard/annual-report/{year}.xlsx", coordinatorToken),
        };
        var results = new List<QueryFigures>();
        foreach (var (name, path, token) in queries)
        {
            // Computed afresh (Cache-Control: no-cache), as the first read after a change; then as most reads are served.
            var (fresh, errors) = await TimeAsync(http, path, token, repetitions, fresh: true, log, ct);
            var (cached, cachedErrors) = await TimeAsync(http, path, token, repetitions, fresh: false, log, ct);
            var figures = new QueryFigures(name, fresh.Count, errors + cachedErrors, Percentile(fresh, 0.5), Percentile(fresh, 0.99), fresh[^1],
                Percentile(cached, 0.5), Percentile(cached, 0.99), path.Contains("annual-report", StringComparison.Ordinal) ? ReportTargetMs : ViewTargetMs);
            results.Add(figures);
            log.WriteLine($"  {name,-45} fresh p50 {figures.P50Ms,7:F1} ms  p99 {figures.P99Ms,7:F1} ms | cached p50 {figures.CachedP50Ms,5:F1} ms  p99 {figures.CachedP99Ms,5:F1} ms | errors {figures.Errors}");
        }

        var fresher = freshness is null ? null : await DashboardFreshness.RunAsync(http, coordinatorToken, freshness, log, ct);

        double? rebuildSeconds = rebuild ? await RebuildAsync(http, adminToken, log, ct) : null;
        long? peak = pid is { } p && File.Exists($"/proc/{p}/status")
            ? File.ReadLines($"/proc/{p}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault()
            : null;
        return new Figures(DateTimeOffset.UtcNow, loaded.Events, loaded.Streams, loaded.Persons, loaded.Seconds, results, rebuildSeconds,
            rebuildSeconds is { } s ? loaded.Events / s : null, peak, $"{Environment.ProcessorCount} cores, {Environment.OSVersion}", fresher);
    }

    /// <summary>A rebuild is a job: started, then followed until it ends; its own duration is the figure.</summary>
    private static async Task<double?> RebuildAsync(HttpClient http, string adminToken, TextWriter log, CancellationToken ct)
    {
        log.WriteLine("  rebuilding every view by replay …");
        using var start = new HttpRequestMessage(HttpMethod.Post, "api/dashboard/admin/rebuild");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var started = await http.SendAsync(start, ct);
        if (started.StatusCode != System.Net.HttpStatusCode.Accepted || started.Headers.Location is not { } job)
        {
            log.WriteLine($"  rebuild answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync(ct)}");
            return null;
        }
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            using var poll = new HttpRequestMessage(HttpMethod.Get, job);
            poll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var answer = await http.SendAsync(poll, ct);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(ct));
            var status = body.RootElement.GetProperty("status").GetString();
            if (status == "running")
                continue;
            if (status == "succeeded")
                return body.RootElement.GetProperty("seconds").GetDouble();
            log.WriteLine($"  rebuild ended {status}: {body.RootElement}");
            return null;
        }
    }

    private static async Task<(List<double> Sorted, int Errors)> TimeAsync(HttpClient http, string path, string token, int repetitions, bool fresh,
        TextWriter log, CancellationToken ct)
    {
        var times = new List<double>();
        var errors = 0;
        string? firstError = null;
        for (var i = 0; i < repetitions + 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (fresh) request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode && errors++ == 0)
                firstError = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            if (i >= 10) times.Add(ms); // ten warm-up requests
        }
        times.Sort();
        if (firstError is not null) log.WriteLine($"  {path}: {errors} error(s), the first: {firstError}");
        return (times, errors);
    }

    public static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    public static string Markdown(Figures f)
    {
        var s = new StringBuilder();
        s.AppendLine($"# Dashboard at national volume — {f.At:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine($"Machine: {f.Machine}. Loaded: {f.Events:N0} events in {f.Streams:N0} streams, {f.Persons:N0} persons (one hand-off each)" +
                     (f.LoadSeconds is { } l ? $", written in {l:F0} s ({f.Events / l:N0} events/s with the inline views)." : "."));
        s.AppendLine();
        s.AppendLine("Each query sequentially over HTTP, after 10 warm-ups: computed afresh (`Cache-Control: no-cache`, what the first read after a change costs), then served from the view cache (valid until the next stored event, 60 s at most).");
        s.AppendLine();
        s.AppendLine("| query | n | fresh p50 ms | fresh p99 ms | fresh max ms | cached p50 ms | cached p99 ms | errors | target: fresh p99 |");
        s.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var q in f.Queries)
            s.AppendLine($"| {q.Query} | {q.Count} | {q.P50Ms:F1} | {q.P99Ms:F1} | {q.MaxMs:F1} | {q.CachedP50Ms:F1} | {q.CachedP99Ms:F1} | {q.Errors} | ≤ {q.TargetMs:N0} ms: {(q.P99Ms <= q.TargetMs ? "met" : $"missed by {q.P99Ms - q.TargetMs:F0} ms")} |");
        s.AppendLine();
        if (f.Freshness is { } fr)
        {
            s.AppendLine($"Freshness to the answer ({fr.Samples} hand-offs published one at a time, `{DashboardFreshness.View}` read every 20 ms with the cache until it counts each): " +
                         $"p50 {fr.P50Ms:F0} ms, p90 {fr.P90Ms:F0} ms, p99 {fr.P99Ms:F0} ms, max {fr.MaxMs:F0} ms, {fr.Missed} not seen within {DashboardFreshness.GiveUpAfter.TotalSeconds:F0} s " +
                         $"(target p99 ≤ {FreshnessTargetMs:N0} ms: {(fr.Missed == 0 && fr.P99Ms <= FreshnessTargetMs ? "met" : "missed")}).");
            s.AppendLine();
        }
        if (f.RebuildSeconds is { } r)
            s.AppendLine($"Rebuild by replay of every view (6 projections): {r:F1} s, {f.RebuildEventsPerSecond:N0} events/s (target ≥ 10,000: {(f.RebuildEventsPerSecond >= 10_000 ? "met" : "missed")}).");
        if (f.PeakResidentMb is { } m) s.AppendLine($"Dashboard peak resident memory (VmHWM): {m} MB (target ≤ 300 MB: {(m <= 300 ? "met" : "missed")}).");
        return s.ToString();
    }

    public static string Json(Figures f) => JsonSerializer.Serialize(f, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
}

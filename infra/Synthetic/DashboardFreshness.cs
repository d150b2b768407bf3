using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Coordination.Contracts.Referrals;

namespace Coordination.Synthetic;

/// <summary>
/// Freshness to the answer: a hand-off published to the Dashboard's broker, then the national daily view read as a
/// coordinator's page reads it (no <c>Cache-Control</c>: the view cache included) every 20 ms until its total counts
/// it. One hand-off at a time, so each figure is the whole way: broker, consumer, store and totals, the change feed
/// noticing the new event (it polls once a second), and the view computed again.
/// </summary>
public static class DashboardFreshness
{
    public const string View = "api/dashboard/indicators/referrals?period=day";
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    public sealed record Figures(int Samples, int Missed, double P50Ms, double P90Ms, double P99Ms, double MaxMs);

    /// <summary>Who the measured hand-offs go between (organisations of the loaded volume, so their kinds are known).</summary>
    public sealed record Setup(Func<object, CancellationToken, Task> Publish, Guid Sender, Guid Receiver, string Departement, int Samples);

    public static async Task<Figures> RunAsync(HttpClient http, string coordinatorToken, Setup setup, TextWriter log, CancellationToken ct)
    {
        var times = new List<double>();
        var missed = 0;
        for (var sample = 0; sample < setup.Samples; sample++)
        {
            var before = await TotalAsync(http, coordinatorToken, ct);
            var started = Stopwatch.GetTimestamp();
            await setup.Publish(HandOff(setup, DateTimeOffset.UtcNow), ct);
            var counted = false;
            while (!counted && Stopwatch.GetElapsedTime(started) < GiveUpAfter)
            {
                counted = await TotalAsync(http, coordinatorToken, ct) > before;
                if (!counted) await Task.Delay(20, ct);
            }
            if (counted) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            else missed++;
            await Task.Delay(200, ct);
        }
        times.Sort();
        var figures = new Figures(setup.Samples, missed, DashboardBench.Percentile(times, 0.5), DashboardBench.Percentile(times, 0.9),
            DashboardBench.Percentile(times, 0.99), times.Count == 0 ? double.NaN : times[^1]);
        log.WriteLine($"  {"published → in the answer (cache included)",-45} p50 {figures.P50Ms,7:F1} ms  p90 {figures.P90Ms,7:F1} ms  p99 {figures.P99Ms,7:F1} ms | missed {missed} of {setup.Samples}");
        return figures;
    }

    /// <summary>A standard hand-off sent now between the setup's organisations.</summary>
    public static ReferralSent HandOff(Setup setup, DateTimeOffset now) =>
        new(Guid.NewGuid(), setup.Sender, setup.Receiver, setup.Departement, "standard", "intrafamily-violence",
            ["famille--violences-intrafamiliales"], false, false, now.AddDays(5), now.AddDays(30), null, 3, now);

    /// <summary>The answers' total of the view, a count of hand-offs (large nationally, so never suppressed).</summary>
    private static async Task<long> TotalAsync(HttpClient http, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, View);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var view = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var answers = view.RootElement.GetProperty("tables").EnumerateArray().Single(table => table.GetProperty("name").GetString() == "answers");
        var total = answers.GetProperty("rows").EnumerateArray().Single(row => row.GetProperty("key").GetString() == "total");
        return long.TryParse(total.GetProperty("values").GetProperty("count").GetString(), out var count) ? count : -1;
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Coordination.Benchmarks;

/// <summary>The Dashboard's referral queue, read from the RabbitMQ management API (COORDINATION_RABBIT_MANAGEMENT).</summary>
public static class DashboardQueue
{
    /// <param name="StoredPerSecond">
    /// The Dashboard's own pace while it drained: events it stored per second, between the first and the last change of its
    /// store's sequence (the management API's depths are refreshed every few seconds, too coarse for a rate).
    /// </param>
    public sealed record Drain(long Initial, long Remaining, bool Drained, double Seconds, double? StoredPerSecond = null);

    public static async Task<Drain> DrainAsync(string virtualHost, TimeSpan limit, CancellationToken ct, Func<Task<long?>>? storedSequence = null)
    {
        var management = new Uri(Environment.GetEnvironmentVariable("COORDINATION_RABBIT_MANAGEMENT") ?? "http://coordination:coordination@127.0.0.1:15699");
        using var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority)) };
        if (!string.IsNullOrEmpty(management.UserInfo))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        async Task<long> DepthAsync()
        {
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}/dashboard-referral-events", ct));
                return doc.RootElement.TryGetProperty("messages", out var m) ? m.GetInt64() : 0;
            }
            catch (HttpRequestException)
            {
                return 0; // no management API: nothing to wait for
            }
        }
        var watch = Stopwatch.StartNew();
        var sequence = new List<(double Seconds, long Sequence)>();
        async Task SampleAsync()
        {
            if (storedSequence is not null && await storedSequence() is { } seq) sequence.Add((watch.Elapsed.TotalSeconds, seq));
        }
        await SampleAsync();
        var initial = await DepthAsync();
        var current = initial;
        // The management API's depths lag by a few seconds and may read 0 while the Dashboard is still storing: with its
        // store's sequence at hand, drained also means that sequence stood still for a second.
        bool StoodStill() => storedSequence is null || sequence.Count >= 3 && sequence[^1].Sequence == sequence[^3].Sequence;
        while ((current > 0 || !StoodStill()) && watch.Elapsed < limit)
        {
            await Task.Delay(500, ct);
            await SampleAsync();
            current = await DepthAsync();
        }
        var drained = current == 0 && StoodStill();
        var seconds = watch.Elapsed.TotalSeconds;
        double? rate = null;
        if (sequence.Count >= 2)
        {
            var lastChange = sequence.First(s => s.Sequence == sequence[^1].Sequence);
            if (drained) seconds = lastChange.Seconds;
            if (lastChange.Seconds > sequence[0].Seconds && lastChange.Sequence > sequence[0].Sequence)
                rate = (lastChange.Sequence - sequence[0].Sequence) / (lastChange.Seconds - sequence[0].Seconds);
        }
        return new Drain(initial, current, drained, Math.Round(seconds, 1), rate);
    }
}

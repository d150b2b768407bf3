using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Coordination.Benchmarks;

/// <summary>The Dashboard's referral queue, read from the RabbitMQ management API (COORDINATION_RABBIT_MANAGEMENT).</summary>
public static class DashboardQueue
{
    public sealed record Drain(long Initial, long Remaining, bool Drained, double Seconds);

    public static async Task<Drain> DrainAsync(string virtualHost, TimeSpan limit, CancellationToken ct)
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
        var initial = await DepthAsync();
        var current = initial;
        while (current > 0 && watch.Elapsed < limit)
        {
            await Task.Delay(500, ct);
            current = await DepthAsync();
        }
        return new Drain(initial, current, current == 0, Math.Round(watch.Elapsed.TotalSeconds, 1));
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordination.Benchmarks.Notifications;

/// <summary>The notifications benchmark's table (stdout), JSON and Markdown (docs/benchmarks/notifications-*.{json,md}).</summary>
public static class NotifyReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Json(NotifyResult r) => JsonSerializer.Serialize(r, JsonOptions);

    private static IEnumerable<(string Name, LatencyStats Stats)> Latencies(NotifyResult r) =>
    [
        ("published → accepted by the mail server", r.PublishedToAccepted),
        ("  warm-up events (not judged)", r.WarmupPublishedToAccepted),
        ("publish confirmed by RabbitMQ", r.PublishConfirm),
        ("publisher late vs. its schedule", r.PublisherLate),
    ];

    private static IEnumerable<string> Facts(NotifyResult r)
    {
        yield return $"events: {r.Published} measured + {r.PublishedWarmup} warm-up published at {r.Settings.Rate:0.#}/s asked " +
                     $"({Report.F(r.PublishedPerSecond, 1)}/s achieved), {r.PublishErrors} publish error(s)";
        yield return $"e-mails of the measured events: {r.Received}/{r.Expected} received, {r.Missing} missing; warm-up missing " +
                     $"{r.WarmupMissing}; doubled (same event and recipient): {r.Duplicates}" +
                     (r.Missing > 0 ? $" (missing = not in the mail server {r.Settings.SettleSeconds:0} s after the last publish: the percentiles " +
                                      "above cover the received e-mails only, so they understate the real ones)" : "");
        yield return $"throughput: {Report.F(r.MailsPerSecond, 1)} e-mails/s from the first measured publish to the last e-mail; " +
                     $"last e-mail {Report.F(r.LastMailAfterSeconds, 2)} s after the last publish";
        yield return r.Memory is { } m
            ? $"Notifications process (pid {m.ProcessId}) resident memory: {Report.F(m.StartMb, 0)} MB at the start of the window, " +
              $"peak {Report.F(m.PeakSampledMb, 0)} MB sampled every 250 ms ({m.Samples} samples), kernel high-water mark since its start " +
              $"(VmHWM) {(m.HighWaterMarkMb is { } h ? Report.F(h, 0) : "n/a")} MB; target ≤ {NotifyOptions.TargetPeakMb} MB"
            : "Notifications process: not found (pass --pid), memory not measured";
        if (r.MailServerAlone is { } c)
            yield return $"the mail server alone, just before the load (this benchmark sending {c.Mails} e-mails of the same size straight to it, one " +
                         $"after another over one connection): {Report.F(c.MailsPerSecond, 1)} e-mails/s, per e-mail p50 " +
                         $"{Report.F(c.PerMail.P50Ms, 1)} / p99 {Report.F(c.PerMail.P99Ms, 1)} ms";
        yield return $"machine load average (1/5/15 min) before: {r.LoadAverageBefore}, after: {r.LoadAverageAfter}";
        if (r.System is { } s)
            yield return $"CPU during the window (publish + drain, {Report.F(s.Seconds, 0)} s; % of one core, the machine has " +
                         $"{r.Machine.LogicalCpus * 100} %): machine {Report.F(s.MachineBusyPercent, 0)} % busy — " +
                         string.Join(", ", s.Processes.Take(10).Select(p => $"{p.Name} {Report.F(p.CpuPercentOfOneCore, 0)}"));
    }

    public static string Text(NotifyResult r)
    {
        var s = new StringBuilder();
        s.AppendLine();
        s.AppendLine($"Coordination notifications benchmark — {r.StartedAt:yyyy-MM-dd HH:mm} UTC — {r.Machine.LogicalCpus} CPU(s) {r.Machine.CpuModel}, " +
                     $"{r.Machine.MemoryMb} MB; Notifications {r.Settings.Notifications}, broker {r.Settings.Broker}, mail server {r.Settings.Relay} ({r.Settings.AcceptedMails})");
        s.AppendLine($"ReferralSent (urgency immediate) → e-mail to each of {r.Settings.Recipients} staff account(s), " +
                     $"{r.Settings.DurationSeconds:0.#} s measured after {r.Settings.WarmupSeconds:0.#} s warm-up");
        s.AppendLine();
        var header = $"  {"",-42} {"p50 ms",9} {"p90 ms",9} {"p99 ms",9} {"max ms",9} {"mean ms",9} {"n",6}";
        s.AppendLine(header);
        s.AppendLine("  " + new string('-', header.Length - 2));
        foreach (var (name, l) in Latencies(r))
            s.AppendLine($"  {name,-42} {Report.F(l.P50Ms, 1),9} {Report.F(l.P90Ms, 1),9} {Report.F(l.P99Ms, 1),9} {Report.F(l.MaxMs, 1),9} " +
                         $"{Report.F(l.MeanMs, 1),9} {l.Count,6}");
        s.AppendLine();
        foreach (var fact in Facts(r)) s.AppendLine("  " + fact);
        foreach (var error in r.PublishErrorSamples) s.AppendLine("  publish error: " + error);
        s.AppendLine();
        s.AppendLine($"Target (p99 ≤ {NotifyOptions.TargetP99Ms:0} ms at {r.Settings.Rate:0.#} events/s for {r.Settings.DurationSeconds:0.#} s, " +
                     $"Notifications ≤ {NotifyOptions.TargetPeakMb} MB): {r.Verdict.Summary}");
        return s.ToString();
    }

    public static string Markdown(NotifyResult r)
    {
        var s = new StringBuilder();
        s.AppendLine($"# Notifications benchmark — {r.StartedAt:yyyy-MM-dd HH:mm} UTC{(r.Settings.Quick ? " (--quick smoke run)" : "")}");
        s.AppendLine();
        s.AppendLine($"Written by `infra/bench-notifications.sh` or `infra/bench.sh notifications` (Coordination.Benchmarks `notifications`). Machine: {r.Machine.LogicalCpus} logical CPU(s), " +
                     $"{r.Machine.CpuModel}, {r.Machine.MemoryMb} MB, {r.Machine.Os}, {r.Machine.Runtime}. PostgreSQL, RabbitMQ, " +
                     $"the mail server ({r.Settings.Relay}), Notifications and the load generator share these CPUs with whatever else ran (see the load average and CPU lines).");
        s.AppendLine();
        s.AppendLine($"What is measured: hand-off events (`ReferralSent`, urgency *immediate*) published to RabbitMQ with MassTransit at " +
                     $"{r.Settings.Rate:0.#}/s for {r.Settings.DurationSeconds:0.#} s (after {r.Settings.WarmupSeconds:0.#} s of warm-up at the same rate), " +
                     $"to an organisation with {r.Settings.Recipients} staff account(s) and no on-call rota: Notifications e-mails each of " +
                     $"them at once. Each e-mail is timed from its event's publish to its acceptance by the mail server. Notifications at " +
                     $"{r.Settings.Notifications}, broker {r.Settings.Broker}, mail server {r.Settings.Relay} (accepted e-mails read from {r.Settings.AcceptedMails}).");
        s.AppendLine();
        s.AppendLine("Clock: the publish time is this machine's wall clock read just before each publish call; " + r.ClockSource);
        s.AppendLine();
        s.AppendLine($"**Target** (p99 ≤ {NotifyOptions.TargetP99Ms:0} ms at {r.Settings.Rate:0.#} events/s sustained for {r.Settings.DurationSeconds:0.#} s, " +
                     $"Notifications process ≤ {NotifyOptions.TargetPeakMb} MB): {r.Verdict.Summary}");
        s.AppendLine();
        s.AppendLine("## Latency");
        s.AppendLine();
        s.AppendLine("| | p50 ms | p90 ms | p99 ms | max ms | mean ms | n |");
        s.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var (name, l) in Latencies(r))
            s.AppendLine($"| {name.Trim()} | {Report.F(l.P50Ms, 1)} | {Report.F(l.P90Ms, 1)} | {Report.F(l.P99Ms, 1)} | {Report.F(l.MaxMs, 1)} | " +
                         $"{Report.F(l.MeanMs, 1)} | {l.Count} |");
        s.AppendLine();
        s.AppendLine("## Counts, memory, machine");
        s.AppendLine();
        foreach (var fact in Facts(r)) s.AppendLine("- " + char.ToUpperInvariant(fact[0]) + fact[1..]);
        foreach (var error in r.PublishErrorSamples) s.AppendLine($"- Publish error: `{error}`");
        return s.ToString();
    }
}

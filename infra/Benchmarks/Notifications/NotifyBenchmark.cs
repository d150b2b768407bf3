using System.Diagnostics;
using System.Globalization;

namespace Coordination.Benchmarks.Notifications;

/// <summary>
/// <c>Coordination.Benchmarks notifications</c>: hand-off events published to RabbitMQ at a fixed rate, each timed until the
/// mail server holds its e-mail; the Notifications process's memory and the machine's CPU meanwhile.
/// </summary>
public static class NotifyBenchmark
{
    private const int Ok = 0, Failed = 1, Usage = 2, Unreachable = 3, Interrupted = 130;

    public static async Task<int> RunAsync(string[] args)
    {
        var (parsed, usageError, help) = NotifyOptions.Parse(args);
        if (help)
        {
            Console.WriteLine(NotifyOptions.Help);
            return Ok;
        }
        if (parsed is null)
        {
            Console.Error.WriteLine($"Coordination.Benchmarks notifications: {usageError}");
            Console.Error.WriteLine(NotifyOptions.Help);
            return Usage;
        }
        var options = parsed;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var ct = stop.Token;
        var time = TimeProvider.System;
        var startedAt = time.GetUtcNow();
        var loadBefore = LoadAverage();

        using IAcceptedMails mail = options.MailDumps is { } dumps ? new SmtpSinkDumps(dumps) : new MailServerApi(options.MailApi);
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using (var health = await probe.GetAsync(new Uri(options.Notifications, "health"), ct))
                if (!health.IsSuccessStatusCode) throw new HttpRequestException($"{options.Notifications}health answered {(int)health.StatusCode}");
            await mail.CountAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Coordination.Benchmarks notifications: not usable: {e.Message}");
            Console.Error.WriteLine("Start Notifications and the mail server (./coordination up -d, or infra/bench-notifications.sh), then run again.");
            return Unreachable;
        }
        var pid = options.ProcessId ?? ProcessMemory.ListeningOn(options.Notifications.Port);

        await using var load = new NotifyLoad(options, time);
        try
        {
            Console.WriteLine($"[{Now()}] publishing the benchmark's organisation and {options.Recipients} staff account(s) …");
            await load.StartAsync(ct);
            if (!await load.WaitUntilKnownAsync(mail, TimeSpan.FromSeconds(120), ct))
            {
                Console.Error.WriteLine("Coordination.Benchmarks notifications: no probe e-mail reached the benchmark's staff within 120 s " +
                                        "(is Notifications consuming from this broker and virtual host, and sending to this mail server?)");
                return Failed;
            }
            // Before the load, while Notifications sends nothing: after it, its backlog would share the mail server.
            RelayCeiling.Result? ceiling = null;
            if (options.CeilingMails > 0)
            {
                Console.WriteLine($"[{Now()}] the mail server alone: {options.CeilingMails} e-mails straight to {options.Smtp} over one connection …");
                ceiling = await RelayCeiling.MeasureAsync(options.Smtp, $"plafond-{Guid.NewGuid():N}@banc-essai.test", options.CeilingMails, ct);
                Console.WriteLine($"           {Report.F(ceiling.MailsPerSecond, 1)} e-mails/s");
            }
            var warmupCount = (int)Math.Round(options.WarmupSeconds * options.Rate);
            var measuredCount = (int)Math.Round(options.DurationSeconds * options.Rate);
            var published = new List<PublishedEvent>();
            if (warmupCount > 0)
            {
                Console.WriteLine($"[{Now()}] warm-up: {warmupCount} events at {options.Rate:0.#}/s (e-mails checked, not timed) …");
                published.AddRange(await load.PublishAtRateAsync(0, warmupCount, warmup: true, ct));
            }

            Console.WriteLine($"[{Now()}] measured: {measuredCount} events at {options.Rate:0.#}/s for {options.DurationSeconds:0.#} s …");
            using var memory = pid is { } p ? new ProcessMemory(p) : null;
            using var sampler = new SystemSampler(new BenchOptions { PgPort = options.PgPort });
            sampler.StartOnce();
            var window = Stopwatch.StartNew();
            published.AddRange(await load.PublishAtRateAsync(warmupCount, measuredCount, warmup: false, ct));
            var publishSeconds = window.Elapsed.TotalSeconds;

            var expected = published.Count(e => e.Error is null) * options.Recipients;
            Console.WriteLine($"[{Now()}] published in {publishSeconds:0.0} s; waiting for {expected} e-mail(s) (at most {options.SettleSeconds:0} s) …");
            var mails = await WaitForMailsAsync(mail, load, expected, TimeSpan.FromSeconds(options.SettleSeconds), ct);
            var system = await sampler.StopAsync();
            var memoryFigures = memory is null ? null : await memory.StopAsync();

            var result = NotifyResult.From(startedAt, time.GetUtcNow(), options, mail, published, mails, publishSeconds,
                memoryFigures, system, ceiling, loadBefore, LoadAverage());
            Console.Write(NotifyReport.Text(result));
            Directory.CreateDirectory(options.OutDirectory);
            var stem = Path.Combine(options.OutDirectory, $"notifications-{startedAt:yyyy-MM-dd}{(options.Quick ? "-quick" : "")}");
            await File.WriteAllTextAsync(stem + ".json", NotifyReport.Json(result) + Environment.NewLine, CancellationToken.None);
            await File.WriteAllTextAsync(stem + ".md", NotifyReport.Markdown(result), CancellationToken.None);
            Console.WriteLine();
            Console.WriteLine($"Written: {stem}.json, {stem}.md");
            return Ok;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted: partial results are not written.");
            return Interrupted;
        }
    }

    /// <summary>
    /// Until the mail server holds the expected e-mails of this run, or the limit. Counting first (one small request a
    /// second) keeps the full listing, which loads the mail server, for when the count says they may all be there.
    /// </summary>
    private static async Task<List<AcceptedMail>> WaitForMailsAsync(IAcceptedMails mail, NotifyLoad load, int expected, TimeSpan limit, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        // Everything else the server holds (other mail, this run's probes) is not waited for. Counted before the listing:
        // e-mails arriving in between then make the estimate of the others low (an early look), never high (a missed end).
        var total = await mail.CountAsync(ct);
        var ours = await mail.AllToAsync(load.IsOurs, ct);
        var others = total - Benchmarked(ours);
        while (Benchmarked(ours) < expected && watch.Elapsed < limit)
        {
            await Task.Delay(1000, ct);
            if (await mail.CountAsync(ct) - others >= expected)
                ours = await mail.AllToAsync(load.IsOurs, ct);
        }
        return await mail.AllToAsync(load.IsOurs, ct);

        static int Benchmarked(List<AcceptedMail> mails) => mails.Count(m => NotifyLoad.IndexOf(m.Subject) < NotifyLoad.FirstProbe);
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Now() => TimeProvider.System.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using Coordination.Benchmarks;

// Measures the hand-off targets of the running platform (see docs/benchmarks/README.md):
// 1. send rate and latency through the gateway (closed loop at several concurrencies, then a fixed-rate open loop),
// 2. sent → visible in the receiver's inbox, 3. the machine's pgbench ceiling for a comparable write.

const int Ok = 0, Failed = 1, Usage = 2, Unreachable = 3, Interrupted = 130;

// `notifications`: the Notifications service's own benchmark (event published → e-mail accepted), see Notifications/.
if (args is ["notifications", ..])
    return await Coordination.Benchmarks.Notifications.NotifyBenchmark.RunAsync(args[1..]);
// `gateway`: what one proxied request costs the gateway, against the same request straight to the service, see Gateway/.
if (args is ["gateway", ..])
    return await Coordination.Benchmarks.Gateway.GatewayHopBenchmark.RunAsync(args[1..]);

var (parsed, usageError, help) = BenchOptions.Parse(args);
if (help)
{
    Console.WriteLine(BenchOptions.Help);
    return Ok;
}
if (parsed is null)
{
    Console.Error.WriteLine($"Coordination.Benchmarks: {usageError}");
    Console.Error.WriteLine(BenchOptions.Help);
    return Usage;
}
var options = parsed;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;

const string GatewayName = "gateway";
const string DirectName = "direct";
// Every level runs through the gateway, then straight to Referrals (unless --no-direct).
var targets = new[] { (Uri: options.Gateway, Name: GatewayName), (Uri: options.Direct, Name: DirectName) }
    .Where(t => t.Uri is not null).Select(t => (Uri: t.Uri!, t.Name)).ToArray();
var maxConnections = Math.Max(options.ClientLevels.Max(), 256);
using var client = new PlatformClient(maxConnections, options.ReceiverOrganisationId);
var startedAt = DateTimeOffset.UtcNow;

try
{
    await client.CheckHealthAsync(options.Gateway, ct);
    if (options.Direct is not null) await client.CheckHealthAsync(options.Direct, ct);
    await client.SignInAsync(options.Gateway, options, ct);
}
catch (PlatformUnreachableException e)
{
    Console.Error.WriteLine($"Coordination.Benchmarks: the platform is not usable: {e.Message}");
    Console.Error.WriteLine("Start it with ./coordination up -d, then run infra/bench.sh again.");
    return Unreachable;
}

// One hand-off first: a platform that refuses it (e.g. the receiver unknown to Referrals) would only measure errors.
var (probe, _) = await client.SendAsync(options.Gateway, readId: true, ct);
if (!probe.IsCreated)
{
    Console.Error.WriteLine($"Coordination.Benchmarks: a single hand-off is refused ({(probe.Status == 0 ? probe.Error : $"HTTP {probe.Status}")}), nothing to measure.");
    foreach (var sample in client.ErrorSamples) Console.Error.WriteLine($"  {sample.Key}: {sample.Value}");
    return Failed;
}

var load = new List<LoadResult>();
VisibilityResult? visibility = null;
List<PgBenchResult>? pgbench = null;
string? pgbenchError = null;
WritesResult? writes = null;
var documentsBefore = await ReferralDocumentsAsync();
var settleLimit = TimeSpan.FromSeconds(options.Quick ? 30 : options.Soak ? 900 : 120);

try
{
    var levelSeconds = options.WarmupSeconds + options.DurationSeconds;
    if (options.PlatformWarmupSeconds > 0)
    {
        foreach (var (target, _) in targets)
        {
            Console.WriteLine($"[{Now()}] warming up {target} (8 clients, {options.PlatformWarmupSeconds:0.#} s, not recorded) …");
            var warm = options with { WarmupSeconds = options.PlatformWarmupSeconds, DurationSeconds = 0.001 };
            await SettleAsync(await SendLoad.ClosedLoopAsync(client, target, "warm-up", 8, warm, ct));
        }
    }
    // Gateway and direct back to back at each level, each from a quiet platform, so that both meet the same conditions.
    foreach (var clients in options.ClientLevels)
    {
        foreach (var (target, name) in targets)
        {
            Console.WriteLine($"[{Now()}] {name}: closed loop, {clients} client(s), {levelSeconds:0.#} s …");
            var result = await SendLoad.ClosedLoopAsync(client, target, name, clients, options, ct);
            load.Add(await SettleAsync(result));
            Console.WriteLine($"           {Summary(load[^1])}");
        }
    }
    if (options.FixedRate > 0)
    {
        // Also straight to Referrals: at a rate the machine can sustain, the gateway's cost is seen without the
        // closed loop's feedback (where any added latency also lowers the rate).
        foreach (var (target, name) in targets)
        {
            Console.WriteLine($"[{Now()}] {name}: fixed rate {options.FixedRate:0}/s, {levelSeconds:0.#} s …");
            var result = await SendLoad.FixedRateAsync(client, target, name, options.FixedRate, options, ct);
            load.Add(await SettleAsync(result));
            Console.WriteLine($"           {Summary(load[^1])}");
        }
    }
    if (options.InboxSamples > 0)
    {
        // Sent → Dashboard is measured from a caught-up Dashboard, at the pace of real national activity.
        var drain = await DashboardQueue.DrainAsync(options.VirtualHost, TimeSpan.FromMinutes(options.Quick ? 2 : 5), ct, DashboardSequenceAsync);
        if (drain.Initial > 0)
            Console.WriteLine($"[{Now()}] Dashboard queue: {drain.Initial} message(s) waiting, " +
                              (drain.Drained ? $"drained in {drain.Seconds:0.0} s" : $"still {drain.Remaining} after {drain.Seconds:0} s"));
        Console.WriteLine($"[{Now()}] sent → visible: {options.InboxSamples} sends at {options.InboxRate:0}/s …");
        visibility = await InboxVisibility.RunAsync(client, options.Gateway, options, ct);
        Console.WriteLine($"           visible {visibility.Visible}/{visibility.Sent}: p50 {Report.F(visibility.SentToVisible.P50Ms, 1)} ms, " +
                          $"p99 {Report.F(visibility.SentToVisible.P99Ms, 1)} ms");
    }
    // What a hand-off writes to the whole platform's database server (issue #22, item 3), from PostgreSQL's counters.
    var writesTarget = options.Direct ?? options.Gateway;
    Console.WriteLine($"[{Now()}] rows and index entries per hand-off ({(options.Quick ? 50 : 300)} hand-offs) …");
    writes = await WritesPerHandOff.RunAsync(client, writesTarget, options, options.Quick ? 50 : 300, ct);
    if (options.RunPgBench)
    {
        Console.WriteLine($"[{Now()}] pgbench ceiling on a scratch database ({PgBench.Database}) …");
        try
        {
            pgbench = await PgBench.RunAsync(options, Console.Out, ct);
        }
        catch (InvalidOperationException e)
        {
            pgbenchError = e.Message;
            Console.Error.WriteLine($"  pgbench: {e.Message}");
        }
    }
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted: partial results are not written.");
    return Interrupted;
}

var report = new BenchReport(startedAt, DateTimeOffset.UtcNow, MachineInfo.Read(), RunSettings.From(options), documentsBefore,
    await ReferralDocumentsAsync(), load, visibility, pgbench, pgbenchError, Report.Judge(load, GatewayName),
    new Dictionary<string, string>(client.ErrorSamples));

Console.Write(Report.Text(report));
var extras = Extras.GatewayOverhead(load, GatewayName, DirectName) + Extras.AppendRate(load, pgbench) + WritesPerHandOff.Markdown(writes) +
             Extras.PeakMemory();
Console.WriteLine();
Console.Write(extras);

Directory.CreateDirectory(options.OutDirectory);
var stem = Path.Combine(options.OutDirectory, $"referrals-{startedAt:yyyy-MM-dd}{(options.Quick ? "-quick" : options.Soak ? "-soak" : "")}");
await File.WriteAllTextAsync(stem + ".json", Report.JsonText(report) + Environment.NewLine, CancellationToken.None);
await File.WriteAllTextAsync(stem + ".md", Report.Markdown(report) + Environment.NewLine + extras, CancellationToken.None);
Console.WriteLine();
Console.WriteLine($"Written: {stem}.json, {stem}.md");
return Ok;

string Now() => DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

string Summary(LoadResult l) =>
    $"{Report.F(l.CreatedPerSecond, 1)} sends/s, p50 {Report.F(l.Latency.P50Ms, 1)} ms, p99 {Report.F(l.Latency.P99Ms, 1)} ms, " +
    $"{l.Errors} error(s); machine {Report.F(l.System?.MachineBusyPercent ?? double.NaN, 0)} % busy" +
    (l.OutboxBacklogAtEnd is { } backlog ? $"; outbox backlog {backlog} events, drained in {Report.F(l.OutboxDrainSeconds ?? double.NaN, 1)} s" : "") +
    (l.DashboardBacklogAtEnd is { } queued ? $"; Dashboard queue {queued}, drained in {Report.F(l.DashboardDrainSeconds ?? double.NaN, 1)} s" +
        (l.DashboardStoredPerSecond is { } pace ? $" at {Report.F(pace, 0)} events/s" : "") : "");

// Referrals publishes every event to RabbitMQ from an outbox (Marten subscription) that may lag behind a burst.
// Before the next level, let it catch up so each level starts from a quiet platform; note how far behind it was.
async Task<LoadResult> SettleAsync(LoadResult result)
{
    result = result with { EventsAppended = await EventsAppendedAsync(result.WindowStart, result.WindowEnd) };
    var backlog = await OutboxBacklogAsync();
    if (backlog is null) return result;
    var watch = Stopwatch.StartNew();
    var current = backlog;
    while (current > 0 && watch.Elapsed < settleLimit && !ct.IsCancellationRequested)
    {
        await Task.Delay(500, ct);
        current = await OutboxBacklogAsync() ?? 0;
    }
    var drained = watch.Elapsed;
    if (current > 0) Console.WriteLine($"           outbox still {current} events behind after {settleLimit.TotalSeconds:0} s; going on");
    // The Dashboard stores what the level sent after it (in batches since 2026-12-07); its backlog would otherwise eat the
    // next level's CPU. How long it takes to drain is its consumption rate.
    var dashboard = await DashboardQueue.DrainAsync(options.VirtualHost, settleLimit, ct, DashboardSequenceAsync);
    if (!dashboard.Drained) Console.WriteLine($"           Dashboard queue still {dashboard.Remaining} messages after {settleLimit.TotalSeconds:0} s; going on");
    await Task.Delay(TimeSpan.FromSeconds(1), ct);
    // Resolution: the 500 ms polling above.
    return result with
    {
        OutboxBacklogAtEnd = backlog,
        OutboxDrainSeconds = current > 0 ? null : Math.Round(drained.TotalSeconds, 1),
        DashboardBacklogAtEnd = dashboard.Initial,
        DashboardDrainSeconds = dashboard.Drained ? dashboard.Seconds : null,
        DashboardStoredPerSecond = dashboard.StoredPerSecond is { } r ? Math.Round(r, 1) : null,
    };
}

Task<long?> OutboxBacklogAsync() => Psql.NumberAsync(options, options.ReferralsDatabase,
    "SELECT (SELECT coalesce(max(seq_id), 0) FROM referrals.mt_events) - "
    + "coalesce((SELECT last_seq_id FROM referrals.mt_event_progression WHERE name = 'integration-events:All'), 0)",
    TimeSpan.FromSeconds(10));

// The store's own count: events whose transaction started in the window (Marten stamps each event with now()).
async Task<long?> EventsAppendedAsync(DateTimeOffset? from, DateTimeOffset? to) => from is null || to is null ? null
    : await Psql.NumberAsync(options, options.ReferralsDatabase,
        $"SELECT count(*) FROM referrals.mt_events WHERE timestamp >= '{from.Value.UtcDateTime:O}' AND timestamp < '{to.Value.UtcDateTime:O}'",
        TimeSpan.FromSeconds(30));

Task<long?> DashboardSequenceAsync() =>
    Psql.NumberAsync(options, options.DashboardDatabase, "SELECT coalesce(max(seq_id), 0) FROM dashboard.mt_events", TimeSpan.FromSeconds(5));

Task<long?> ReferralDocumentsAsync() =>
    Psql.NumberAsync(options, options.ReferralsDatabase, "SELECT count(*) FROM referrals.mt_doc_referraldetails", TimeSpan.FromSeconds(30));

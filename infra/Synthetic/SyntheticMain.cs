using System.Globalization;

namespace Coordination.Synthetic;

/// <summary>
/// Synthetic national activity for benchmarks (see docs/benchmarks/README.md):
///   load-dashboard --connection CS [--events N] [--seed S] [--until yyyy-MM-dd]
///   bench-dashboard --url URL --coordinator-token T --admin-token T --organisation ID [--repetitions N] [--rebuild] [--pid PID]
///                   [--loaded-events N --loaded-streams N --persons N --load-seconds S] [--out DIR]
///                   [--amqp URI --sender ID --departement CODE [--freshness-samples 50]]  (freshness: publishes to that broker)
///   bench-ingestion --amqp URI --connection CS [--hand-offs 6000] [--out FILE.md]
///                   (whole hand-offs published at once; the Dashboard's events stored per second, appended to FILE.md)
/// </summary>
public static class SyntheticMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: load-dashboard --connection CS [--events 1000000] [--seed 2011] [--until yyyy-MM-dd]");
            Console.WriteLine("       bench-dashboard --url URL --coordinator-token T --admin-token T --organisation ID [--repetitions 50] [--rebuild] [--pid PID] [--out DIR]");
            Console.WriteLine("                       [--amqp URI --sender ID --departement CODE [--freshness-samples 50]]");
            Console.WriteLine("       bench-ingestion --amqp URI --connection CS [--hand-offs 6000] [--out FILE.md]");
            return args.Length == 0 ? 2 : 0;
        }
        var options = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i++)
            if (args[i].StartsWith("--")) options[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : "true";
        string? Option(string name) => options.GetValueOrDefault(name);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

        switch (args[0])
        {
            case "load-dashboard":
            {
                var connection = Option("connection") ?? throw new ArgumentException("--connection is required");
                var events = long.Parse(Option("events") ?? "1000000", CultureInfo.InvariantCulture);
                var seed = int.Parse(Option("seed") ?? "2011", CultureInfo.InvariantCulture);
                var until = Option("until") is { } u ? DateTimeOffset.Parse(u + "T00:00:00Z", CultureInfo.InvariantCulture) : new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
                Console.WriteLine($"Loading ~{events:N0} events of synthetic national activity (seed {seed}, year up to {until:yyyy-MM-dd}) …");
                var loaded = await DashboardVolume.LoadAsync(connection, seed, until, events, Console.Out, stop.Token);
                Console.WriteLine($"Loaded {loaded.Events:N0} events in {loaded.Streams:N0} streams ({loaded.Persons:N0} persons) in {loaded.Seconds:F1} s: " +
                                  $"{loaded.Events / loaded.Seconds:N0} events/s");
                Console.WriteLine($"LOADED events={loaded.Events} streams={loaded.Streams} persons={loaded.Persons} seconds={loaded.Seconds.ToString("F1", CultureInfo.InvariantCulture)}");
                return 0;
            }
            case "bench-dashboard":
            {
                var url = new Uri((Option("url") ?? "http://127.0.0.1:5193").TrimEnd('/') + "/");
                await using var broker = Option("amqp") is { } amqp ? await FreshnessBroker.StartAsync(new Uri(amqp), stop.Token) : null;
                var freshness = broker is null ? null : new DashboardFreshness.Setup(broker.PublishAsync, Guid.Parse(Option("sender")!),
                    Guid.Parse(Option("organisation")!), Option("departement")!, int.Parse(Option("freshness-samples") ?? "50", CultureInfo.InvariantCulture));
                var figures = await DashboardBench.RunAsync(url, Option("coordinator-token")!, Option("admin-token")!,
                    Guid.Parse(Option("organisation")!), int.Parse(Option("repetitions") ?? "50", CultureInfo.InvariantCulture),
                    Option("rebuild") == "true", Option("pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
                    (long.Parse(Option("loaded-events") ?? "0", CultureInfo.InvariantCulture), long.Parse(Option("loaded-streams") ?? "0", CultureInfo.InvariantCulture),
                        int.Parse(Option("persons") ?? "0", CultureInfo.InvariantCulture),
                        Option("load-seconds") is { } ls ? double.Parse(ls, CultureInfo.InvariantCulture) : null),
                    Console.Out, stop.Token, freshness);
                var markdown = DashboardBench.Markdown(figures);
                Console.WriteLine();
                Console.Write(markdown);
                if (Option("out") is { } dir)
                {
                    Directory.CreateDirectory(dir);
                    var stem = Path.Combine(dir, $"dashboard-volume-{figures.At:yyyy-MM-dd}{(figures.Events < 100_000 ? "-quick" : "")}");
                    await File.WriteAllTextAsync(stem + ".md", markdown);
                    await File.WriteAllTextAsync(stem + ".json", DashboardBench.Json(figures) + Environment.NewLine);
                    Console.WriteLine($"Written: {stem}.md, {stem}.json");
                }
                return figures.Queries.Any(q => q.Errors > 0) || figures.Freshness is { Missed: > 0 } ? 1 : 0;
            }
            case "bench-ingestion":
            {
                await using var broker = await FreshnessBroker.StartAsync(new Uri(Option("amqp") ?? throw new ArgumentException("--amqp is required")), stop.Token);
                var figures = await DashboardIngestion.RunAsync(broker.PublishAsync,
                    Option("connection") ?? throw new ArgumentException("--connection is required"),
                    int.Parse(Option("hand-offs") ?? "6000", CultureInfo.InvariantCulture), Console.Out, stop.Token);
                Console.WriteLine(figures.Markdown());
                if (Option("out") is { } file)
                    await File.AppendAllTextAsync(file, Environment.NewLine + figures.Markdown() + Environment.NewLine);
                return figures.Missing > 0 ? 1 : 0;
            }
            default:
                Console.Error.WriteLine($"unknown command '{args[0]}' (load-dashboard, bench-dashboard, bench-ingestion)");
                return 2;
        }
    }
}

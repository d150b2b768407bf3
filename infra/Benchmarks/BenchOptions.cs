using System.Globalization;

namespace Coordination.Benchmarks;

public sealed record BenchOptions
{
    public Uri Gateway { get; init; } = new("http://127.0.0.1:8080/");

    /// <summary>Measured seconds per load level (closed-loop levels and the fixed-rate phase).</summary>
    public double DurationSeconds { get; init; } = 15;

    /// <summary>Unrecorded seconds before each load level.</summary>
    public double WarmupSeconds { get; init; } = 3;

    public int[] ClientLevels { get; init; } = [1, 8, 32];

    /// <summary>
    /// Unrecorded load through each target before the first level: a freshly started process runs unoptimised code
    /// until the JIT's tiered compilation has caught up, which a few seconds of warm-up per level do not cover.
    /// </summary>
    public double PlatformWarmupSeconds { get; init; } = 15;

    /// <summary>Open-loop phase: requests scheduled at this fixed rate (0: skip the phase).</summary>
    public double FixedRate { get; init; } = 300;

    public int InboxSamples { get; init; } = 200;

    public double InboxRate { get; init; } = 20;

    public bool RunPgBench { get; init; } = true;

    public double PgBenchSeconds { get; init; } = 10;

    /// <summary>pgbench client levels; by default the closed-loop levels, for the append-rate ratio at the same concurrency.</summary>
    public int[] PgBenchClients { get; init; } = [1, 8, 32];

    public string PgHost { get; init; } = "127.0.0.1";

    public int PgPort { get; init; } = 54329;

    public string PgUser { get; init; } = "postgres";

    /// <summary>The databases the services were started on (the platform's own by default; a test platform has others).</summary>
    public string ReferralsDatabase { get; init; } = "referrals";

    public string DashboardDatabase { get; init; } = "dashboard";

    /// <summary>RabbitMQ virtual host of the platform, for the Dashboard queue's depth (management API).</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>Optional: the same closed-loop levels straight against the Referrals service (no gateway).</summary>
    public Uri? Direct { get; init; } = new("http://127.0.0.1:5104/");

    public string OutDirectory { get; init; } = Path.Combine("docs", "benchmarks");

    public bool Quick { get; init; }

    public bool Soak { get; init; }

    public string SenderUser { get; init; } = "bench.iscg";

    public string ReceiverUser { get; init; } = "bench.aav";

    public string Password { get; init; } = "Demo-2026!";

    public Guid ReceiverOrganisationId { get; init; } = Guid.Parse("0193a000-0000-7000-8000-000000000099");

    public const string Help = """
        Coordination.Benchmarks: hand-off throughput and latency of the running platform (loopback only).

          --gateway URL         gateway to load (default http://127.0.0.1:8080)
          --duration SECONDS    measured seconds per load level (default 15)
          --warmup SECONDS      unrecorded seconds before each level (default 3; 1 with --quick)
          --clients LIST        closed-loop concurrency levels (default 1,8,32)
          --platform-warmup S   unrecorded load through each target before the first level, so that the JIT has
                                optimised a freshly started platform (default 15; 2 with --quick; 0 skips it)
          --rate N              fixed-rate (open-loop) phase, requests/s (default 300; 0 skips it)
          --inbox-samples N     sends timed until visible in the receiver's inbox (default 200)
          --inbox-rate N        their pace, sends/s (default 20)
          --direct URL          every level (closed loop and fixed rate) is also run straight against Referrals, for
                                the gateway's overhead (default http://127.0.0.1:5104; --no-direct skips them)
          --no-pgbench          skip the pgbench ceiling
          --pgbench-seconds N   seconds per pgbench level (default 10)
          --pgbench-clients L   pgbench client levels (default: the --clients levels)
          --pg-port PORT        PostgreSQL for pgbench and sampling (default 54329 on 127.0.0.1, user postgres;
                                a password, if any, from PGPASSWORD)
          --referrals-db NAME   the Referrals service's database (default referrals)
          --dashboard-db NAME   the Dashboard service's database (default dashboard)
          --vhost NAME          the platform's RabbitMQ virtual host (default /); the management API is read at
                                COORDINATION_RABBIT_MANAGEMENT (default http://coordination:coordination@127.0.0.1:15699)
          --out DIR             where referrals-<date>.json and .md go (default docs/benchmarks)
          --soak                long run: 300 s per level and target (--duration overrides), 2000 inbox samples,
                                up to 15 min between levels for the Dashboard to drain: 1 to 2 hours with the
                                default levels; results named referrals-<date>-soak.*
          --quick               smoke test: 2 s per level, 1 s warm-up, 20 inbox samples, no pgbench;
                                results named referrals-<date>-quick.*
          -h, --help            this text
        """;

    public static (BenchOptions? Options, string? Error, bool Help) Parse(string[] args)
    {
        var o = new BenchOptions();
        bool? pgbench = null;
        double? duration = null, warmup = null, platformWarmup = null;
        int? inboxSamples = null;
        int[]? pgbenchClients = null;
        var soak = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "-h" or "--help": return (null, null, true);
                    case "--gateway": o = o with { Gateway = ParseUrl(Next()) }; break;
                    case "--direct": o = o with { Direct = ParseUrl(Next()) }; break;
                    case "--no-direct": o = o with { Direct = null }; break;
                    case "--duration": duration = Positive(Next(), arg); break;
                    case "--warmup": warmup = NonNegative(Next(), arg); break;
                    case "--platform-warmup": platformWarmup = NonNegative(Next(), arg); break;
                    case "--clients":
                        o = o with { ClientLevels = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => (int)Positive(c, arg))] };
                        break;
                    case "--rate": o = o with { FixedRate = NonNegative(Next(), arg) }; break;
                    case "--inbox-samples": inboxSamples = (int)NonNegative(Next(), arg); break;
                    case "--inbox-rate": o = o with { InboxRate = Positive(Next(), arg) }; break;
                    case "--no-pgbench": pgbench = false; break;
                    case "--pg-port": o = o with { PgPort = (int)Positive(Next(), arg) }; break;
                    case "--pgbench-seconds": o = o with { PgBenchSeconds = Positive(Next(), arg) }; break;
                    case "--pgbench-clients":
                        pgbenchClients = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => (int)Positive(c, arg))];
                        break;
                    case "--referrals-db": o = o with { ReferralsDatabase = Identifier(Next(), arg) }; break;
                    case "--dashboard-db": o = o with { DashboardDatabase = Identifier(Next(), arg) }; break;
                    case "--vhost": o = o with { VirtualHost = Next() }; break;
                    case "--out": o = o with { OutDirectory = Next() }; break;
                    case "--quick": o = o with { Quick = true }; break;
                    case "--soak": soak = true; break;
                    default: return (null, $"unknown argument '{arg}'", false);
                }
            }
            catch (FormatException e)
            {
                return (null, e.Message, false);
            }
        }
        if (o.ClientLevels.Length == 0) return (null, "--clients needs at least one level", false);
        if (soak && o.Quick) return (null, "--soak and --quick exclude each other", false);
        if (soak) (duration, inboxSamples, o) = (duration ?? 300, inboxSamples ?? 2000, o with { Soak = true });
        o = o with
        {
            DurationSeconds = duration ?? (o.Quick ? 2 : o.DurationSeconds),
            WarmupSeconds = warmup ?? (o.Quick ? 1 : o.WarmupSeconds),
            PlatformWarmupSeconds = platformWarmup ?? (o.Quick ? 2 : o.PlatformWarmupSeconds),
            InboxSamples = inboxSamples ?? (o.Quick ? 20 : o.InboxSamples),
            RunPgBench = pgbench ?? !o.Quick,
            PgBenchClients = pgbenchClients ?? o.ClientLevels,
        };
        return (o, null, false);
    }

    internal static Uri ParseUrl(string value)
    {
        if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"'{value}' is not an http(s) URL");
        if (!uri.IsLoopback)
            throw new FormatException($"'{value}' is not a loopback address: this benchmark only loads the local machine");
        return uri;
    }

    private static string Identifier(string value, string name) =>
        value.Length is > 0 and <= 63 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? value : throw new FormatException($"{name}: '{value}' is not a database name (letters, digits, _)");

    internal static double Positive(string value, string name) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? d : throw new FormatException($"{name}: '{value}' is not a positive number");

    internal static double NonNegative(string value, string name) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0
            ? d : throw new FormatException($"{name}: '{value}' is not a number >= 0");
}

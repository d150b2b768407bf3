using System.Globalization;

namespace Coordination.Benchmarks.Notifications;

/// <summary>Options of <c>Coordination.Benchmarks notifications</c> (issue #19's speed target).</summary>
public sealed record NotifyOptions
{
    /// <summary>The Notifications service under test: its <c>/health</c>, and the process listening on its port.</summary>
    public Uri Notifications { get; init; } = new("http://127.0.0.1:5108/");

    /// <summary>The broker (and virtual host) that Notifications consumes from.</summary>
    public Uri Amqp { get; init; } = new(Environment.GetEnvironmentVariable("COORDINATION_AMQP") is { Length: > 0 } amqp
        ? amqp : "amqp://coordination:coordination@127.0.0.1:56729/");

    /// <summary>The mail server Notifications sends to, if it is smtp4dev: its REST API (<c>/api/messages</c>).</summary>
    public Uri MailApi { get; init; } = new(Environment.GetEnvironmentVariable("COORDINATION_MAIL_API") is { Length: > 0 } api
        ? api : "http://127.0.0.1:5180/");

    /// <summary>
    /// The mail server Notifications sends to, if it is Postfix's smtp-sink: the directory of its dump files
    /// (<c>smtp-sink -d 'DIR/%H%M%S.'</c>). When set, the accepted e-mails are read there instead of from <see cref="MailApi"/>.
    /// </summary>
    public string? MailDumps { get; init; }

    public string Relay => MailDumps is null ? "smtp4dev" : "smtp-sink";

    /// <summary>The same mail server's SMTP port, for its ceiling (e-mails sent straight to it by this benchmark).</summary>
    public Uri Smtp { get; init; } = new(Environment.GetEnvironmentVariable("COORDINATION_SMTP") is { Length: > 0 } smtp
        ? smtp : "smtp://127.0.0.1:52525");

    /// <summary>E-mails sent straight to the mail server before the load, for its own pace (0: skip).</summary>
    public int CeilingMails { get; init; } = 300;

    /// <summary>The Notifications process to watch; by default the one listening on the port of <see cref="Notifications"/>.</summary>
    public int? ProcessId { get; init; }

    public double Rate { get; init; } = 100;

    public double DurationSeconds { get; init; } = 60;

    /// <summary>Events published at the same rate before the measured window (their e-mails are checked, not timed).</summary>
    public double WarmupSeconds { get; init; } = 10;

    /// <summary>Staff accounts of the receiving organisation: each event e-mails every one of them.</summary>
    public int Recipients { get; init; } = 1;

    /// <summary>How long to wait, after the last event, for the last e-mails.</summary>
    public double SettleSeconds { get; init; } = 180;

    /// <summary>PostgreSQL, for the CPU sampler's view of active backends (user postgres on 127.0.0.1).</summary>
    public int PgPort { get; init; } = 54329;

    public string OutDirectory { get; init; } = Path.Combine("docs", "benchmarks");

    public bool Quick { get; init; }

    public const double TargetP99Ms = 5000;
    public const long TargetPeakMb = 250;

    public const string Help = """
        Coordination.Benchmarks notifications: integration event published → e-mail accepted by the mail server.
        Publishes hand-off events (ReferralSent, urgency immediate) to RabbitMQ at a fixed rate, as Referrals does, for an
        organisation and staff accounts it first publishes (Directory and Identity contracts), and reads every e-mail back
        from the mail server: the dump files of Postfix's smtp-sink (--mail-dumps) or smtp4dev's REST API (--mail-api).
        Loopback only.

          --notifications URL   the Notifications service (default http://127.0.0.1:5108)
          --amqp URI            its broker and virtual host (default $COORDINATION_AMQP, else amqp://…@127.0.0.1:56729/)
          --mail-api URL        smtp4dev's web API (default $COORDINATION_MAIL_API, else http://127.0.0.1:5180)
          --mail-dumps DIR      instead, the directory where smtp-sink dumps each accepted e-mail (smtp-sink -d 'DIR/%H%M%S.')
          --smtp URI            the mail server's SMTP (default $COORDINATION_SMTP, else smtp://127.0.0.1:52525)
          --ceiling N           before the load, N e-mails sent straight to the mail server over one connection, for its
                                own pace on this machine (default 300; 50 with --quick; 0 skips)
          --pid N               the Notifications process to watch (default: the one listening on its port)
          --rate N              events per second (default 100)
          --duration SECONDS    measured seconds (default 60)
          --warmup SECONDS      unmeasured seconds at the same rate first (default 10)
          --recipients N        staff accounts e-mailed per event (default 1)
          --settle SECONDS      wait at most this long for the last e-mails (default 180)
          --pg-port PORT        PostgreSQL for the sampler (default 54329)
          --out DIR             where notifications-<date>.json and .md go (default docs/benchmarks)
          --quick               smoke run: 20/s for 3 s after 1 s; results named notifications-<date>-quick.*
          -h, --help            this text
        """;

    public static (NotifyOptions? Options, string? Error, bool Help) Parse(string[] args)
    {
        var o = new NotifyOptions();
        double? rate = null, duration = null, warmup = null;
        int? ceiling = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "-h" or "--help": return (null, null, true);
                    case "--notifications": o = o with { Notifications = Loopback(Next(), "http", "https") }; break;
                    case "--amqp": o = o with { Amqp = Loopback(Next(), "amqp") }; break;
                    case "--mail-api": o = o with { MailApi = Loopback(Next(), "http") }; break;
                    case "--mail-dumps": o = o with { MailDumps = ExistingDirectory(Next()) }; break;
                    case "--smtp": o = o with { Smtp = Loopback(Next(), "smtp") }; break;
                    case "--ceiling": ceiling = (int)BenchOptions.NonNegative(Next(), arg); break;
                    case "--pid": o = o with { ProcessId = (int)BenchOptions.Positive(Next(), arg) }; break;
                    case "--rate": rate = BenchOptions.Positive(Next(), arg); break;
                    case "--duration": duration = BenchOptions.Positive(Next(), arg); break;
                    case "--warmup": warmup = BenchOptions.NonNegative(Next(), arg); break;
                    case "--recipients": o = o with { Recipients = (int)BenchOptions.Positive(Next(), arg) }; break;
                    case "--settle": o = o with { SettleSeconds = BenchOptions.Positive(Next(), arg) }; break;
                    case "--pg-port": o = o with { PgPort = (int)BenchOptions.Positive(Next(), arg) }; break;
                    case "--out": o = o with { OutDirectory = Next() }; break;
                    case "--quick": o = o with { Quick = true }; break;
                    default: return (null, $"unknown argument '{arg}'", false);
                }
            }
            catch (FormatException e)
            {
                return (null, e.Message, false);
            }
        }
        o = o with
        {
            Rate = rate ?? (o.Quick ? 20 : o.Rate),
            DurationSeconds = duration ?? (o.Quick ? 3 : o.DurationSeconds),
            WarmupSeconds = warmup ?? (o.Quick ? 1 : o.WarmupSeconds),
            CeilingMails = ceiling ?? (o.Quick ? 50 : o.CeilingMails),
        };
        return (o, null, false);
    }

    private static string ExistingDirectory(string value) =>
        Directory.Exists(value) ? value : throw new FormatException($"'{value}' is not a directory");

    private static Uri Loopback(string value, params string[] schemes)
    {
        var text = value.EndsWith('/') || !value.StartsWith("http", StringComparison.Ordinal) ? value : value + "/";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme))
            throw new FormatException($"'{value}' is not a {string.Join("/", schemes)} URL");
        if (!uri.IsLoopback)
            throw new FormatException($"'{value}' is not a loopback address: this benchmark only loads the local machine");
        return uri;
    }
}

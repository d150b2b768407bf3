using System.Globalization;

namespace Coordination.Benchmarks.Gateway;

public sealed record NamedGateway(string Name, Uri Url);

/// <summary>Options of <c>Coordination.Benchmarks gateway</c> (issue #22, item 2: what one proxied request costs the gateway).</summary>
public sealed record GatewayHopOptions
{
    public Uri Gateway { get; init; } = new("http://127.0.0.1:8080/");

    /// <summary>Other gateways measured in the same alternation (e.g. another build), by name: before/after under the same conditions.</summary>
    public IReadOnlyList<NamedGateway> OtherGateways { get; init; } = [];

    /// <summary>The service behind the route, reached straight (the same request without the gateway).</summary>
    public Uri Direct { get; init; } = new("http://127.0.0.1:5102/");

    /// <summary>A trivial authenticated GET: the gateway validates the token, limits the rate and proxies; the service answers from memory.</summary>
    public string Path { get; init; } = "api/directory/reference/partner-networks";

    public int Requests { get; init; } = 3000;

    public int Rounds { get; init; } = 3;

    public int[] ClientLevels { get; init; } = [1, 8];

    public string User { get; init; } = "bench.iscg";

    public string Password { get; init; } = "Demo-2026!";

    public string OutDirectory { get; init; } = System.IO.Path.Combine("docs", "benchmarks");

    /// <summary>Appended to the results' file names (e.g. <c>before</c>), so that two runs of a day sit side by side.</summary>
    public string? Label { get; init; }

    public const double TargetCpuMicrosecondsPerRequest = 150;
    public const double TargetThroughputCostPercent = 15;
    public const double TargetAddedP50Ms = 1;

    public const string Help = """
        Coordination.Benchmarks gateway: what one proxied request costs the gateway, against the same request sent straight
        to the service. For each level of concurrency and each round, the same number of authenticated GETs go through the
        gateway, then straight to the service; the CPU time of the gateway's and the service's processes is read from
        /proc/<pid>/stat before and after each window. Loopback only; the platform must be running (./coordination up -d).

          --gateway URL         the gateway (default http://127.0.0.1:8080)
          --direct URL          the service behind the route, straight (default http://127.0.0.1:5102, Directory)
          --also NAME=URL       another gateway measured in the same rounds (repeatable), e.g. the build before a change
          --path PATH           the GET sent both ways (default api/directory/reference/partner-networks)
          --requests N          requests per window (default 3000)
          --rounds N            windows per level and target, alternating (default 3; the median is reported)
          --clients 1,8         concurrency levels (default 1,8)
          --user NAME           account whose token is sent (default bench.iscg; --password, default the demo password)
          --label TEXT          results named gateway-<date>-TEXT.*
          --out DIR             where gateway-<date>.json and .md go (default docs/benchmarks)
          -h, --help            this text
        """;

    public static (GatewayHopOptions? Options, string? Error, bool Help) Parse(string[] args)
    {
        var o = new GatewayHopOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "-h" or "--help": return (null, null, true);
                    case "--gateway": o = o with { Gateway = BenchOptions.ParseUrl(Next()) }; break;
                    case "--direct": o = o with { Direct = BenchOptions.ParseUrl(Next()) }; break;
                    case "--also":
                        var (name, url) = Next().Split('=', 2) is [var n, var u] && n.Length > 0 && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                            ? (n, u) : throw new FormatException("--also takes NAME=URL (NAME: letters, digits, '-')");
                        o = o with { OtherGateways = [.. o.OtherGateways, new NamedGateway(name, BenchOptions.ParseUrl(url))] };
                        break;
                    case "--path": o = o with { Path = Next().TrimStart('/') }; break;
                    case "--requests": o = o with { Requests = (int)BenchOptions.Positive(Next(), arg) }; break;
                    case "--rounds": o = o with { Rounds = (int)BenchOptions.Positive(Next(), arg) }; break;
                    case "--clients":
                        o = o with { ClientLevels = [.. Next().Split(',').Select(c => (int)BenchOptions.Positive(c, arg))] };
                        break;
                    case "--user": o = o with { User = Next() }; break;
                    case "--password": o = o with { Password = Next() }; break;
                    case "--label":
                        var label = Next();
                        if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) throw new FormatException("--label takes letters, digits and '-'");
                        o = o with { Label = label };
                        break;
                    case "--out": o = o with { OutDirectory = Next() }; break;
                    default: return (null, $"unknown argument '{arg}'", false);
                }
            }
            catch (FormatException e)
            {
                return (null, e.Message, false);
            }
        }
        return (o, null, false);
    }

    public string FileStem(DateTimeOffset startedAt) =>
        System.IO.Path.Combine(OutDirectory, $"gateway-{startedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(Label is null ? "" : "-" + Label)}");
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// What the trace viewer of <c>./coordination up</c> shows, checked on the export itself: the gateway, Directory,
/// Referrals and the Dashboard run as processes (Production, as <c>up</c> runs them) exporting OTLP to
/// <see cref="OtlpCollector"/>. One hand-off sent through the gateway is <b>one trace</b>: gateway → Referrals' request →
/// the outbox's publish → RabbitMQ → the Dashboard's consumer, each span the child of the one before (parent links
/// across the broker). And the canary: the person's name and phone appear in no span or log any of them exported.
/// </summary>
public sealed class TracesTests(ITestOutputHelper output)
{
    private const string CanaryName = "Philémone-Canari-Traces";
    private const string CanaryPhone = "06 24 68 13 57";
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_hand_off_is_one_trace_from_the_gateway_through_the_broker_to_the_dashboard_and_no_personal_data_is_exported()
    {
        var directoryDb = await TestInfrastructure.CreateDatabaseAsync("traces_directory");
        var referralsDb = await TestInfrastructure.CreateDatabaseAsync("traces_referrals");
        var dashboardDb = await TestInfrastructure.CreateDatabaseAsync("traces_dashboard");
        var amqp = await TestInfrastructure.CreateVirtualHostAsync("traces");
        await using var collector = await OtlpCollector.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        Dictionary<string, string> Settings(string? db)
        {
            var settings = collector.ExporterSettings();
            settings["ConnectionStrings:RabbitMq"] = amqp.ToString();
            settings["Identity:Authority"] = issuer.Address.ToString();
            settings["Identity:RequireHttpsMetadata"] = "false";
            if (db is not null) settings["ConnectionStrings:EventStore"] = db;
            return settings;
        }
        await using var directory = new ServiceProcess("services/Directory", Settings(directoryDb), "directory");
        await using var referrals = new ServiceProcess("services/Referrals", Settings(referralsDb), "referrals");
        await using var dashboard = new ServiceProcess("services/Dashboard", Settings(dashboardDb), "dashboard");
        var gatewaySettings = Settings(null);
        gatewaySettings["ReverseProxy:Clusters:referrals:Destinations:referrals-1:Address"] = referrals.Address.ToString();
        await using var gateway = new ServiceProcess("gateway/Coordination.Gateway", gatewaySettings, "gateway");
        try
        {
            ServiceProcess[] all = [directory.Launch(), referrals.Launch(), dashboard.Launch(), gateway.Launch()];
            await Task.WhenAll(all.Select(p => p.WaitUntilReadyAsync(Start)));

            // Given two organisations known to Referrals (registered in the Directory, carried by RabbitMQ)
            using var coordinator = Client(directory, TestTokens.For(Roles.NationalCoordinator));
            var post = await Register(coordinator, new
            {
                name = "Poste ISCG – Traces", kind = "iscgPost",
                iscgPost = new { setting = "police", employer = "departement", employerName = "Conseil départemental" },
                departements = new[] { "93" }, needs = new[] { "coordination--aide-aux-victimes" },
            });
            var association = await Register(coordinator, new
            {
                name = "Association – Traces", kind = "victimSupportAssociation", departements = new[] { "93" },
                needs = new[]
                {
                    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "coordination--aide-aux-victimes",
                },
            });

            // When a hand-off (with the canary person) is sent through the gateway, under a trace the test starts
            using var worker = Client(gateway, TestTokens.For(Roles.IscgWorker, post, "iscg-traces"));
            var (traceId, clientSpan) = await Send(worker, association, gateway);

            // Then the Dashboard's consumer span is in that trace, and walking up its parents reaches the gateway
            List<OtlpCollector.Span> chain = [];
            await Eventually(() =>
            {
                chain = Ancestry(collector.Spans().Where(s => s.TraceId == traceId).ToList());
                return chain.Count > 0 && chain[^1].ParentSpanId == clientSpan;
            }, TimeSpan.FromSeconds(60), () => $"no complete chain yet in trace {traceId}: {Describe(chain)}");
            output.WriteLine($"trace {traceId}: {Describe(chain)}");

            var root = chain[^1];
            Assert.Equal(("Coordination.Gateway", OtlpCollector.Server), (root.Service, root.Kind));
            Assert.Equal(("Coordination.Dashboard", OtlpCollector.Consumer), (chain[0].Service, chain[0].Kind));
            var services = chain.Select(s => s.Service).Distinct().ToList();
            Assert.Equal(["Coordination.Dashboard", "Coordination.Referrals", "Coordination.Gateway"], services);
            Assert.Contains(chain, s => s.Service == "Coordination.Referrals" && s.Kind == OtlpCollector.Server);
            Assert.Contains(chain, s => s.Service == "Coordination.Referrals" && s.Kind == OtlpCollector.Producer
                                        && s.Name.StartsWith("publish ReferralSent", StringComparison.Ordinal));
            // Where the chain leaves the Dashboard, a Dashboard consumer span is the child of a Referrals producer span:
            // the parent/child link crosses the broker.
            var crossing = chain.FindIndex(s => s.Service != "Coordination.Dashboard");
            Assert.True(crossing > 0, Describe(chain));
            Assert.Equal(("Coordination.Dashboard", OtlpCollector.Consumer), (chain[crossing - 1].Service, chain[crossing - 1].Kind));
            Assert.Equal(("Coordination.Referrals", OtlpCollector.Producer), (chain[crossing].Service, chain[crossing].Kind));

            // And no personal data in any span or log of any of the four services.
            await Task.Delay(TimeSpan.FromSeconds(2)); // the last batches (500 ms schedule)
            string[] exporters = ["Coordination.Gateway", "Coordination.Directory", "Coordination.Referrals", "Coordination.Dashboard"];
            Assert.All(exporters, e => Assert.Contains(e, collector.Exporters("traces")));
            Assert.All(exporters, e => Assert.Contains(e, collector.Exporters("logs")));
            string[] canaries = [CanaryName, CanaryPhone, "Philémone", "06 24 68", Uri.EscapeDataString(CanaryName)];
            var payloads = collector.Payloads.Where(p => p.Signal is "traces" or "logs").ToList();
            foreach (var canary in canaries)
            {
                var bytes = Encoding.UTF8.GetBytes(canary);
                Assert.DoesNotContain(payloads, p => p.Body.AsSpan().IndexOf(bytes) >= 0);
            }
            output.WriteLine($"{payloads.Count} span and log payloads ({payloads.Sum(p => p.Body.Length)} bytes) searched for " +
                             $"{canaries.Length} canaries: none found");
        }
        finally
        {
            foreach (var db in new[] { directoryDb, referralsDb, dashboardDb })
                await TestInfrastructure.DropDatabaseAsync(db);
        }
    }

    /// <summary>From the Dashboard's consumer span of the trace up through the parents present in the export.</summary>
    private static List<OtlpCollector.Span> Ancestry(List<OtlpCollector.Span> trace)
    {
        var bySpan = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var consumer = trace.FirstOrDefault(s => s.Service == "Coordination.Dashboard" && s.Kind == OtlpCollector.Consumer);
        List<OtlpCollector.Span> chain = [];
        for (var span = consumer; span is not null && chain.Count < 50; span = bySpan.GetValueOrDefault(span.ParentSpanId))
            chain.Add(span);
        return chain;
    }

    private static string Describe(List<OtlpCollector.Span> chain) =>
        chain.Count == 0 ? "(no Dashboard consumer span)" : string.Join(" ← ", chain.Select(s => $"{s.Service}:{s.Kind}:{s.Name}"));

    private static HttpClient Client(ServiceProcess process, string token) =>
        new HttpClient { BaseAddress = process.Address, Timeout = TimeSpan.FromSeconds(30) }.As(token);

    private static async Task<Guid> Register(HttpClient coordinator, object organisation)
    {
        var response = await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", organisation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonElement()).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Sends one hand-off with a fresh <c>traceparent</c> per attempt (until Referrals has heard of the receiver it answers
    /// 400); returns the trace id and the test's own span id of the attempt that was accepted.
    /// </summary>
    private static async Task<(string TraceId, string ClientSpan)> Send(HttpClient worker, Guid receiver, ServiceProcess gateway)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (traceId, spanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals")
            {
                Content = JsonContent.Create(new
                {
                    receiverOrganisationId = receiver,
                    departement = "93",
                    person = new
                    {
                        firstName = CanaryName, contact = new { kind = "phone", value = CanaryPhone },
                        ageBand = "from26To40", minorsInvolved = false,
                    },
                    situation = "intrafamilyViolence",
                    needs = new[] { "logement-hebergement--rechercher-une-solution-dhebergement-temporaire" },
                    urgency = "immediate",
                    consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
                }),
            };
            await request.Content.LoadIntoBufferAsync(); // a Content-Length, as browsers send
            request.Headers.Add("traceparent", $"00-{traceId}-{spanId}-01");
            using var response = await worker.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Created)
                return (traceId.ToHexString().ToUpperInvariant(), spanId.ToHexString().ToUpperInvariant());
            if (response.StatusCode != HttpStatusCode.BadRequest || DateTime.UtcNow > deadline)
                Assert.Fail($"hand-off refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n" +
                            $"gateway log:\n{gateway.Tail(60)}");
            await Task.Delay(500);
        }
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not in {timeout.TotalSeconds:0} s: {what()}");
            await Task.Delay(500);
        }
    }
}

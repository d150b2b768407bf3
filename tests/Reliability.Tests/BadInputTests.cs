using Coordination.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Reliability.Tests;

[Collection(FaultCollection.Name)]
public sealed class BadInputTests(FaultPlatform platform, ITestOutputHelper output)
{
    private const int Seed = 20261127;

    [Fact]
    public async Task Every_endpoint_of_every_service_answers_bad_input_with_a_problem_detail_and_writes_nothing()
    {
        await platform.HealAsync();
        var perOperation = Soak.Enabled ? 60 : 8;
        await using var directory = platform.Service("services/Directory", "directory");
        await using var training = platform.Service("services/Training", "training");
        await using var projects = platform.Service("services/Projects", "projects");
        await Task.WhenAll(directory.StartAsync(), training.StartAsync(), projects.StartAsync());
        (ServiceProcess Service, string Schema)[] services =
        [
            (platform.Referrals, "referrals"), (platform.Dashboard, "dashboard"), (directory, "directory"), (training, "training"), (projects, "projects"),
        ];
        string[] tokens =
        [
            platform.Oidc.Token(Roles.Admin, userId: "fuzz-admin"),
            platform.Oidc.Token(Roles.NationalCoordinator, userId: "fuzz-coordinator"),
            platform.Oidc.Token(Roles.IscgWorker, FaultPlatform.IscgPost, "fuzz-worker"),
            platform.Oidc.Token(Roles.AssociationStaff, FaultPlatform.Association, "fuzz-staff"),
        ];
        var eventsBefore = await EventCounts(services);
        List<Guid> knownIds;
        lock (platform.Accepted) knownIds = [FaultPlatform.IscgPost, FaultPlatform.Association, .. platform.Accepted.Take(20)];
        if (knownIds.Count == 2)
        {
            // Run alone: a few real hand-offs to aim at.
            using var worker = platform.Worker();
            for (var i = 0; i < 5; i++)
            {
                var response = await worker.PostAsJsonAsync("/api/referrals", HandoffLoad.Request(FaultPlatform.Association));
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                knownIds.Add(id);
                lock (platform.Accepted) platform.Accepted.Add(id);
            }
            await platform.AssertDashboardCountsEachAcceptedOnce(knownIds[2..], TimeSpan.FromSeconds(30));
            eventsBefore = await EventCounts(services);
        }

        var random = new Random(Seed);
        var outcomes = new List<(string Service, ApiFuzzer.Outcome Outcome, string? Violation)>();
        var operationCount = 0;
        var fuzzers = new List<(ServiceProcess Service, ApiFuzzer Fuzzer)>();
        foreach (var (service, _) in services)
        {
            using var anonymous = platform.Client(service, timeout: TimeSpan.FromSeconds(15));
            var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
            fuzzers.Add((service, new ApiFuzzer(document, random, knownIds)));
        }
        long[]? eventsAfterWrites = null;
        // Writes first, over every service; then reads (a read of a real referral is audited: an event, by design).
        foreach (var reads in new[] { false, true })
        {
            if (reads) eventsAfterWrites = await EventCounts(services);
            foreach (var (service, fuzzer) in fuzzers)
            {
                var clients = tokens.Select(t => platform.Client(service, t, TimeSpan.FromSeconds(15))).ToArray();
                foreach (var operation in fuzzer.Operations().Where(HasInput).Where(o => (o.Method == "GET") == reads))
                {
                    operationCount++;
                    foreach (var @case in fuzzer.Cases(operation, perOperation))
                    {
                        var outcome = await ApiFuzzer.Send(clients[random.Next(clients.Length)], @case);
                        outcomes.Add((service.Name, outcome, ApiFuzzer.Violation(outcome, mutating: !reads)));
                    }
                }
                foreach (var client in clients) client.Dispose();
            }
        }
        var eventsAfter = await EventCounts(services);

        var statuses = string.Join(", ", outcomes.GroupBy(o => o.Outcome.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
        output.WriteLine($"seed {Seed}: {outcomes.Count} requests over {operationCount} operations of {services.Length} services; statuses {statuses}; " +
                         $"events before {string.Join("/", eventsBefore)}, after the writes {string.Join("/", eventsAfterWrites!)}, after the reads (audited) {string.Join("/", eventsAfter)}");
        var violations = outcomes.Where(o => o.Violation is not null).ToList();
        foreach (var (service, outcome, violation) in violations.Take(40))
            output.WriteLine($"{violation}: {service} {outcome.Case.Method} {Shorten(outcome.Case.Url)} [{outcome.Case.Description}] If-Match {outcome.Case.IfMatch} " +
                             $"→ {outcome.Status} {outcome.ContentType} {outcome.Body}");
        Assert.Empty(violations.Select(v => $"{v.Violation}: {v.Service} {v.Outcome.Case.Method} {Shorten(v.Outcome.Case.Url)} → {v.Outcome.Status}"));
        Assert.Equal(eventsBefore, eventsAfterWrites!);
    }

    /// <summary>Operations with nothing to fuzz (no parameter, no body: e.g. the admins' rebuild) are left out.</summary>
    private static bool HasInput(ApiFuzzer.Operation operation) =>
        operation.Definition.TryGetProperty("parameters", out var p) && p.GetArrayLength() > 0
        || operation.Definition.TryGetProperty("requestBody", out _);

    private static string Shorten(string url) => url.Length > 120 ? url[..120] + "…" : url;

    private async Task<long[]> EventCounts((ServiceProcess Service, string Schema)[] services) =>
        await Task.WhenAll(services.Select(s => platform.Scalar<long>(s.Schema, $"SELECT count(*) FROM {s.Schema}.mt_events")));
}

public static class Soak
{
    /// <summary>COORDINATION_SOAK=1: longer fault windows and a bigger fuzz budget.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable("COORDINATION_SOAK") == "1";

    /// <summary>How long a fault lasts: as given, or 10 times longer in a soak (capped at two minutes).</summary>
    public static TimeSpan Window(TimeSpan normal) => Enabled ? TimeSpan.FromTicks(Math.Min(normal.Ticks * 10, TimeSpan.FromMinutes(2).Ticks)) : normal;
}

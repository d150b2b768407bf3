using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Marten.Events;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;

namespace Coordination.Referrals.Api.Tests;

public sealed class CanaryFactory : ReferralsFactory
{
    public LogRecorder Recorder { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Everything, down to Debug: a leak at any level is a leak once someone turns logging up.
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Marten", "MassTransit", "Npgsql" })
            builder.UseSetting($"Logging:LogLevel:{category}", "Debug");
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Recorder));
    }
}

/// <summary>
/// Canary values (a first name, a phone number, words of a note and of a message) go through every kind of
/// request, including refused ones; none may appear in any log line, span attribute, span event or metric tag.
/// </summary>
public class NoPersonalDataInTelemetryTests(CanaryFactory factory) : IClassFixture<CanaryFactory>
{
    private const string CanaryName = "Zéphyrine-Canari";
    private const string CanaryPhone = "06 13 57 92 46";
    private const string CanaryNote = "canari-note-vert-pomme";
    private const string CanaryMessage = "canari-message-bleu-nuit";

    [Fact]
    public async Task Canary_values_appear_in_no_log_trace_or_metric()
    {
        using var spans = new SpanRecorder();
        var telemetry = spans.Lines;
        using var meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        meters.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(telemetry, i, tags));
        meters.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(telemetry, i, tags));
        meters.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(telemetry, i, tags));
        meters.Start();

        await GoThroughEveryKindOfRequest();

        var everything = factory.Recorder.Lines.Concat(telemetry).ToList();
        Assert.True(everything.Count > 100, $"the recorders saw almost nothing ({everything.Count} lines): the test would prove nothing");
        var leaks = SpanRecorder.Leaks(everything, CanaryName, CanaryPhone, CanaryNote, CanaryMessage, "06 13 57", "Zéphyrine");
        Assert.True(leaks.Count == 0, $"personal data leaked into telemetry:\n{string.Join("\n", leaks)}");
    }

    private async Task GoThroughEveryKindOfRequest()
    {
        var people = new Handoffs(factory);
        var created = await (await people.Worker().SendJson(HttpMethod.Post, Route, new
        {
            receiverOrganisationId = ReferralsFactory.Association, departement = "93",
            person = new { firstName = CanaryName, contact = new { kind = "phone", value = CanaryPhone }, ageBand = "from26To40", minorsInvolved = false },
            situation = "intrafamilyViolence", needs = new[] { "coordination--aide-aux-victimes" }, urgency = "immediate",
            note = $"Note {CanaryNote}", consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);
        var id = (await created.ReadJson<Coordination.Referrals.Drafting.ReferralCreated>()).Id;
        var etag = await Act(people.Staff(), id, "messages", created.Headers.ETag!.Tag, new { text = $"Message {CanaryMessage}" });
        await people.Staff().GetAsync($"{Route}/{id}");
        await people.Worker().GetAsync($"{Route}/{id}/history");
        await people.Staff().GetAsync($"{Route}/inbox");
        await Act(people.Staff(), id, "decline", etag,
            new { reasons = new[] { "other" }, message = $"Refus {CanaryNote}", declinedBy = "person" });

        // Refused requests carry the canaries too: malformed values, wrong types, a stale version, a stranger.
        await people.Worker().SendJson(HttpMethod.Post, Route, new
        {
            receiverOrganisationId = ReferralsFactory.Association, departement = CanaryName,
            person = new { firstName = CanaryName, contact = new { kind = "email", value = CanaryPhone }, ageBand = "from26To40", minorsInvolved = false },
            situation = "intrafamilyViolence", needs = new[] { CanaryNote }, urgency = "immediate",
        });
        await people.Worker().PostAsync(Route, new StringContent("{\"person\": {\"firstName\": " + CanaryName + "}}", System.Text.Encoding.UTF8, "application/json"));
        await people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/messages", new { text = CanaryMessage }, "\"1\"");
        await people.Outsider().SendJson(HttpMethod.Post, $"{Route}/{id}/messages", new { text = CanaryMessage }, etag);

        // Privacy paths: an erasure refused because its justification names the person, an archive read whose reason
        // names them (refused: not archived), then the erasure itself and a retention pass.
        var manager = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-direction", manager: true, archiveAccess: true));
        var current = (await people.Worker().GetAsync($"{Route}/{id}")).Headers.ETag!.Tag;
        await manager.SendJson(HttpMethod.Post, $"{Route}/{id}/erasure", new { ground = "personRequest", justification = $"Demande de {CanaryName} reçue ce jour" }, current);
        await manager.SendJson(HttpMethod.Post, $"{Route}/{id}/archive-access", new { reason = $"Consultation du dossier de {CanaryName}" });
        await (await manager.SendJson(HttpMethod.Post, $"{Route}/{id}/erasure", new { ground = "personRequest", justification = "Demande écrite reçue ce jour par courrier" }, current))
            .HasStatus(HttpStatusCode.NoContent);
        await factory.Services.GetRequiredService<Coordination.Referrals.Archiving.RetentionWatcher>().RunOnceAsync(CancellationToken.None);

        // Let the outbox publish what was appended: publishing spans count too.
        await factory.Services.GetRequiredService<Marten.IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(20));
    }

    private static void Record(ConcurrentQueue<string> sink, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var (key, value) in tags)
            sink.Enqueue($"metric {instrument.Meter.Name}/{instrument.Name} {key}={value}");
    }
}

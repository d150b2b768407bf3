using System.Net;
using Coordination.Contracts.Referrals;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>A Notifications host logging every category down to Debug into one recorder: a leak at any level is a leak.</summary>
public sealed class DebugLoggingNotificationsFactory(TestMailServer mail) : NotificationsFactory(mail)
{
    public LogRecorder Recorder { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Marten", "MassTransit", "Npgsql", "Coordination" })
            Settings[$"Logging:LogLevel:{category}"] = "Debug";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Recorder));
    }
}

/// <summary>
/// Issue 23's canary for Notifications, the one service that must hold people's names and addresses (it sends the
/// e-mails): an account with a known name and address (as Identity publishes it) is notified by e-mail through smtp4dev,
/// reads its notification centre, and a colleague's address is refused by the mail server. Neither name nor address may
/// appear in any log line (any level, any category: MailKit, MassTransit, Marten, ours) nor in any span's name, status,
/// tags, events or baggage.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class TelemetryCanaryTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task Names_and_addresses_appear_in_no_log_line_and_no_span()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var name = $"Zéphyrine Canarelli-{unique}";
        var address = $"zephyrine.canarelli.{unique}@exemple.test";
        var refusedName = $"Aurélien Pinsonneau-{unique}";
        var refusedAddress = $"aurelien.pinsonneau.{unique}@{TestMailServer.RefusedDomain}";
        using var spans = new SpanRecorder();
        await using var host = new DebugLoggingNotificationsFactory(fixture.Mail);
        await host.InitializeAsync();

        var sender = await host.Organisation("Poste ISCG – Commissariat de Pantin");
        var receiver = await host.Organisation("France Victimes 93 – Pantin");
        var person = await host.Account(receiver, manager: true, email: address, displayName: name);
        var refused = await host.Account(receiver, email: refusedAddress, displayName: refusedName);
        var at = DateTimeOffset.UtcNow;
        var referral = Guid.NewGuid();
        await host.Publish(new ReferralSent(referral, sender, receiver, "93", "standard", "intrafamily-violence", ["sante--sante-mentale"],
            false, false, at.AddDays(2), at.AddDays(30), null, 3, at));

        var delivered = Assert.Single(await host.MailTo(address));
        Assert.Contains(address, delivered.To);
        await HttpClientExtensions.Eventually(() => host.DeliveriesOf(refused.UserId),
            d => d.Count == 1 && d[0].Status == Notifying.DeliveryStatus.Failed, what: "the refused address recorded as failed");
        await (await host.As(person).GetAsync("/api/notifications")).HasStatus(HttpStatusCode.OK);
        await (await host.As(person).GetAsync("/api/notifications/failed-deliveries")).HasStatus(HttpStatusCode.OK);
        await (await host.As(person).GetAsync("/api/notifications/preferences")).HasStatus(HttpStatusCode.OK);

        var logLines = host.Recorder.Lines.ToList();
        var spanLines = spans.Lines.ToList();
        Assert.True(spanLines.Count > 100 && logLines.Count > 100,
            $"the recorders saw almost nothing ({spanLines.Count} span lines, {logLines.Count} log lines): the test would prove nothing");
        // The places a leak would be: the SMTP conversation's spans, the refusal's log line, Debug lines (Marten, MassTransit).
        Assert.Contains(spanLines, l => l.StartsWith("span MailKit.Net.SmtpClient Send", StringComparison.Ordinal));
        Assert.Contains(logLines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("550", StringComparison.Ordinal));
        Assert.Contains(logLines, l => l.StartsWith("Debug Marten", StringComparison.Ordinal));
        Assert.Contains(logLines, l => l.StartsWith("Debug MassTransit", StringComparison.Ordinal));
        var leaks = SpanRecorder.Leaks([.. logLines, .. spanLines], name, address, refusedName, refusedAddress, "Zéphyrine", "Canarelli",
            "Pinsonneau", $"zephyrine.canarelli.{unique}", $"aurelien.pinsonneau.{unique}");
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }
}

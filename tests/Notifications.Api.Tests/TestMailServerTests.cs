using System.Collections.Concurrent;
using Coordination.ServiceDefaults.Mail;
using Coordination.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The outage the reliability tests stage must be one a sender can survive: a relay that answered 250 has taken the
/// e-mail, whatever happens to it next (RFC 5321 §4.1.1.4). Otherwise an e-mail lost by the test's own mail server reads
/// as one lost by the delivery worker.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class TestMailServerTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task Every_e_mail_the_mail_server_accepted_over_four_connections_is_still_there_after_it_is_stopped_mid_burst()
    {
        var mail = fixture.Mail;
        var sender = new SmtpMailSender(SmtpRelay.Parse(mail.SmtpConnectionString), Options.Create(new MailOptions()));
        var run = Guid.NewGuid().ToString("N")[..12];
        var accepted = new ConcurrentQueue<string>();
        using var outage = new CancellationTokenSource();
        var lanes = Enumerable.Range(0, 4).Select(lane => Task.Run(async () =>
        {
            await using var connection = sender.OpenConnection();
            for (var i = 0; !outage.IsCancellationRequested; i++)
            {
                var to = $"panne-{run}-{lane}-{i}@exemple.test";
                try
                {
                    await connection.SendAsync(new OutgoingMail(to, "", "[Coordination] Essai de panne", "Texte d'essai."), CancellationToken.None);
                    accepted.Enqueue(to);
                }
                catch (MailDeliveryException)
                {
                    return; // the outage reached this connection
                }
            }
        })).ToList();

        await HttpClientExtensions.Eventually(() => Task.FromResult(accepted.Count), n => n >= 40, TimeSpan.FromSeconds(60), "e-mails flowing");
        try
        {
            await mail.StopAsync();
            await outage.CancelAsync();
            await Task.WhenAll(lanes);
        }
        finally
        {
            await mail.StartAsync();
        }

        var received = (await mail.RecipientsAsync()).Where(to => to.Contains(run, StringComparison.Ordinal)).ToHashSet();
        var lost = accepted.Count(to => !received.Contains(to));
        Assert.True(lost == 0, $"{lost} of the {accepted.Count} e-mails the mail server accepted are missing from it after the outage");
        Assert.Equal(accepted.Count, received.Count);
    }
}

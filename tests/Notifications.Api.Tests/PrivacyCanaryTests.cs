using Coordination.Contracts.Referrals;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// No personal data in any e-mail: after a burst of every kind of alert, every message the mail server holds (including
/// those of the other tests of the collection) is searched for what must never be there.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class PrivacyCanaryTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;

    [Fact]
    public async Task No_e_mail_carries_a_name_an_address_in_its_text_a_situation_or_needs()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Drancy");
        var receiver = await Host.Organisation("France Victimes 93 – Drancy");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var staff = await Host.Account(receiver, manager: true);
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        await Host.Publish(new ReferralSent(id, sender, receiver, "93", "immediate", "sexual-violence", ["sante--sante-mentale"], true, false,
            at.AddHours(2), at.AddDays(30), null, 3, at));
        await Host.Publish(new ReferralOverdue(id, sender, receiver, "93", "immediate", at.AddHours(2), 4, at));
        await Host.Publish(new ReferralDeclined(id, sender, receiver, "93", "immediate", ["other"], "person", 5, at));
        await Host.Publish(new ReferralMessagePosted(id, sender, receiver, "93", "immediate", Guid.NewGuid(), receiver, 6, at));
        await Host.MailTo(worker.Email, 3);
        await Host.MailTo(staff.Email, 2);

        var everything = await Host.Mail.MessagesAsync();
        Assert.NotEmpty(everything);
        // The only personal data this service holds are the addressees' names and addresses (names start "Canari").
        string[] canaries = ["Canari", "sexual-violence", "violence", "sante--", "intrafamily", "minors", "mineur"];
        var hits = everything.SelectMany(m => canaries.Where(c =>
            m.Text.Contains(c, StringComparison.OrdinalIgnoreCase) || m.Subject.Contains(c, StringComparison.OrdinalIgnoreCase)
            || m.Source.Contains(c, StringComparison.OrdinalIgnoreCase)).Select(c => (m.Subject, c))).ToList();
        Assert.Empty(hits);
        // The address appears only as the recipient, never in the text.
        Assert.All(everything, m => Assert.All(m.To, to => Assert.DoesNotContain(to, m.Text, StringComparison.OrdinalIgnoreCase)));
    }
}

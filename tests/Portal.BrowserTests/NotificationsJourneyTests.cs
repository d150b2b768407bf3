using Coordination.Contracts.Identity;
using Coordination.Contracts.Referrals;
using MassTransit;

namespace Coordination.Portal.BrowserTests;

/// <summary>The bell, the notification centre, the preferences and the on-call rota, each page checked by axe-core.</summary>
[Collection(PortalCollection.Name)]
public class NotificationsJourneyTests(PortalPlatform platform)
{
    private HttpClient AsManager() => new HttpClient { BaseAddress = platform.Gateway.Address }.As(TestTokens.For(Roles.AssociationStaff,
        PortalPlatform.Association, PortalPlatform.Manager.UserId, manager: true, issuer: platform.Issuer));

    /// <summary>
    /// Notifications learns the accounts from Identity's contracts. Identity starts first and publishes its imported accounts
    /// before Notifications has bound its queue (in one process, on a fresh virtual host): until Notifications knows the
    /// association's staff, Identity's contracts are published again (the operators' replay; the inbox drops repeats).
    /// </summary>
    private async Task StaffKnown()
    {
        var replayedAt = DateTimeOffset.MinValue;
        await HttpClientExtensions.Eventually(async () =>
        {
            var response = await AsManager().GetAsync($"/api/notifications/rotas/{PortalPlatform.Association}");
            var staff = response.IsSuccessStatusCode ? (await response.ReadJsonElement()).GetProperty("staff").GetArrayLength() : 0;
            if (staff < 2 && DateTimeOffset.UtcNow - replayedAt > TimeSpan.FromSeconds(10))
            {
                replayedAt = DateTimeOffset.UtcNow;
                (await platform.Api(Roles.Admin).PostAsync("/api/identity/admin/integration-events/replay", null)).EnsureSuccessStatusCode();
            }
            return (response.StatusCode, Staff: staff);
        }, r => r.Staff >= 2, TimeSpan.FromSeconds(90), "the association's staff known to Notifications");
    }

    [Fact]
    public async Task A_manager_sets_the_on_call_rota_and_a_staff_member_chooses_the_daily_digest()
    {
        await StaffKnown();
        await using var manager = await Browsing.SignIn(platform, PortalPlatform.Manager.Username);
        await manager.Goto("/notifications/astreinte");
        var page = manager.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Astreinte de mon organisation" })).ToBeVisibleAsync();
        foreach (var day in new[] { "lundi", "mardi", "mercredi", "jeudi", "vendredi" })
            await page.GetByLabel(day, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Julien Test").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter ce créneau" }).ClickAsync();
        await Expect(page.GetByText("L'astreinte est enregistrée.")).ToBeVisibleAsync();
        await Expect(page.Locator("table")).ToContainTextAsync("lundi, mardi, mercredi, jeudi, vendredi");
        await Expect(page.Locator("table")).ToContainTextAsync("18:00 – 08:00");
        await Expect(page.Locator("table")).ToContainTextAsync("Julien Test");
        await manager.Check("40-astreinte");

        await using var staff = await Browsing.SignIn(platform, "aav.test");
        await staff.Goto("/notifications/preferences");
        await staff.Page.Locator("#referralAnswered-dailyDigest").CheckAsync();
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Expect(staff.Page.GetByText("Vos préférences sont enregistrées.")).ToBeVisibleAsync();
        await Expect(staff.Page.Locator("#referralAnswered-dailyDigest")).ToBeCheckedAsync();
        await Expect(staff.Page.GetByText("une alerte urgente ne peut pas être désactivée").First).ToBeVisibleAsync();
        await staff.Check("41-preferences-notification");
    }

    [Fact]
    public async Task A_new_hand_off_lights_the_bell_and_is_read_in_the_notification_centre()
    {
        await StaffKnown();
        var referralId = Guid.NewGuid();
        var deadline = DateTimeOffset.UtcNow.AddDays(3);
        // As Referrals publishes it when the ISCG post sends a standard hand-off to the association.
        await platform.Referrals.Services.GetRequiredService<IBus>().Publish(new ReferralSent(referralId, PortalPlatform.IscgPost,
            PortalPlatform.Association, "93", "standard", "intrafamily-violence", [], false, false, deadline, deadline.AddDays(30), null, 2,
            DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());

        await using var manager = await Browsing.SignIn(platform, PortalPlatform.Manager.Username);
        var reference = referralId.ToString("N")[..8].ToUpperInvariant();
        await HttpClientExtensions.Eventually(async () => await (await AsManager().GetAsync("/api/notifications")).ReadJsonElement(),
            c => c.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("lines").EnumerateArray().Any(l => l.GetString()!.Contains(reference))),
            TimeSpan.FromSeconds(60), "the hand-off in the manager's centre");
        await manager.Goto("/");
        await Expect(manager.Page.Locator("a.bell .badge")).ToBeVisibleAsync();
        await manager.Page.Locator("a.bell").ClickAsync();
        await manager.Page.WaitForURLAsync("**/notifications");
        var card = manager.Page.Locator("li.card").Filter(new() { HasText = reference });
        await Expect(card).ToContainTextAsync("Nouvelle orientation reçue");
        await Expect(card).ToContainTextAsync("De : Poste ISCG – Commissariat de test");
        await Expect(card).ToContainTextAsync("Non lue");
        await manager.Check("42-centre-notifications");

        await card.GetByRole(AriaRole.Button, new() { Name = "Marquer comme lue" }).ClickAsync();
        await Expect(manager.Page.GetByText("C'est noté comme lu.")).ToBeVisibleAsync();
        await Expect(manager.Page.Locator("li.card").Filter(new() { HasText = reference })).Not.ToContainTextAsync("Non lue");
    }

    [Fact]
    public async Task An_e_mail_that_can_never_be_sent_is_shown_to_the_organisations_manager()
    {
        await StaffKnown();
        // A staff account whose address Identity never published (as after an import without e-mail), then a hand-off.
        var bus = platform.Referrals.Services.GetRequiredService<IBus>();
        var userId = $"u-sans-adresse-{Guid.NewGuid():N}"[..24];
        await bus.Publish(new AccountActivated(Guid.NewGuid(), userId, Roles.AssociationStaff, PortalPlatform.Association, false, 1,
            DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        var deadline = DateTimeOffset.UtcNow.AddDays(3);
        await HttpClientExtensions.Eventually(async () =>
        {
            // Until Notifications knows the account, the hand-off would not name it: send one each round (each is a new event).
            await bus.Publish(new ReferralSent(Guid.NewGuid(), PortalPlatform.IscgPost, PortalPlatform.Association, "93", "standard",
                "intrafamily-violence", [], false, false, deadline, deadline.AddDays(30), null, 2, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
            await Task.Delay(TimeSpan.FromSeconds(2));
            return await (await AsManager().GetAsync("/api/notifications/failed-deliveries")).ReadJsonElement();
        }, failed => failed.EnumerateArray().Any(f => f.GetProperty("userId").GetString() == userId), TimeSpan.FromSeconds(90),
            "the impossible e-mail listed to the manager");

        await using var manager = await Browsing.SignIn(platform, PortalPlatform.Manager.Username);
        await manager.Goto("/notifications/astreinte");
        await Expect(manager.Page.GetByRole(AriaRole.Heading, new() { Name = "E-mails non remis" })).ToBeVisibleAsync();
        var table = manager.Page.Locator("table").Filter(new() { HasText = "E-mails refusés définitivement" });
        await Expect(table).ToContainTextAsync("Aucune adresse e-mail connue");
        await manager.Check("43-emails-non-remis");

        // A staff member who is not the manager does not see the section.
        await using var staff = await Browsing.SignIn(platform, "aav.test");
        await staff.Goto("/notifications/astreinte");
        await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Astreinte de mon organisation" })).ToBeVisibleAsync();
        await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "E-mails non remis" })).ToHaveCountAsync(0);
    }
}

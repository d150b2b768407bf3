namespace Coordination.Portal.BrowserTests;

/// <summary>
/// The person's path in the portal: "Orienter ailleurs" after a decline, the chain the collector follows, the aids the
/// referral page lists; and lists without a ceiling (pages, a total per status, search by reference, two orders).
/// </summary>
[Collection(PortalCollection.Name)]
public class ReferralPathJourneyTests(PortalPlatform platform)
{
    internal const string Route = "/api/referrals";

    internal static object Referral(Guid receiver, string firstName, string[] needs, bool anyReceiver = false) => new
    {
        receiverOrganisationId = receiver, departement = "93",
        person = new
        {
            firstName, contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = false,
        },
        situation = "intrafamilyViolence", needs, urgency = "standard", note = "Plainte déposée.",
        consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true }, anyReceiver },
    };

    internal static async Task<(Guid Id, string ETag)> Send(HttpClient sender, object body)
    {
        var answer = await (await sender.SendJson(HttpMethod.Post, Route, body)).HasStatus(HttpStatusCode.Created);
        return (await answer.CreatedId(), answer.Headers.ETag!.Tag);
    }

    internal static async Task<string> ETagOf(HttpClient client, Guid id) =>
        (await (await client.GetAsync($"{Route}/{id}")).HasStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;

    internal static async Task Decline(HttpClient receiver, Guid id, string message) =>
        await (await receiver.SendJson(HttpMethod.Post, $"{Route}/{id}/decline",
            new { reasons = new[] { "noCapacity" }, message, declinedBy = "organisation" }, await ETagOf(receiver, id)))
            .HasStatus(HttpStatusCode.NoContent);

    [Fact]
    public async Task After_a_decline_the_worker_sends_the_person_elsewhere_in_one_step_and_follows_the_whole_path()
    {
        const string victimSupport = "coordination--aide-aux-victimes";
        await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/directory/aids", new
        {
            name = "Aide juridique aux victimes (test parcours)", kind = "servicePayment",
            grantorName = "Conseil départemental de l'accès au droit",
            scope = "national", needs = new[] { victimSupport }, situations = new[] { "intrafamilyViolence" },
            eligibility = "Toute victime d'une infraction.", howToApply = "Prendre rendez-vous à la permanence.",
            sourceUrl = "https://www.service-public.fr/",
        })).HasStatus(HttpStatusCode.Created);
        var worker = platform.Api(Roles.IscgWorker, PortalPlatform.IscgPost, "u-iscg");
        var (declined, _) = await Send(worker, Referral(PortalPlatform.OtherAssociation, "Yasmine", [victimSupport]));
        var decliningStaff = platform.Api(Roles.AssociationStaff, PortalPlatform.OtherAssociation, "u-aav2");
        await Decline(decliningStaff, declined, "Plus de place ce mois-ci.");

        await using var browsing = await Browsing.SignIn(platform, "iscg.test");
        await browsing.Goto("/orientations?statut=declined");
        var row = browsing.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Yasmine" });
        await row.GetByRole(AriaRole.Link, new() { Name = "Orienter ailleurs" }).ClickAsync();

        // The referral page: the aids that match its needs, and the one-step form, which never offers the decliner.
        var page = browsing.Page;
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Aides mobilisables" }))
            .ToContainTextAsync("Aide juridique aux victimes (test parcours)");
        var form = page.Locator("form#orienter-ailleurs");
        await Expect(form).ToContainTextAsync("recueillez à nouveau son consentement");
        var receivers = form.Locator("select[name=receiverOrganisationId] option");
        await Expect(receivers.Filter(new() { HasText = "France Victimes 93 (test)" })).ToHaveCountAsync(1);
        await Expect(receivers.Filter(new() { HasText = "Association de test du 93" })).ToHaveCountAsync(0);
        await browsing.Check("parcours-01-orienter-ailleurs");

        // Without saying how the person consented again, the API refuses, next to the consent, and nothing is sent.
        var choice = page.Locator("form#orienter-ailleurs select[name=receiverOrganisationId]");
        await choice.SelectOptionAsync(new SelectOptionValue { Label = "France Victimes 93 (test)" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Orienter vers cette organisation" }).ClickAsync();
        await Expect(page.Locator("form#orienter-ailleurs [role=alert]")).ToContainTextAsync("oral ou écrit");
        await Expect(page.Locator("form#orienter-ailleurs fieldset .field-error")).ToContainTextAsync("oral ou écrit");
        await Expect(choice).ToHaveValueAsync(PortalPlatform.Association.ToString()); // what was chosen is still chosen
        await page.Locator("#resend-oral").CheckAsync();
        await page.Locator("#resend-identity").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Orienter vers cette organisation" }).ClickAsync();
        await Expect(page.GetByText("Nouvelle orientation envoyée : elle reste liée à la précédente.")).ToBeVisibleAsync();
        var resent = Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1]);
        Assert.NotEqual(declined, resent);

        // The new hop, accepted by its receiver: the collector sees each hop, its receiver, status and answer.
        var receiver = platform.Api(Roles.AssociationStaff, PortalPlatform.Association, "u-aav");
        await (await receiver.SendJson(HttpMethod.Post, $"{Route}/{resent}/acceptance", new { }, await ETagOf(receiver, resent)))
            .HasStatus(HttpStatusCode.NoContent);
        await browsing.Goto($"/orientations/{resent}");
        var hops = page.Locator("section[aria-labelledby=parcours-titre] tbody tr");
        await Expect(hops).ToHaveCountAsync(2);
        await Expect(hops.Nth(0)).ToContainTextAsync("Association de test du 93");
        await Expect(hops.Nth(0)).ToContainTextAsync("Refusée");
        await Expect(hops.Nth(0)).ToContainTextAsync("Plus de place ce mois-ci.");
        await Expect(hops.Nth(1)).ToContainTextAsync("2 (orientée ailleurs)");
        await Expect(hops.Nth(1)).ToContainTextAsync("France Victimes 93 (test)");
        await Expect(hops.Nth(1)).ToContainTextAsync("Acceptée le");
        await Expect(hops.Nth(1)).ToHaveAttributeAsync("aria-current", "step");
        await Expect(page.Locator("h1")).ToContainTextAsync("Yasmine");
        await browsing.Check("parcours-02-parcours-de-la-personne");

        // The first hop links to the new one, and no longer offers to send the person elsewhere.
        await hops.Nth(0).GetByRole(AriaRole.Link, new() { Name = "Association de test du 93" }).ClickAsync();
        await Expect(page.Locator("dl.facts").First).ToContainTextAsync("Orientée ailleurs");
        await Expect(page.Locator("form#orienter-ailleurs")).ToHaveCountAsync(0);

        // The organisation that declined sees neither the person nor the rest of her path.
        await using var decliner = await Browsing.SignIn(platform, "aav2.test");
        await decliner.Goto($"/orientations/{declined}");
        await Expect(decliner.Page.Locator("main")).Not.ToContainTextAsync("Yasmine");
        await Expect(decliner.Page.Locator("main")).Not.ToContainTextAsync("France Victimes 93 (test)");
    }
}

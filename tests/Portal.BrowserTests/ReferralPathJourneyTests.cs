using System.Net;
using Coordination.DirectoryView;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// The person's path in the portal: "Orienter ailleurs" after a decline, the chain the collector follows, the aids the
/// referral page lists; and lists without a ceiling (pages, a total per status, search by reference, two orders).
/// </summary>
[Collection(PortalCollection.Name)]
public class ReferralPathJourneyTests(PortalPlatform platform)
{
    private const string Route = "/api/referrals";

    private static object Referral(Guid receiver, string firstName, string[] needs, bool anyReceiver = false) => new
    {
        receiverOrganisationId = receiver, departement = "93",
        person = new
        {
            firstName, contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = false,
        },
        situation = "intrafamilyViolence", needs, urgency = "standard", note = "Plainte déposée.",
        consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true }, anyReceiver },
    };

    private static async Task<(Guid Id, string ETag)> Send(HttpClient sender, object body)
    {
        var answer = await (await sender.SendJson(HttpMethod.Post, Route, body)).HasStatus(HttpStatusCode.Created);
        return ((await answer.ReadJsonElement()).GetProperty("id").GetGuid(), answer.Headers.ETag!.Tag);
    }

    private static async Task<string> ETagOf(HttpClient client, Guid id) =>
        (await (await client.GetAsync($"{Route}/{id}")).HasStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;

    private static async Task Decline(HttpClient receiver, Guid id, string message) =>
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

    [Fact]
    public async Task A_list_longer_than_a_page_goes_on_page_after_page_counts_each_status_finds_a_reference_and_sorts_by_last_change()
    {
        const string food = "equipement-et-alimentation--alimentation";
        var receiverId = await platform.RegisterOrganisation(new
        {
            name = "Épicerie solidaire (test des pages)", kind = "victimSupportAssociation",
            departements = new[] { "93" }, needs = new[] { food },
        });
        var store = platform.Referrals.Services.GetRequiredService<IDocumentStore>();
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<KnownOrganisation>(receiverId);
        }, known => known is { CanReceiveReferrals: true }, TimeSpan.FromSeconds(60), "the new receiver known to Referrals");

        string[] names =
        [
            "Alice", "Bérénice", "Chloé", "Dalila", "Élise", "Fatou", "Gaëlle", "Hana", "Iris", "Jade", "Karima",
            "Louise", "Maïa", "Nour", "Océane", "Perrine", "Rania", "Salomé", "Tiphaine", "Ursule", "Victoire", "Zoé",
        ];
        var sender = platform.Api(Roles.IscgWorker, PortalPlatform.SecondIscgPost, "u-iscg2");
        var sent = new List<Guid>();
        foreach (var name in names)
            sent.Add((await Send(sender, Referral(receiverId, name, [food]))).Id);
        await Decline(platform.Api(Roles.AssociationStaff, receiverId), sent[4], "Hors de notre secteur.");
        var reference = (await (await (await sender.GetAsync($"{Route}/{sent[9]}")).HasStatus(HttpStatusCode.OK)).ReadJsonElement())
            .GetProperty("person").GetProperty("pseudonymousReference").GetString()!;

        await using var browsing = await Browsing.SignIn(platform, "iscg2.test");
        var page = browsing.Page;
        await browsing.Goto("/orientations");
        // Open ones by default: 21 of the 22, 20 on the first page, the totals per status in the filter.
        var position = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "dans cette vue" });
        await Expect(position).ToContainTextAsync("21 orientations dans cette vue — page 1, 20 affichées");
        await Expect(page.Locator("#statut option").Filter(new() { HasText = "À traiter" })).ToHaveTextAsync("À traiter (21)");
        await Expect(page.Locator("#statut option").Filter(new() { HasText = "Toutes" })).ToHaveTextAsync("Toutes (22)");
        await Expect(page.Locator("#statut option").Filter(new() { HasText = "Refusée" })).ToHaveTextAsync("Refusée (1)");
        var rows = page.Locator("table.list tbody tr");
        await Expect(rows).ToHaveCountAsync(20);
        var seen = (await rows.Locator("td:first-child a").AllInnerTextsAsync()).ToList();
        await browsing.Check("listes-01-premiere-page");

        var next = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages de la liste" })
            .GetByRole(AriaRole.Link, new() { Name = "Voir les suivantes" });
        await next.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(position).ToContainTextAsync("page 2, 1 affichées");
        await Expect(rows).ToHaveCountAsync(1);
        seen.AddRange(await rows.Locator("td:first-child a").AllInnerTextsAsync());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Voir les suivantes" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Revenir à la première page" })).ToBeVisibleAsync();
        // Every open one once, none twice: nothing falls out of the list.
        Assert.Equal(names.Where((_, i) => i != 4).Order(), seen.Order());

        // Search by the pseudonymous reference (typed in lower case): the one person.
        await browsing.Goto("/orientations");
        await page.GetByLabel("Référence de la personne").FillAsync(reference.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(names[9]);
        await Expect(rows.First).ToContainTextAsync(reference);

        // Every status, last change first: the decline is the latest change.
        await browsing.Goto("/orientations");
        await page.GetByLabel("Statut").SelectOptionAsync(new SelectOptionValue { Label = "Toutes (22)" });
        await page.GetByLabel("Trier par").SelectOptionAsync("dernier-changement");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(rows.First).ToContainTextAsync(names[4]);
        await Expect(rows.First).ToContainTextAsync("Refusée");
        await browsing.Check("listes-02-toutes-dernier-changement");
    }
}

using static Coordination.Portal.BrowserTests.ReferralPathJourneyTests;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// Lists without a ceiling: pages, a total per status, search by reference, two orders (two dozen hand-offs: the national
/// dashboard's journeys run on a platform of their own, see <see cref="DashboardCollection"/>).
/// </summary>
[Collection(PortalCollection.Name)]
public class LongListJourneyTests(PortalPlatform platform)
{
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
        var reference = (await (await (await sender.GetAsync($"{Route}/{sent[9]}")).HasStatus(HttpStatusCode.OK)).ReadJson<ReferralPerson>())
            .Person.PseudonymousReference;

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

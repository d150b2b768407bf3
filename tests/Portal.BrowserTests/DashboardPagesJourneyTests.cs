namespace Coordination.Portal.BrowserTests;

/// <summary>The staff's own dashboard, the national filters and map insets, and the yearly report, at 1280 and 360 px.</summary>
[Collection(PortalCollection.Name)]
public class DashboardPagesJourneyTests(PortalPlatform platform)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(360)]
    public async Task Staff_open_their_own_indicators_from_the_menu_and_each_number_opens_its_list(int width)
    {
        await platform.HandOff();
        await using var staff = await Browsing.SignIn(platform, "aav.test", width);
        var page = staff.Page;
        await staff.Goto("/");
        var menu = page.GetByRole(AriaRole.Link, new() { Name = "Mes indicateurs" });
        if (width > 600) await menu.ClickAsync(); else await staff.Goto("/tableau-de-bord/mon-organisation");
        var received = page.Locator("table[data-table=by-side] tr[data-key=received]");
        await HttpClientExtensions.Eventually(async () =>
        {
            await page.GotoAsync("/tableau-de-bord/mon-organisation");
            return await received.CountAsync() == 1 ? await received.Locator("a[data-link=received-total]").CountAsync() : 0;
        }, links => links == 1, TimeSpan.FromSeconds(30), "the association's received hand-offs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Les indicateurs de mon organisation" })).ToBeVisibleAsync();
        await Expect(page.Locator("table[data-table=timings-received]")).ToHaveCountAsync(1);
        await staff.Check($"20-mes-indicateurs-{width}");

        await received.Locator("a[data-link=received-total]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/boite-de-reception?statut=toutes"));
    }

    [Fact]
    public async Task The_sent_list_has_the_overdue_view_the_staff_dashboard_links_to()
    {
        await platform.HandOff();
        await using var worker = await Browsing.SignIn(platform, "iscg.test", 1280);
        var page = worker.Page;
        // Just sent: listed among the hand-offs still "sent", not among the overdue ones.
        await worker.Goto("/orientations?statut=sent");
        await Expect(page.Locator("table.list tbody tr").First).ToBeVisibleAsync();
        await worker.Goto("/orientations?statut=sent&vue=en-retard");
        await Expect(page.GetByLabel("Afficher", new() { Exact = true })).ToHaveValueAsync("en-retard");
        await Expect(page.GetByText("Aucune orientation dans cette vue.")).ToBeVisibleAsync();
        await worker.Check("23-orientations-en-retard");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(360)]
    public async Task A_coordinator_filters_compares_and_opens_an_overseas_departement_from_the_map(int width)
    {
        await platform.HandOff();
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test", width);
        var page = coordinator.Page;
        await coordinator.Goto("/tableau-de-bord");
        await page.GetByLabel("Réseau", new() { Exact = true }).SelectOptionAsync("association");
        await page.GetByLabel("Regrouper par", new() { Exact = true }).SelectOptionAsync("semaine");
        await page.GetByLabel("Comparer avec la même période un an avant").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("reseau=association") && url.Contains("granularite=semaine") && url.Contains("comparer=annee-precedente"));
        await Expect(page.Locator("table[data-table=answers] th", new() { HasTextString = "Évolution" }).First).ToBeVisibleAsync();

        foreach (var (inset, name) in new[] { ("corse", "Corse"), ("971", "Guadeloupe (971)"), ("972", "Martinique (972)"), ("973", "Guyane (973)"),
                     ("974", "La Réunion (974)"), ("976", "Mayotte (976)") })
            await Expect(page.Locator($"svg g[data-inset='{inset}'] text")).ToHaveTextAsync(name);
        await coordinator.Check($"21-tableau-de-bord-filtres-{width}");

        await page.Locator("svg g[data-inset='974'] a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("departement=974") && url.Contains("reseau=association"));
        await Expect(page.GetByLabel("Département", new() { Exact = true })).ToHaveValueAsync("974");
        await Expect(page.Locator("svg g[data-inset='974'] path.selected")).ToHaveCountAsync(1);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(360)]
    public async Task The_yearly_report_prints_and_downloads_as_a_workbook(int width)
    {
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test", width);
        var page = coordinator.Page;
        await coordinator.Goto("/tableau-de-bord/bilan");
        var year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Bilan annuel de la convention {year}", Exact = true })).ToBeVisibleAsync();
        foreach (var family in new[] { "Orientations", "Formations", "Projets" })
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = family, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Imprimer ou enregistrer en PDF" })).ToBeVisibleAsync();
        await coordinator.Check($"22-bilan-annuel-{width}");

        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le classeur (XLSX)" }).GetAttributeAsync("href");
        var workbook = await page.Context.APIRequest.GetAsync(href ?? "");
        Assert.Equal(200, workbook.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook.Headers["content-type"]);
        Assert.Equal("PK"u8.ToArray(), (await workbook.BodyAsync())[..2]);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("form.filters")).ToBeHiddenAsync();
        await Expect(page.Locator("table[data-table=answers]")).ToBeVisibleAsync();
    }
}

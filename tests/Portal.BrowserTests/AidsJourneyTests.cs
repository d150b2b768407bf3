namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class AidsJourneyTests(PortalPlatform platform)
{
    private const string Housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";

    private async Task<Guid> Aid(string name, string scope, string[] departements, string[] situations)
    {
        var response = await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/directory/aids", new
        {
            name, kind = scope == "national" ? "grant" : "servicePayment", grantorName = scope == "national" ? "CAF" : "CCAS de la commune",
            scope, departements = scope == "national" ? null : departements, needs = new[] { Housing }, situations,
            eligibility = "Personne victime de violences conjugales sans solution d'hébergement.",
            howToApply = "Le travailleur social appelle le service ; la personne vient avec une pièce d'identité.",
            documentsToBring = "Pièce d'identité si possible.", typicalDelay = "Le jour même", amountMin = 0m, amountMax = 450.5m,
            sourceUrl = "https://www.service-public.fr/",
        })).HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }

    [Fact]
    public async Task An_iscg_worker_sees_the_aids_matching_a_housing_need_in_93_opens_one_and_prints_it()
    {
        var local = await Aid("Nuitées d'hôtel d'urgence (93, test)", "local", ["93"], ["intrafamilyViolence"]);
        await Aid("Aide d'urgence nationale (test)", "national", [], []);
        await Aid("Nuitées d'hôtel du Rhône (test)", "local", ["69"], []);

        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/orientations/nouvelle");
        await worker.Page.GetByLabel("Département où se trouve la personne").SelectOptionAsync("93");
        await worker.Page.GetByLabel("Rechercher une solution d’hébergement temporaire").CheckAsync();
        await worker.Page.GetByLabel("Violences intrafamiliales / conjugales").CheckAsync();
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Proposer des destinataires" }).ClickAsync();

        var aids = worker.Page.GetByRole(AriaRole.Region, new() { Name = "Aides mobilisables" });
        await Expect(aids).ToContainTextAsync("Nuitées d'hôtel d'urgence (93, test)");
        await Expect(aids).ToContainTextAsync("Aide d'urgence nationale (test)");
        await Expect(aids).Not.ToContainTextAsync("Rhône");
        await Expect(aids.Locator(".aid-summary").First).ToContainTextAsync("À vérifier");
        await worker.Check("aides-01-orientation-aides-mobilisables");

        await aids.GetByRole(AriaRole.Link, new() { Name = "Nuitées d'hôtel d'urgence (93, test)" }).ClickAsync();
        await worker.Page.WaitForURLAsync($"**/aides/{local}");
        var sheet = worker.Page.Locator("article.aid-sheet");
        await Expect(sheet.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nuitées d'hôtel d'urgence (93, test)");
        await Expect(sheet).ToContainTextAsync("Seine-Saint-Denis (93)");
        await Expect(sheet).ToContainTextAsync("de 0,00\u00a0€ à 450,50\u00a0€");
        await Expect(sheet).ToContainTextAsync("jamais vérifiée : à vérifier auprès de la source");
        await Expect(worker.Page.GetByRole(AriaRole.Button, new() { Name = "Imprimer la fiche" })).ToBeVisibleAsync();
        await worker.Check("aides-02-fiche");

        // The printed sheet: the aid alone, with the print header and notice; no navigation, buttons or history.
        await worker.Page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(sheet.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(worker.Page.Locator(".print-header")).ToBeVisibleAsync();
        await Expect(worker.Page.Locator(".print-header")).ToContainTextAsync("Guide des aides");
        await Expect(worker.Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" })).ToBeHiddenAsync();
        await Expect(worker.Page.GetByRole(AriaRole.Button, new() { Name = "Imprimer la fiche" })).ToBeHiddenAsync();
        await Expect(worker.Page.GetByRole(AriaRole.Heading, new() { Name = "Historique" })).ToBeHiddenAsync();
        var pdf = await worker.Page.PdfAsync(new() { Path = Path.Combine(PortalPlatform.Artefacts, "aides-03-fiche-imprimee.pdf"), Format = "A4" });
        Assert.True(pdf.Length > 1000);
        await worker.Page.ScreenshotAsync(new() { Path = Path.Combine(PortalPlatform.Artefacts, "aides-03-fiche-imprimee.png"), FullPage = true });
        await worker.Page.EmulateMediaAsync(new() { Media = Media.Screen });

        await worker.Goto("/aides?departement=93&need=" + Housing);
        await Expect(worker.Page.Locator("ul.aid-list")).ToContainTextAsync("Nuitées d'hôtel d'urgence (93, test)");
        await Expect(worker.Page.Locator("ul.aid-list")).Not.ToContainTextAsync("Rhône");
        await worker.Check("aides-04-recherche");
    }

    [Fact]
    public async Task The_sheet_of_an_aid_links_to_the_organisation_that_grants_it_whose_page_lists_its_aids()
    {
        var response = await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/directory/aids", new
        {
            name = "Permanence d'aide juridique (test annuaire)", kind = "servicePayment",
            grantorOrganisationId = PortalPlatform.Association, scope = "local", departements = new[] { "93" },
            needs = new[] { "coordination--aide-aux-victimes" }, situations = Array.Empty<string>(),
            eligibility = "Toute victime d'une infraction.", howToApply = "Sur rendez-vous à l'accueil.",
            sourceUrl = "https://www.france-victimes.fr/",
        })).HasStatus(HttpStatusCode.Created);
        var id = await response.CreatedId();

        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto($"/aides/{id}");
        await worker.Page.Locator("article.aid-sheet").GetByRole(AriaRole.Link, new() { Name = "France Victimes 93 (test)" }).ClickAsync();
        await worker.Page.WaitForURLAsync($"**/annuaire/{PortalPlatform.Association}");
        await Expect(worker.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("France Victimes 93 (test)");
        await Expect(worker.Page.Locator("dl.facts")).ToContainTextAsync("Seine-Saint-Denis (93)");
        var granted = worker.Page.GetByRole(AriaRole.Region, new() { Name = "Aides accordées par cette organisation" });
        await Expect(granted).ToContainTextAsync("Permanence d'aide juridique (test annuaire)");
        await Expect(granted).Not.ToContainTextAsync("Nuitées d'hôtel");
        await worker.Check("aides-06-organisation");
        await granted.GetByRole(AriaRole.Link, new() { Name = "Permanence d'aide juridique (test annuaire)" }).ClickAsync();
        await worker.Page.WaitForURLAsync($"**/aides/{id}");
    }

    [Fact]
    public async Task A_coordinator_verifies_an_aid_from_the_moderation_list()
    {
        var id = await Aid("Fonds local à vérifier (test)", "local", ["93"], []);

        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await coordinator.Goto("/aides/moderation");
        await Expect(coordinator.Page.GetByRole(AriaRole.Region, new() { Name = "À vérifier (pas vérifiées depuis 12 mois ou jamais)" }))
            .ToContainTextAsync("Fonds local à vérifier (test)");
        await coordinator.Check("aides-05-moderation");
        await coordinator.Page.GetByRole(AriaRole.Link, new() { Name = "Fonds local à vérifier (test)" }).ClickAsync();
        await coordinator.Page.GetByRole(AriaRole.Button, new() { Name = "J'ai vérifié cette fiche auprès de la source" }).ClickAsync();
        await Expect(coordinator.Page.GetByText("Vérification enregistrée.")).ToBeVisibleAsync();
        await Expect(coordinator.Page.Locator("article.aid-sheet")).Not.ToContainTextAsync("À vérifier");
        await Expect(coordinator.Page.Locator("ol.timeline")).ToContainTextAsync("Vérifiée");
        Assert.EndsWith($"/aides/{id}?fait=verifier", coordinator.Page.Url);
    }
}

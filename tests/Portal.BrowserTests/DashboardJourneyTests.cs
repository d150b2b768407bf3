namespace Coordination.Portal.BrowserTests;

[Collection(DashboardCollection.Name)]
public class DashboardJourneyTests(PortalPlatform platform)
{
    [Fact]
    public async Task A_coordinator_sees_the_counts_move_small_counts_hidden_and_exports_a_csv()
    {
        // One hand-off at least, so the national table has something to hide.
        await platform.HandOff();

        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        var page = coordinator.Page;
        var before = await HttpClientExtensions.Eventually(async () =>
        {
            await page.GotoAsync("/tableau-de-bord");
            return new { Organisations = await page.Locator("#total-organisations").TextContentAsync(), Referrals = await page.Locator("#total-orientations").TextContentAsync() };
        }, v => int.TryParse(v.Organisations, out var n) && n >= 3 && v.Referrals == "< 11", TimeSpan.FromSeconds(30), "the dashboard counts");
        await Expect(page.Locator("canvas[data-chart]")).ToHaveAttributeAsync("data-drawn", "1");
        await coordinator.Check("15-tableau-de-bord");

        await platform.RegisterOrganisation(new
        {
            name = "CCAS de test", kind = "partner", partnerNetwork = "ccas-cias", departements = new[] { "93" },
            needs = new[] { "equipement-et-alimentation--alimentation" },
        });
        var after = await HttpClientExtensions.Eventually(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("#total-organisations").TextContentAsync();
        }, v => v == (int.Parse(before.Organisations!) + 1).ToString(), TimeSpan.FromSeconds(30), "one more organisation on the dashboard");
        Assert.Equal(int.Parse(before.Organisations!) + 1, int.Parse(after!));

        await page.GetByLabel("Département", new() { Exact = true }).SelectOptionAsync("93");
        await page.GetByLabel("Carte", new() { Exact = true }).SelectOptionAsync("organisations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await Expect(page.Locator("svg path.selected title")).ToContainTextAsync("Seine-Saint-Denis (93)");
        await coordinator.Check("16-tableau-de-bord-93");

        var csv = await page.Context.APIRequest.GetAsync(await page.GetByRole(AriaRole.Link, new() { Name = "Télécharger les orientations par département (CSV)" }).GetAttributeAsync("href") ?? "");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"]);
        Assert.Contains("93", await csv.TextAsync());
    }

    [Fact]
    public async Task A_coordinator_sees_per_departement_how_many_aids_the_guide_knows_and_which_needs_lack_a_local_one()
    {
        const string housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";
        await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/directory/aids", new
        {
            name = "Fonds d'urgence de la Lozère (test)", kind = "grant", grantorName = "Département de la Lozère", scope = "local",
            departements = new[] { "48" }, needs = new[] { housing }, situations = new[] { "intrafamilyViolence" },
            eligibility = "Personne victime sans ressources immédiates.", howToApply = "Demande par le travailleur social.",
            sourceUrl = "https://lozere.fr/",
        })).HasStatus(HttpStatusCode.Created);
        // The Directory's aid contract reaches the Dashboard through RabbitMQ.
        await HttpClientExtensions.Eventually(
            async () => await (await platform.Api(Roles.NationalCoordinator)
                .GetAsync("/api/dashboard/aids-by-departement?departement=48")).ReadJson<AidsByDepartement>(),
            view => view.Rows.Any(r => r.LocalAids == 1),
            TimeSpan.FromSeconds(30), "the Lozère's local aid counted by the Dashboard");

        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await coordinator.Goto("/tableau-de-bord");
        var coverage = coordinator.Page.Locator("section[aria-labelledby=couverture-titre]");
        await Expect(coverage.GetByRole(AriaRole.Heading, new() { Name = "Couverture par département" })).ToBeVisibleAsync();
        var lozere = coverage.GetByRole(AriaRole.Row).Filter(new() { HasText = "Lozère (48)" });
        // One local aid, never verified (so to verify), and the needs of the guide's vocabulary it does not answer.
        await Expect(lozere.Locator("td").Nth(0)).ToHaveTextAsync("1");
        await Expect(lozere.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(lozere.Locator("td").Nth(3)).Not.ToContainTextAsync("Rechercher une solution d’hébergement temporaire");
        await Expect(lozere.Locator("td").Nth(3)).ToContainTextAsync("Se maintenir dans le logement");
        await coordinator.Check("17-tableau-de-bord-aides");
    }

    [Fact]
    public async Task A_coordinator_reads_the_indicator_tables_small_counts_hidden_and_sees_new_facts_arrive_live()
    {
        await (await platform.Api(Roles.IscgWorker, PortalPlatform.IscgPost, "u-iscg").SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = PortalPlatform.Association, departement = "93",
            person = new { ageBand = "from26To40", minorsInvolved = false }, situation = "assault",
            needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "written", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);

        // On a phone-sized screen: the tables scroll in their own region, the page does not.
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test", width: 360);
        var page = coordinator.Page;
        var answers = page.Locator("table[data-table=answers]");
        await HttpClientExtensions.Eventually(async () =>
        {
            await page.GotoAsync("/tableau-de-bord");
            return await answers.CountAsync() == 1 ? await answers.InnerTextAsync() : "";
        }, text => text.Contains("< 11"), TimeSpan.FromSeconds(30), "the hand-off answers with a hidden small count");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Réponses aux orientations" })).ToBeVisibleAsync();
        await Expect(answers.Locator("tfoot tr[data-key=total] td").First).ToHaveTextAsync("< 11");
        foreach (var table in new[] { "directions", "timings", "decline-reasons", "outcomes", "sessions", "participants", "attendance", "stages", "funding", "stuck" })
            await Expect(page.Locator($"table[data-table={table}]")).ToHaveCountAsync(1);
        // A median over fewer than 11 hand-offs is not shown: a dash, explained to screen readers.
        await Expect(page.Locator("table[data-table=timings] tr[data-key=standard] td").Nth(1)).ToHaveTextAsync("—non affiché (moins de 11 personnes)");
        // Euros in French: « 1 234,56 € » (the total row is there even without any funding line).
        await Expect(page.Locator("table[data-table=funding] tr[data-key=total] td").First)
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,3}([\u202f\u00a0 ]\d{3})*,\d{2}\u00a0€$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Formations communes" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projets", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-as-of]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Données à jour au \d{2}/\d{2}/\d{4} \d{2}:\d{2}$"));
        var overflowing = await page.EvaluateAsync<string>("""
            Array.from(document.querySelectorAll('body *')).filter(e => (e.classList.contains('table-wrap') || !e.closest('.table-wrap')) && e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + '[' + (e.getAttribute('aria-labelledby') || '') + '] ' + Math.round(e.getBoundingClientRect().right)).join(' | ') + ' sw=' + document.documentElement.scrollWidth
            """);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll at 360 px: " + overflowing);
        await coordinator.Check("17-tableau-de-bord-indicateurs");

        foreach (var (link, table) in new[] { ("orientations", "answers"), ("formations", "sessions"), ("projets", "stages") })
        {
            var href = await page.GetByRole(AriaRole.Link, new() { Name = $"Télécharger les indicateurs des {link} (CSV)" }).GetAttributeAsync("href");
            var csv = await page.Context.APIRequest.GetAsync(href ?? "");
            Assert.Equal(200, csv.Status);
            Assert.StartsWith("text/csv", csv.Headers["content-type"]);
            Assert.Contains(table + ";", await csv.TextAsync());
        }

        // Live: once the page has the current state from the relayed events, a new fact shows a polite notice and fresh figures.
        var notice = page.Locator("#live-notice");
        await Expect(notice).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(notice).ToHaveAttributeAsync("data-live-seen", new System.Text.RegularExpressions.Regex(@"^\d+$"));
        // Facts of earlier tests may still be arriving (and already announced): start from a clear notice.
        var seen = long.Parse(await notice.GetAttributeAsync("data-live-seen") ?? "0");
        await notice.EvaluateAsync("n => { n.textContent = ''; }");
        await platform.RegisterOrganisation(new
        {
            name = "Association de test en direct", kind = "victimSupportAssociation", departements = new[] { "93" },
            needs = new[] { "coordination--aide-aux-victimes" },
        });
        await Expect(notice).ToContainTextAsync("Nouvelles données disponibles", new() { Timeout = 30_000 });
        Assert.True(long.Parse(await notice.GetAttributeAsync("data-live-seen") ?? "0") > seen, "a later change was relayed");
        await Expect(page.Locator("table[data-table=answers]")).ToHaveCountAsync(1);
    }
}

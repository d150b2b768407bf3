using System.Text.RegularExpressions;

namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class HandoffJourneyTests(PortalPlatform platform)
{
    private static async Task FillHandoff(IPage page, string firstName, string urgency, string receiver)
    {
        await page.GetByLabel("Aide aux victimes : information sur les droits").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer des destinataires" }).ClickAsync();
        await page.GetByLabel(receiver).CheckAsync();
        await page.GetByLabel("Violences intrafamiliales / conjugales").CheckAsync();
        await page.GetByLabel(urgency).CheckAsync();
        await page.GetByLabel("Prénom (facultatif)").FillAsync(firstName);
        await page.GetByLabel("Moyen de contact").SelectOptionAsync("phone");
        await page.GetByLabel("Numéro ou adresse").FillAsync("06 12 34 56 78");
        await page.GetByLabel("Tranche d'âge").SelectOptionAsync("from26To40");
        await page.Locator("#minors-oui").CheckAsync();
        await page.GetByLabel("Consentement oral").CheckAsync();
    }

    [Fact]
    public async Task An_urgent_handoff_reaches_the_top_of_the_inbox_is_accepted_and_the_worker_sees_each_step()
    {
        using var spans = new SpanRecorder(); // every span of this process: the Portal's, and the hosts behind it
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Check("01-accueil-iscg");
        await worker.Goto("/orientations/nouvelle");
        await worker.Check("02-orientation-formulaire");
        await FillHandoff(worker.Page, "Nadia", "Immédiate (réponse sous 2 h)", "France Victimes 93 (test)");
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();
        await Expect(worker.Page.GetByText("Orientation envoyée.")).ToBeVisibleAsync();
        await worker.Check("03-orientation-envoyee");
        var referralUrl = worker.Page.Url;

        await using var staff = await Browsing.SignIn(platform, "aav.test");
        await staff.Goto("/boite-de-reception");
        var first = staff.Page.Locator("ul.inbox > li").First;
        await Expect(first).ToContainTextAsync("Nadia");
        await Expect(first).ToContainTextAsync("Urgence immédiate");
        await staff.Check("04-boite-de-reception");
        await first.GetByRole(AriaRole.Button, new() { Name = "Accepter" }).ClickAsync();
        await Expect(staff.Page.GetByText("Orientation acceptée")).ToBeVisibleAsync();

        await staff.Page.Locator("ul.inbox > li").Filter(new() { HasText = "Nadia" }).GetByRole(AriaRole.Link, new() { Name = "Noter le premier contact" }).ClickAsync();
        await staff.Check("05-dossier-accepte");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le premier contact" }).ClickAsync();
        await Expect(staff.Page.GetByText("Premier contact enregistré.")).ToBeVisibleAsync();
        await Expect(staff.Page.Locator("ol.timeline")).ToContainTextAsync("Premier contact avec la personne");
        await staff.Page.GetByLabel("Écrire à l'orienteur").FillAsync("Rendez-vous fixé demain à 10 h à l'accueil.");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();
        await Expect(staff.Page.GetByText("Message envoyé.")).ToBeVisibleAsync();

        await worker.Page.GotoAsync(referralUrl.Split('?')[0]);
        await Expect(worker.Page.Locator(".badges").First).ToContainTextAsync("Accompagnement en cours");
        await Expect(worker.Page.Locator("ol.timeline")).ToContainTextAsync("Acceptée");
        await Expect(worker.Page.Locator("ol.messages")).ToContainTextAsync("Rendez-vous fixé demain à 10 h à l'accueil.");
        await worker.Check("06-suivi-orienteur");
        await worker.Goto("/orientations");
        var row = worker.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Nadia" });
        await Expect(row).ToContainTextAsync("Accompagnement en cours");
        await Expect(row).ToContainTextAsync("1 non lu");
        await worker.Check("07-mes-orientations");

        await staff.Page.GetByLabel("Aidée", new() { Exact = true }).CheckAsync();
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Clôturer" }).ClickAsync();
        await Expect(staff.Page.GetByText("Orientation clôturée.")).ToBeVisibleAsync();
        await worker.Page.GotoAsync(referralUrl.Split('?')[0]);
        await Expect(worker.Page.Locator(".badges").First).ToContainTextAsync("Clôturée");
        await Expect(worker.Page.Locator("dl.facts").First).ToContainTextAsync("Aidée");

        // The canary: what the portal handled (a person's name and phone, professionals' names) reached no log and no span.
        var logs = string.Join("\n", platform.PortalLogs.Lines);
        Assert.NotEmpty(platform.PortalLogs.Lines);
        string[] personal = ["Nadia", "06 12 34 56 78", "0612345678", "Sonia Test", "Julien Test", "Rendez-vous fixé"];
        foreach (var value in personal)
            Assert.DoesNotContain(value, logs);
        var spanLines = spans.Lines.ToList();
        Assert.True(spanLines.Count(l => l == "tag url.path=/orientations/nouvelle") >= 2, "the gateway's and the Portal's server spans");
        Assert.Contains(spanLines, l => l.StartsWith("span System.Net.Http", StringComparison.Ordinal)); // its calls to the API
        Assert.Empty(SpanRecorder.Leaks(spanLines, personal)); // span name, status, tags, events, baggage
    }

    [Fact]
    public async Task A_form_the_api_refuses_keeps_what_was_typed_and_shows_each_error_next_to_its_field()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test", width: 360);
        await worker.Goto("/orientations/nouvelle");
        await worker.Page.GetByLabel("Prénom (facultatif)").FillAsync("Awa");
        await worker.Page.GetByLabel("Moyen de contact").SelectOptionAsync("phone");
        await worker.Page.GetByLabel("Numéro ou adresse").FillAsync("pas un numéro");
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();

        await Expect(worker.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Certaines informations sont invalides");
        await Expect(worker.Page.Locator("#f-person-ageBand-erreur")).ToContainTextAsync("tranche d'âge");
        await Expect(worker.Page.Locator("#f-person-contact-value-erreur")).ToContainTextAsync("téléphone");
        await Expect(worker.Page.GetByLabel("Prénom (facultatif)")).ToHaveValueAsync("Awa");
        await Expect(worker.Page.GetByLabel("Numéro ou adresse")).ToHaveValueAsync("pas un numéro");
        await Expect(worker.Page.GetByLabel("Tranche d'âge")).ToHaveAttributeAsync("aria-invalid", "true");
        await worker.Check("08-formulaire-erreurs-360px");
    }

    [Fact]
    public async Task A_decline_with_its_reasons_shows_to_the_sender()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/orientations/nouvelle");
        await FillHandoff(worker.Page, "Claire", "Standard", "Association de test du 93");
        await worker.Page.GetByLabel("Son identité et ses coordonnées").UncheckAsync(); // the person shares her needs, not who she is
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();
        await Expect(worker.Page.GetByText("Orientation envoyée.")).ToBeVisibleAsync();
        var referralPath = new Uri(worker.Page.Url).AbsolutePath;

        await using var staff = await Browsing.SignIn(platform, "aav2.test");
        await staff.Goto(referralPath);
        await Expect(staff.Page.Locator("section[aria-labelledby=personne]")).ToContainTextAsync("non partagé");
        await Expect(staff.Page.Locator("main")).Not.ToContainTextAsync("Claire");
        await Expect(staff.Page.Locator("main")).Not.ToContainTextAsync("06 12 34 56 78");
        await staff.Page.GetByLabel("Pas de place / liste d'attente").CheckAsync();
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Refuser l'orientation" }).ClickAsync();
        // The message is required: the API says so next to the field, and the ticked reason is kept.
        await Expect(staff.Page.Locator("#refuser .field-error")).ToBeVisibleAsync();
        await Expect(staff.Page.GetByLabel("Pas de place / liste d'attente")).ToBeCheckedAsync();
        await staff.Check("09-refus-erreur");
        await staff.Page.GetByLabel("Message pour l'orienteur", new() { Exact = true }).FillAsync("Plus de place avant janvier : voyez le CCAS.");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Refuser l'orientation" }).ClickAsync();
        await Expect(staff.Page.GetByText("Orientation refusée : l'orienteur voit vos motifs.")).ToBeVisibleAsync();

        await worker.Page.GotoAsync(referralPath);
        var declined = worker.Page.Locator("section.declined");
        await Expect(declined).ToContainTextAsync("Pas de place / liste d'attente");
        await Expect(declined).ToContainTextAsync("Plus de place avant janvier : voyez le CCAS.");
        await worker.Check("10-refus-vu-par-orienteur");
        await worker.Goto("/orientations?statut=declined");
        await Expect(worker.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Claire" })).ToContainTextAsync("Refusée");
        Assert.Matches(new Regex("row-declined"), await worker.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Claire" }).GetAttributeAsync("class") ?? "");
        var logs = string.Join("\n", platform.PortalLogs.Lines);
        foreach (var personal in new[] { "Claire", "Plus de place avant janvier" })
            Assert.DoesNotContain(personal, logs);
    }

    [Fact]
    public async Task The_receiver_puts_a_handoff_on_hold_resumes_it_and_redirects_it_to_a_better_placed_partner()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/orientations/nouvelle");
        await FillHandoff(worker.Page, "Inès", "Sous 24 heures", "France Victimes 93 (test)");
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();
        await Expect(worker.Page.GetByText("Orientation envoyée.")).ToBeVisibleAsync();
        var referralPath = new Uri(worker.Page.Url).AbsolutePath;

        await using var staff = await Browsing.SignIn(platform, "aav.test");
        await staff.Goto("/boite-de-reception");
        await staff.Page.Locator("ul.inbox > li").Filter(new() { HasText = "Inès" }).GetByRole(AriaRole.Link, new() { Name = "Mettre en attente" }).ClickAsync();
        await staff.Page.GetByLabel("Ce que vous attendez").FillAsync("Nous attendons le dépôt de plainte.");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Mettre en attente" }).ClickAsync();
        await Expect(staff.Page.GetByText("Orientation mise en attente.")).ToBeVisibleAsync();
        await Expect(staff.Page.Locator(".badges").First).ToContainTextAsync("En attente");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Reprendre" }).ClickAsync();
        await Expect(staff.Page.GetByText("Orientation reprise.")).ToBeVisibleAsync();

        await staff.Page.GetByLabel("Nouveau destinataire", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Association de test du 93" });
        await staff.Page.GetByLabel("Message pour l'orienteur et le nouveau destinataire").FillAsync("Mieux placée pour l'accompagnement juridique.");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Réorienter", Exact = true }).ClickAsync();
        await Expect(staff.Page.GetByText("Personne réorientée")).ToBeVisibleAsync();
        await staff.Check("22-reorientee");

        await worker.Page.GotoAsync(referralPath);
        await Expect(worker.Page.Locator(".badges").First).ToContainTextAsync("Réorientée");
        await Expect(worker.Page.Locator("ol.timeline")).ToContainTextAsync("Mise en attente");
        await Expect(worker.Page.Locator("dl.facts").First).ToContainTextAsync("Mieux placée pour l'accompagnement juridique.");
        // The worker who met the person follows her path: the first hop redirected, the second with its new receiver.
        var hops = worker.Page.Locator("section[aria-labelledby=parcours-titre] tbody tr");
        await Expect(hops).ToHaveCountAsync(2);
        await Expect(hops.Nth(0)).ToContainTextAsync("Réorientée");
        await Expect(hops.Nth(1)).ToContainTextAsync("2 (réorientée)");
        await Expect(hops.Nth(1)).ToContainTextAsync("Association de test du 93");

        await using var other = await Browsing.SignIn(platform, "aav2.test");
        await other.Goto("/boite-de-reception");
        await Expect(other.Page.Locator("ul.inbox > li").Filter(new() { HasText = "Inès" })).ToContainTextAsync("France Victimes 93 (test)");
    }

    [Fact]
    public async Task Without_consent_only_a_justified_override_sends_and_the_receiver_sees_it_flagged()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/orientations/nouvelle");
        await FillHandoff(worker.Page, "Maëlle", "Standard", "France Victimes 93 (test)");
        await worker.Page.GetByLabel("Sans consentement (dérogation justifiée, signalée au destinataire)").CheckAsync();
        await worker.Page.GetByLabel("Justification de la dérogation (si sans consentement)").FillAsync("Trop court");
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();
        await Expect(worker.Page.Locator("#f-consentOverride-erreur")).ToContainTextAsync("20 caractères");
        await Expect(worker.Page.GetByLabel("Justification de la dérogation (si sans consentement)")).ToHaveValueAsync("Trop court");

        await worker.Page.GetByLabel("Justification de la dérogation (si sans consentement)")
            .FillAsync("Personne en danger immédiat, hors d'état de consentir cette nuit.");
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'orientation" }).ClickAsync();
        await Expect(worker.Page.GetByText("Orientation envoyée.")).ToBeVisibleAsync();
        await Expect(worker.Page.Locator(".badges").First).ToContainTextAsync("Envoyée sans consentement");
        var referralPath = new Uri(worker.Page.Url).AbsolutePath;

        await using var staff = await Browsing.SignIn(platform, "aav.test");
        await staff.Goto(referralPath);
        await Expect(staff.Page.Locator(".badges").First).ToContainTextAsync("Envoyée sans consentement");
        await Expect(staff.Page.Locator("section[aria-labelledby=personne]")).ToContainTextAsync("Dérogation : sans consentement");
    }

    [Fact]
    public async Task An_organisation_that_stops_taking_referrals_is_no_longer_proposed()
    {
        await using var staff = await Browsing.SignIn(platform, "aav2.test");
        await staff.Goto("/mon-organisation");
        await staff.Page.GetByLabel("Nous n'en acceptons pas pour le moment").CheckAsync();
        await staff.Page.GetByLabel("Précision (ex. « Complet jusqu'au 15/01 »)").FillAsync("Complet jusqu'au 15/01");
        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Expect(staff.Page.GetByText("C'est enregistré : l'annuaire est à jour.")).ToBeVisibleAsync();
        await staff.Check("24-mon-organisation");
        try
        {
            await using var worker = await Browsing.SignIn(platform, "iscg.test");
            await worker.Goto("/orientations/nouvelle");
            await worker.Page.GetByLabel("Aide aux victimes : information sur les droits").CheckAsync();
            await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Proposer des destinataires" }).ClickAsync();
            await Expect(worker.Page.GetByLabel("France Victimes 93 (test)")).ToBeVisibleAsync();
            await Expect(worker.Page.GetByLabel("Association de test du 93")).ToHaveCountAsync(0);
        }
        finally
        {
            await staff.Page.GetByLabel("Nous acceptons des orientations").CheckAsync();
            await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(staff.Page.GetByText("C'est enregistré : l'annuaire est à jour.")).ToBeVisibleAsync();
            // Other journeys redirect to this organisation: wait until Referrals has heard it is open again.
            var store = platform.Referrals.Services.GetRequiredService<IDocumentStore>();
            await HttpClientExtensions.Eventually(async () =>
            {
                await using var session = store.QuerySession();
                return await session.LoadAsync<KnownOrganisation>(PortalPlatform.OtherAssociation);
            }, known => known is { CanReceiveReferrals: true }, TimeSpan.FromSeconds(30), "the organisation open again in Referrals");
        }
    }
}

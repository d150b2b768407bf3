namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class TrainingJourneyTests(PortalPlatform platform)
{
    private async Task<Guid> Module(string title)
    {
        var response = await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title, objectives = "Articuler ISCG et association", audience = "both", durationMinutes = 180, format = "inPerson",
            coDesignedBy = new[] { PortalPlatform.IscgPost, PortalPlatform.Association },
        })).HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }

    /// <summary>A three-hour session in the 93 of <paramref name="module"/>, led by one trainer of each network.</summary>
    private async Task<Guid> Session(Guid module, DateTimeOffset starts, string place, int capacity)
    {
        var response = await (await platform.Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = module, departement = "93", startsAt = starts, endsAt = starts.AddHours(3), place, capacity,
            trainers = new object[] { new { name = "Sonia T.", network = "aniscg" }, new { name = "Julien P.", network = "franceVictimes" } },
        })).HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }

    [Fact]
    public async Task A_worker_who_registers_to_a_full_session_lands_on_the_waiting_list()
    {
        var module = await Module("Accueil des victimes au commissariat");
        var starts = DateTimeOffset.UtcNow.AddDays(10);
        var sessionId = await Session(module, starts, "Tribunal de Bobigny", capacity: 1);
        // The only place goes to someone else.
        await (await platform.Api(Roles.AssociationStaff, PortalPlatform.OtherAssociation, "u-aav2")
            .SendJson(HttpMethod.Post, $"/api/training/sessions/{sessionId}/registrations", null)).HasStatus(HttpStatusCode.NoContent);

        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/formations");
        var card = worker.Page.Locator("li.card").Filter(new() { HasText = "Accueil des victimes au commissariat" });
        await Expect(card).ToContainTextAsync("Complète (liste d'attente)");
        await worker.Check("11-formations");
        await card.GetByRole(AriaRole.Button, new() { Name = "M'inscrire sur la liste d'attente" }).ClickAsync();
        await Expect(worker.Page.GetByText("Demande d'inscription enregistrée")).ToBeVisibleAsync();
        var mine = worker.Page.Locator("section[aria-labelledby=mes-inscriptions]");
        await Expect(mine).ToContainTextAsync("Sur liste d'attente : position 1");
        await worker.Check("12-formations-liste-attente");

        await mine.GetByRole(AriaRole.Button, new() { Name = "Annuler mon inscription" }).ClickAsync();
        await Expect(worker.Page.GetByText("Inscription annulée.")).ToBeVisibleAsync();
        await Expect(worker.Page.Locator("section[aria-labelledby=mes-inscriptions]")).Not.ToContainTextAsync("Accueil des victimes au commissariat");
    }

    [Fact]
    public async Task A_coordinator_schedules_a_session_and_sees_its_roster()
    {
        await Module("Évaluer la situation sociale ensemble");
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await coordinator.Goto("/formations/sessions/nouvelle");
        await coordinator.Page.GetByRole(AriaRole.Button, new() { Name = "Programmer la session" }).ClickAsync();
        await Expect(coordinator.Page.Locator("#f-moduleId-erreur")).ToBeVisibleAsync();
        await coordinator.Check("13-programmer-session-erreurs");

        var page = coordinator.Page;
        await page.GetByLabel("Module").SelectOptionAsync(new SelectOptionValue { Label = "Évaluer la situation sociale ensemble" });
        await page.GetByLabel("Département").SelectOptionAsync("93");
        var start = DateTimeOffset.UtcNow.AddDays(20);
        await page.GetByLabel("Début").FillAsync(start.ToString("yyyy-MM-dd'T'09:30"));
        await page.GetByLabel("Fin").FillAsync(start.ToString("yyyy-MM-dd'T'12:30"));
        await page.GetByLabel("Lieu (présentiel)").FillAsync("Maison des associations");
        await page.GetByLabel("Nombre de places").FillAsync("12");
        await page.GetByLabel("Formateur 1 : nom").FillAsync("Sonia T.");
        await page.GetByLabel("Formateur 2 : nom").FillAsync("Julien P.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Programmer la session" }).ClickAsync();
        await Expect(page.GetByText("Session programmée")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Participants (0 / 12)" })).ToBeVisibleAsync();
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("09h30");
        await coordinator.Check("14-session-participants");
    }

    [Fact]
    public async Task Attendance_recorded_by_the_coordinator_gives_the_attendee_a_certificate_and_a_say()
    {
        var module = await Module("Repérer les violences intrafamiliales");
        // Far enough ahead that a slow sign-in still finds registration open; Training's clock then moves to the start.
        var starts = DateTimeOffset.UtcNow.AddMinutes(2);
        var sessionId = await Session(module, starts, "Commissariat de Bobigny", capacity: 5);

        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Goto("/formations");
        await worker.Page.Locator("li.card").Filter(new() { HasText = "Repérer les violences intrafamiliales" })
            .GetByRole(AriaRole.Button, new() { Name = "M'inscrire", Exact = true }).ClickAsync();
        await Expect(worker.Page.Locator("section[aria-labelledby=mes-inscriptions]")).ToContainTextAsync("votre place est réservée");

        platform.TrainingClock.MoveAhead(starts - platform.TrainingClock.GetUtcNow() + TimeSpan.FromSeconds(1));
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await coordinator.Goto($"/formations/sessions/{sessionId}");
        await coordinator.Page.GetByLabel("Sonia Test présent(e)").CheckAsync();
        await coordinator.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les présences" }).ClickAsync();
        await Expect(coordinator.Page.GetByText("Présences enregistrées.")).ToBeVisibleAsync();

        await worker.Goto($"/formations/sessions/{sessionId}");
        await Expect(worker.Page.GetByText("Présent(e) : attestation disponible")).ToBeVisibleAsync();
        var certificate = await worker.Page.Context.APIRequest.GetAsync($"/formations/sessions/{sessionId}/attestation");
        Assert.Equal(200, certificate.Status);
        Assert.Contains("Sonia Test", await certificate.TextAsync());
        await worker.Page.GetByLabel("5", new() { Exact = true }).CheckAsync();
        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer mon avis" }).ClickAsync();
        await Expect(worker.Page.GetByText("Merci pour votre avis.")).ToBeVisibleAsync();
        await worker.Check("20-session-presence-avis");
    }
}

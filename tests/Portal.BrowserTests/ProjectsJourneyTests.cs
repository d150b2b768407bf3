using System.Text.RegularExpressions;

namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class ProjectsJourneyTests(PortalPlatform platform)
{
    // French number formatting separates thousands with a (narrow) no-break space: \s matches it.
    [Fact]
    public async Task Association_staff_set_up_a_project_with_its_funding_plan_milestones_and_a_support_request()
    {
        await using var staff = await Browsing.SignIn(platform, "aav.test");
        var page = staff.Page;
        await staff.Goto("/projets");
        await page.GetByLabel("Intitulé").FillAsync("Second poste d'ISCG à Aubervilliers");
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("newIscgPost");
        await page.Locator("#f-departements").SelectOptionAsync("93");
        await page.GetByLabel("Budget total (€)").FillAsync("90 000");
        await page.GetByLabel("Description").FillAsync("Un second poste pour couvrir les nuits et les week-ends.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le projet" }).ClickAsync();
        await Expect(page.GetByText("Projet créé.")).ToBeVisibleAsync();

        await page.GetByLabel("Financeur").SelectOptionAsync("stateFipd");
        await page.GetByLabel("Montant demandé (€)").FillAsync("45 000,50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au plan" }).ClickAsync();
        await Expect(page.GetByText("Ligne ajoutée au plan de financement.")).ToBeVisibleAsync();
        await page.GetByLabel("Financeur").SelectOptionAsync("departement");
        await page.GetByLabel("Montant demandé (€)").FillAsync("1234,06");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au plan" }).ClickAsync();
        await Expect(page.GetByText("Ligne ajoutée au plan de financement.")).ToBeVisibleAsync();
        // The same confirmation was already on the page after the first line: wait for the new total itself.
        await Expect(page.Locator("#total-demande")).ToHaveTextAsync(new Regex(@"^46\s234,56\s€$"));

        var fipd = page.GetByRole(AriaRole.Form, new() { Name = "Décision de État (FIPD)" });
        await fipd.GetByLabel("Montant accordé (€)").FillAsync("40 000");
        await fipd.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync();
        await Expect(page.GetByText("Décision du financeur enregistrée.")).ToBeVisibleAsync();
        await Expect(page.Locator("#total-accorde")).ToHaveTextAsync(new Regex(@"^40\s000,00\s€$"));

        await page.GetByLabel("Nouveau jalon").FillAsync("Convention signée par le Département");
        await page.GetByLabel("Échéance").FillAsync(DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter le jalon" }).ClickAsync();
        await Expect(page.GetByText("Jalon ajouté.")).ToBeVisibleAsync();

        await page.GetByLabel("Objet").SelectOptionAsync("modelDocument");
        await page.GetByLabel("Votre demande").FillAsync("Auriez-vous un modèle de convention tripartite ?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();
        await Expect(page.GetByText("Demande d'appui envoyée.")).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=appui-titre] article")).ToContainTextAsync("modèle de convention tripartite");
        await staff.Check("17-projet");

        var projectPath = new Uri(page.Url).AbsolutePath;
        await staff.Goto("/projets");
        await Expect(page.Locator(".board > li").Filter(new() { HasText = "Idée" })).ToContainTextAsync("Second poste d'ISCG à Aubervilliers");
        await staff.Check("18-projets-par-etape");

        // The national coordinators see the open request, answer it; the project's staff read the answer.
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await coordinator.Goto("/projets");
        await coordinator.Page.GetByRole(AriaRole.Link, new() { Name = "Modèle de document — Second poste d'ISCG à Aubervilliers" }).ClickAsync();
        await coordinator.Page.GetByLabel("Répondre").FillAsync("Voici le modèle de convention tripartite validé en 2025.");
        await coordinator.Page.GetByRole(AriaRole.Button, new() { Name = "Envoyer", Exact = true }).ClickAsync();
        await Expect(coordinator.Page.GetByText("Réponse envoyée.")).ToBeVisibleAsync();
        await coordinator.Check("23-appui-coordination");

        await staff.Goto(projectPath);
        var request = page.Locator("section[aria-labelledby=appui-titre] article");
        await Expect(request).ToContainTextAsync("Coordination nationale");
        await Expect(request).ToContainTextAsync("Voici le modèle de convention tripartite validé en 2025.");
        await Expect(request).ToContainTextAsync("Répondue");
    }
}

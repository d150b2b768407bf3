using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class DashboardJourneyTests(PortalPlatform platform)
{
    [Fact]
    public async Task A_coordinator_sees_the_counts_move_small_counts_hidden_and_exports_a_csv()
    {
        // One hand-off at least, so the national table has something to hide.
        await (await platform.Api(Roles.IscgWorker, PortalPlatform.IscgPost, "u-iscg").SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = PortalPlatform.Association, departement = "93",
            person = new { ageBand = "from18To25", minorsInvolved = false }, situation = "assault",
            needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "written", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);

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
}

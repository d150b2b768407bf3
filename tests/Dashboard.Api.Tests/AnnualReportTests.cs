using System.Globalization;
using ClosedXML.Excel;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>The yearly report: the XLSX opened with ClosedXML and checked cell by cell against the same report as JSON.</summary>
public class AnnualReportTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Iscg = Guid.NewGuid(), Aav = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-2);
    private static readonly int Year = TimeZoneInfo.ConvertTime(Day, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year;
    private static readonly SeedOnce Seeding = new();

    public sealed record Family(string Sheet, string Meaning, IndicatorView View);

    public sealed record Report(int Year, string Scope, Guid? Organisation, bool Suppressed, DateTimeOffset GeneratedAt, IReadOnlyList<Family> Families);

    /// <summary>In 23: 14 hand-offs ISCG → AAV, 12 accepted after 2 h, 2 declined (small counts to hide nationally).</summary>
    private Task Seed() => Seeding.RunAsync(async () =>
    {
        await factory.Publish(new OrganisationRegistered(Iscg, OrganisationKinds.IscgPost, null, "police", ["23"], [], true, 1, Day.AddDays(-30)));
        await factory.Publish(new OrganisationRegistered(Aav, OrganisationKinds.VictimSupportAssociation, null, null, ["23"], [], true, 1, Day.AddDays(-30)));
        for (var i = 0; i < 14; i++)
        {
            var id = Guid.NewGuid();
            await factory.Publish(new ReferralSent(id, Iscg, Aav, "23", "standard", "assault", ["famille--violences-intrafamiliales"], false, false,
                Day.AddHours(48), Day.AddDays(30), null, 3, Day));
            if (i < 12) await factory.Publish(new ReferralAccepted(id, Iscg, Aav, "23", "standard", 4, Day.AddHours(2)));
            else await factory.Publish(new ReferralDeclined(id, Iscg, Aav, "23", "standard", ["no-capacity"], "organisation", 4, Day.AddHours(2)));
        }
        await HttpClientExtensions.Eventually(async () => (await Json(Roles.AssociationStaff, Aav)).Families[0].View.Table("by-side")["received"]["total"],
            total => total == "14", TimeSpan.FromSeconds(30), "the hand-offs projected");
    });

    private HttpClient Client(string role, Guid? organisation = null) => factory.CreateClient().As(TestTokens.For(role, organisation));

    private async Task<Report> Json(string role, Guid? organisation = null) =>
        await (await When(() => Client(role, organisation).GetAsync($"/api/dashboard/annual-report/{Year}")).Then(HttpStatusCode.OK)).Body<Report>();

    private async Task<XLWorkbook> Workbook(string role, Guid? organisation = null)
    {
        var response = (await When(() => Client(role, organisation).GetAsync($"/api/dashboard/annual-report/{Year}.xlsx")).Then(HttpStatusCode.OK)).Response;
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>Every table of every family: its title, then its header, then each row's label and values, as the JSON says.</summary>
    private static void SameFigures(Report report, XLWorkbook workbook)
    {
        Assert.Equal(["Couverture", .. report.Families.Select(f => f.Sheet)], workbook.Worksheets.Select(s => s.Name));
        var cover = workbook.Worksheet("Couverture");
        Assert.Contains($"Bilan annuel de la convention", cover.Cell(1, 1).GetString());
        Assert.Contains(Year.ToString(), cover.Cell(1, 1).GetString());
        Assert.Equal(new DateTime(Year, 1, 1), cover.Cell(4, 2).GetDateTime());
        Assert.Equal("dd/mm/yyyy", cover.Cell(4, 2).Style.NumberFormat.Format);
        foreach (var family in report.Families)
        {
            var sheet = workbook.Worksheet(family.Sheet);
            Assert.Equal(family.Meaning, sheet.Cell(2, 1).GetString());
            var row = 4;
            foreach (var table in family.View.Tables)
            {
                Assert.Equal(table.Title, sheet.Cell(row, 1).GetString());
                row += 2;
                foreach (var line in table.Rows)
                {
                    Assert.Equal(line.Label, sheet.Cell(row, 1).GetString());
                    for (var c = 0; c < table.Columns.Count; c++)
                    {
                        var cell = sheet.Cell(row, c + 2);
                        var value = line.Values.GetValueOrDefault(table.Columns[c]);
                        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                        {
                            Assert.Equal(number, cell.GetDouble(), 9);
                            Assert.NotEqual("General", cell.Style.NumberFormat.Format);
                        }
                        else Assert.Equal(value ?? "—", cell.GetString());
                    }
                    row++;
                }
                if (table.Rows.Count == 0) row++;
                row++;
            }
        }
    }

    [Fact]
    public async Task Coordinators_get_the_national_year_suppressed_in_json_and_xlsx_alike()
    {
        await Seed();
        var report = await Json(Roles.NationalCoordinator);
        Assert.Equal(("national", true), (report.Scope, report.Suppressed));
        Assert.Equal(["Orientations", "Formations", "Projets"], report.Families.Select(f => f.Sheet));
        Assert.Equal("< 11", report.Families[0].View.Table("answers")["declined"]["count"]);
        using var workbook = await Workbook(Roles.NationalCoordinator);
        SameFigures(report, workbook);
    }

    [Fact]
    public async Task Staff_get_their_own_organisation_unsuppressed()
    {
        await Seed();
        var report = await Json(Roles.AssociationStaff, Aav);
        Assert.Equal(("organisation", false, Aav), (report.Scope, report.Suppressed, report.Organisation!.Value));
        Assert.Equal("2", report.Families[0].View.Table("by-side")["received"]["declined"]);
        using var workbook = await Workbook(Roles.AssociationStaff, Aav);
        SameFigures(report, workbook);
        var sheet = workbook.Worksheet("Mon organisation");
        Assert.Contains(sheet.CellsUsed(), cell => cell.DataType == XLDataType.Number && cell.GetDouble() == 14);
    }

    [Fact]
    public async Task A_year_outside_the_agreement_or_a_stranger_is_refused_in_french()
    {
        var problem = await (await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/annual-report/1999.xlsx"))
            .Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("Année invalide", Assert.Single(problem.Errors!["year"]));
        var stranger = await (await When(() => Client("service").GetAsync($"/api/dashboard/annual-report/{Year}")).Then(HttpStatusCode.Forbidden)).Problem();
        Assert.Contains("réservés aux coordinateurs nationaux", stranger.Detail);
    }
}

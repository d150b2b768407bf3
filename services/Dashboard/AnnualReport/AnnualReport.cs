using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.MyOrganisation;
using Coordination.Dashboard.Projects;
using Coordination.Dashboard.Referrals;
using Coordination.Dashboard.Training;
using Coordination.ServiceDefaults.Http;
using Npgsql;

namespace Coordination.Dashboard.AnnualReport;

/// <summary>
/// The yearly report to the agreement's steering committee ("Bilan annuel de la convention"): for one calendar year in
/// Paris time, every indicator family as its view (national and suppressed for coordinators; the caller's own
/// organisation, unsuppressed, for staff), as JSON or as an XLSX workbook (<see cref="AnnualReportWorkbook"/>).
/// </summary>
public static class AnnualReports
{
    public const int FirstYear = 2020;

    /// <summary>One family of indicators: the name of its sheet and the view it shows.</summary>
    public sealed record Family(string Sheet, string Meaning, IndicatorView View);

    public sealed record Report(int Year, string Scope, Guid? Organisation, bool Suppressed, DateTimeOffset GeneratedAt, IReadOnlyList<Family> Families);

    public static RouteGroupBuilder MapAnnualReport(this RouteGroupBuilder group)
    {
        group.MapGet("/annual-report/{year:int}", (int year, HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
                Answer(year, http, db, time, ct, report => TypedResults.Ok(report)))
            .WithName("GetAnnualReport")
            .WithSummary("The yearly report: every indicator family for a calendar year (national and suppressed, or the caller's organisation).");
        group.MapGet("/annual-report/{year:int}.xlsx", (int year, HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
                Answer(year, http, db, time, ct, report => TypedResults.File(AnnualReportWorkbook.Write(report),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"bilan-annuel-{report.Year}-{report.Scope}.xlsx")))
            .WithName("GetAnnualReportWorkbook")
            .WithSummary("The same report as an XLSX workbook: a cover sheet, then one sheet per indicator family, French formats.");
        return group;
    }

    private static Task<IResult> Answer(int year, HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct, Func<Report, IResult> answer) =>
        IndicatorQuery.Answer(http, time, async query =>
        {
            var thisYear = ParisTime.DayOf(time.GetUtcNow()).Year;
            if (year < FirstYear || year > thisYear)
                return Problems.Invalid(new Dictionary<string, string[]> { ["year"] = [$"Année invalide : de {FirstYear} à {thisYear}."] });
            return answer(await Compute(year, query, db, time, ct));
        });

    public static async Task<Report> Compute(int year, IndicatorQuery asked, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var query = asked with
        {
            Period = Period.Month,
            Compare = false,
            From = ParisTime.StartOf(new DateOnly(year, 1, 1)),
            To = ParisTime.StartOf(new DateOnly(year + 1, 1, 1)),
        };
        var families = new List<Family>();
        if (query.Suppress)
            families.Add(new("Orientations", "Les orientations envoyées dans l'année (une orientation, une personne) : réponses, sens, délais, motifs, besoins, issues, par mois.",
                await ReferralIndicators.Compute(query, db, ct)));
        else
            families.Add(new("Mon organisation", "Les orientations envoyées et reçues par votre organisation, ses délais face aux délais attendus, ses refus, issues et besoins, par mois.",
                await OrganisationIndicators.Compute(query, db, ct)));
        families.Add(new("Formations", "Les sessions de formation commune et les interventions communes de l'année, leurs participants et leur fréquentation.",
            await TrainingIndicators.Compute(query, db, ct)));
        families.Add(new("Projets", "Les projets communs (leur étape aujourd'hui), leurs financements et les demandes d'appui ouvertes dans l'année.",
            await ProjectIndicators.Compute(query, db, ct)));
        return new Report(year, query.Scope, query.Organisation, query.Suppress, time.GetUtcNow(), families);
    }
}

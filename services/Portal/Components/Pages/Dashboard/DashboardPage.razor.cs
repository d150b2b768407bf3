using System.Text.Json;
using Coordination.Portal.Api;
using Coordination.Portal.Formatting;
using Microsoft.AspNetCore.Components;

namespace Coordination.Portal.Components.Pages.Dashboard;

/// <summary>
/// The national dashboard: activity per département (map and table), delays, participating organisations and the
/// indicator views, for whole days in Paris time, filtered by département, network, organisation and granularity, and
/// optionally beside the same period a year before.
/// </summary>
public partial class DashboardPage
{
    [SupplyParameterFromQuery(Name = "du")] public string? FromText { get; set; }
    [SupplyParameterFromQuery(Name = "au")] public string? ToText { get; set; }
    [SupplyParameterFromQuery(Name = "departement")] public string? DepartementText { get; set; }
    [SupplyParameterFromQuery(Name = "reseau")] public string? NetworkText { get; set; }
    [SupplyParameterFromQuery(Name = "organisation")] public string? OrganisationText { get; set; }
    [SupplyParameterFromQuery(Name = "granularite")] public string? GranularityText { get; set; }
    [SupplyParameterFromQuery(Name = "comparer")] public string? CompareText { get; set; }
    [SupplyParameterFromQuery(Name = "carte")] public string? MapOfText { get; set; }

    [Inject] private PortalApi Api { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    private NationalFilters filters = null!;
    private IReadOnlyList<(Guid Id, string Name)> organisationChoices = [];
    private ReferralActivity? activity;
    private List<ReferralActivityRow> activityRows = [];
    private ReferralTimings? timings;
    private OrganisationsByDepartement? organisations;
    private Dictionary<string, string> mapValues = [];
    private int mapMax;
    private string statusChart = "{}";
    private ApiProblem? problem;
    private IndicatorView? referrals, training, projects;
    private static readonly string[] StuckColumns = ["stage", "days-in-stage", "overdue-milestones"];

    private string? Departement => filters.Departement;
    private string? MapOf => filters.MapOf;

    /// <summary>The page's filters as the Portal's CSV downloads take them (the API's names, whole days).</summary>
    private string IndicatorCsv(string view) => $"/tableau-de-bord/indicateurs-{view}.csv?{filters.ApiQuery}";

    private string CsvLink => $"/tableau-de-bord/orientations.csv?{filters.ApiQuery}";

    private static string AsOf(IndicatorView view) => DashboardFilters.AsOf(view.AsOf);

    protected override async Task OnInitializedAsync()
    {
        filters = NationalFilters.Parse(FromText, ToText, DepartementText, NetworkText, OrganisationText, GranularityText, CompareText, MapOfText, Time.GetUtcNow());
        var directory = await Api.Get<ResultPage<Organisation>>("/api/directory/organisations?pageSize=100"
            + (Departement is null ? "" : $"&departement={Departement}"));
        organisationChoices = [.. (directory.Value?.Items ?? []).OrderBy(o => o.Name, StringComparer.Create(French.Culture, true)).Select(o => (o.Id, o.Name))];

        // The older views take the same scope but have no comparison.
        var scope = (filters with { Compare = false }).ApiQuery;
        var act = await Api.Get<ReferralActivity>($"/api/dashboard/referral-activity?{scope}");
        if (act.Ok) activity = act.Value; else problem = act.Problem;
        // Tolerant: an indicator the Dashboard does not offer (yet) leaves its section out.
        var tim = await Api.Get<ReferralTimings>($"/api/dashboard/referral-timings?{scope}");
        if (tim.Ok) timings = tim.Value;
        var org = await Api.Get<OrganisationsByDepartement>("/api/dashboard/organisations-by-departement" + (Departement is null ? "" : $"?departement={Departement}"));
        if (org.Ok) organisations = org.Value; else problem ??= org.Problem;

        referrals = (await Api.Get<IndicatorView>($"/api/dashboard/indicators/referrals?{filters.ApiQuery}")).Value;
        training = (await Api.Get<IndicatorView>($"/api/dashboard/indicators/training?{filters.ApiQuery}")).Value;
        projects = (await Api.Get<IndicatorView>($"/api/dashboard/indicators/projects?{filters.ApiQuery}")).Value;

        activityRows = activity?.Rows.Where(r => Departement is null || r.Departement == Departement).ToList() ?? [];
        mapValues = MapOf == "organisations"
            ? (organisations?.Rows ?? []).GroupBy(o => o.Departement).ToDictionary(g => g.Key, g => g.Sum(o => o.Organisations).ToString())
            : activity?.Rows.ToDictionary(r => r.Departement, r => r.Total) ?? [];
        mapMax = Math.Max(4, mapValues.Values.Select(v => int.TryParse(v, out var n) ? n : 0).DefaultIfEmpty(0).Max());

        var source = Departement is null ? activity?.ColumnTotals : activityRows.FirstOrDefault()?.Counts;
        var columns = activity?.Columns ?? [];
        statusChart = JsonSerializer.Serialize(new
        {
            type = "bar",
            data = new
            {
                labels = columns.Select(c => French.Label(French.ActivityColumn, c)),
                datasets = new[] { new { label = "Orientations (masquées si moins de 11)", backgroundColor = "#0b4f9c",
                    data = columns.Select(c => int.TryParse(source?.GetValueOrDefault(c), out var n) ? n : (int?)null) } },
            },
            options = new { plugins = new { legend = new { display = false } }, scales = new { y = new { beginAtZero = true, ticks = new { precision = 0 } } } },
        }).Replace("</", "<\\/");
    }

    private static string Hours(double? hours) => hours is null ? "—" : hours < 1 ? $"{Math.Round(hours.Value * 60)} min" : $"{French.Number(hours, "0.#")} h";
}

using System.Text.Json;
using Coordination.Portal.Api;
using Coordination.Portal.Formatting;
using Microsoft.AspNetCore.Components;

namespace Coordination.Portal.Components.Pages.Dashboard;

/// <summary>
/// The staff's own dashboard: the Dashboard's organisation view (the API takes the organisation from the token) and the
/// projects it leads, for whole days in Paris time.
/// </summary>
public partial class OrganisationDashboardPage
{
    [SupplyParameterFromQuery(Name = "du")] public string? FromText { get; set; }
    [SupplyParameterFromQuery(Name = "au")] public string? ToText { get; set; }
    [SupplyParameterFromQuery(Name = "granularite")] public string? Granularity { get; set; }

    private static readonly string[] BySideColumns = ["total", "pending", "accepted", "declined", "redirected", "expired", "withdrawn", "overdue-now"];
    private static readonly string[] TimingColumns =
    [
        "count", "deadline-hours", "median-hours-to-acknowledge", "p90-hours-to-acknowledge", "share-acknowledged-in-time", "median-hours-to-first-contact",
    ];

    private DateOnly From, To;
    private IndicatorView? view, projects;
    private ApiProblem? problem;
    private string trendChart = "{}";

    private string Range => DashboardFilters.Range(From, To, Granularity);

    private string CsvLink => "/tableau-de-bord/mon-organisation/indicateurs.csv?" + Range;

    protected override async Task OnInitializedAsync()
    {
        (From, To) = DashboardFilters.Dates(FromText, ToText, Time.GetUtcNow());
        Granularity = DashboardFilters.Granularities.ContainsKey(Granularity ?? "") ? Granularity : "mois";
        var result = await Api.Get<IndicatorView>($"/api/dashboard/indicators/organisation?{Range}");
        if (result.Ok) view = result.Value; else problem = result.Problem;
        projects = (await Api.Get<IndicatorView>($"/api/dashboard/indicators/projects?{Range}")).Value;

        var trend = view?.Table("trend")?.Rows ?? [];
        int? Count(IndicatorRow row, string side) => int.TryParse(row.Values.GetValueOrDefault(side), out var n) ? n : null;
        trendChart = JsonSerializer.Serialize(new
        {
            type = "line",
            data = new
            {
                labels = trend.Select(r => r.Label),
                datasets = new[]
                {
                    new { label = "Envoyées", borderColor = "#0b4f9c", backgroundColor = "#0b4f9c", data = trend.Select(r => Count(r, "sent")) },
                    new { label = "Reçues", borderColor = "#a33b00", backgroundColor = "#a33b00", data = trend.Select(r => Count(r, "received")) },
                },
            },
            options = new { scales = new { y = new { beginAtZero = true, ticks = new { precision = 0 } } } },
        }).Replace("</", "<\\/");
    }
}

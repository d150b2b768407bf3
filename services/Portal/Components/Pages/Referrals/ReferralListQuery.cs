using Coordination.Portal.Api;

namespace Coordination.Portal.Components.Pages.Referrals;

/// <summary>
/// The list pages' query (<c>statut</c>, <c>reference</c>, <c>tri</c>, <c>curseur</c>, <c>n</c>, plus the inbox's
/// <c>vue</c>), turned into the API's (<c>status</c>, <c>reference</c>, <c>sort</c>, <c>cursor</c>). The statuses offered
/// come from the API's per-status totals; "à traiter" is the API's own default (open referrals).
/// </summary>
public sealed record ReferralListQuery(string? Status, string? Reference, string? Sort, string? Cursor, int PageNumber, string? View)
{
    public const int PageSize = 20;
    public const string AllStatuses = "toutes";

    public string ApiQuery()
    {
        var parts = new List<string> { $"pageSize={PageSize}" };
        // Every status the API has (the keys of its labels), whatever the state machine makes of them.
        if (Status == AllStatuses) parts.Add("status=" + string.Join(",", Formatting.French.ReferralStatus.Keys));
        else if (Status is { Length: > 0 } and not AllStatuses) parts.Add("status=" + Uri.EscapeDataString(Status));
        if (Reference is { Length: > 0 }) parts.Add("reference=" + Uri.EscapeDataString(Reference));
        if (Sort == "dernier-changement") parts.Add("sort=lastChange");
        if (Cursor is { Length: > 0 }) parts.Add("cursor=" + Uri.EscapeDataString(Cursor));
        if (View == "urgentes") parts.Add("urgency=immediate");
        if (View == "en-retard") parts.Add("overdue=true");
        return "?" + string.Join("&", parts);
    }

    /// <summary>The same list from another cursor (null: its first page).</summary>
    public string PageLink(string path, string? cursor, int pageNumber)
    {
        var parts = new List<string>();
        if (Status is { Length: > 0 }) parts.Add("statut=" + Uri.EscapeDataString(Status));
        if (Reference is { Length: > 0 }) parts.Add("reference=" + Uri.EscapeDataString(Reference));
        if (Sort is { Length: > 0 }) parts.Add("tri=" + Uri.EscapeDataString(Sort));
        if (View is { Length: > 0 }) parts.Add("vue=" + Uri.EscapeDataString(View));
        if (cursor is not null) parts.Add("curseur=" + Uri.EscapeDataString(cursor) + "&n=" + pageNumber);
        return parts.Count == 0 ? path : path + "?" + string.Join("&", parts);
    }

    public static Task<ApiResult<ReferralsPage>> Load(PortalApi api, string list, ReferralListQuery query) =>
        api.Get<ReferralsPage>($"/api/referrals/{list}{query.ApiQuery()}");
}

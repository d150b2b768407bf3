namespace Coordination.Portal.Formatting;

/// <summary>
/// Where a number of the organisation's dashboard leads: the list of its sent (<c>/orientations</c>) or received
/// (<c>/boite-de-reception</c>) hand-offs with the statuses that answer counts; "overdue now" (still waiting unacknowledged
/// past the deadline, as the Dashboard counts it) opens either list's overdue view of the hand-offs still "sent".
/// </summary>
public static class OrganisationLinks
{
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["total"] = "Total", ["pending"] = "En attente", ["accepted"] = "Acceptées", ["declined"] = "Déclinées",
        ["redirected"] = "Réorientées", ["expired"] = "Expirées", ["withdrawn"] = "Retirées", ["overdue-now"] = "En retard à ce jour",
    };

    private static readonly IReadOnlyDictionary<string, string> Statuses = new Dictionary<string, string>
    {
        ["total"] = "toutes",
        ["pending"] = "sent,acknowledged,on-hold",
        ["accepted"] = "accepted,in-progress,completed",
        ["declined"] = "declined", ["redirected"] = "redirected", ["expired"] = "expired", ["withdrawn"] = "withdrawn",
    };

    /// <summary>The filtered list behind a cell of the "by side" table; null when there is none.</summary>
    public static string? ListFor(string side, string column)
    {
        var list = side == "sent" ? "/orientations" : "/boite-de-reception";
        if (column == "overdue-now") return list + "?statut=sent&vue=en-retard";
        return Statuses.TryGetValue(column, out var statuses) ? $"{list}?statut={Uri.EscapeDataString(statuses)}" : null;
    }
}

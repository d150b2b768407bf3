using Coordination.Portal.Api;

namespace Coordination.Portal.Formatting;

/// <summary>French labels of the guide of aids.</summary>
public static class AidLabels
{
    public static readonly IReadOnlyDictionary<string, string> Kind = new Dictionary<string, string>
    {
        ["grant"] = "Aide financière", ["loan"] = "Prêt", ["allowance"] = "Allocation", ["compensation"] = "Indemnisation",
        ["servicePayment"] = "Prise en charge", ["inKind"] = "Aide en nature ou dispositif",
    };

    public static readonly IReadOnlyDictionary<string, string> Status = new Dictionary<string, string>
    {
        ["proposed"] = "Proposée, en attente de validation", ["published"] = "Publiée", ["rejected"] = "Proposition refusée", ["withdrawn"] = "Retirée du guide",
    };

    public static readonly IReadOnlyDictionary<string, string> Change = new Dictionary<string, string>
    {
        ["proposed"] = "Proposée", ["published"] = "Publiée", ["proposalRejected"] = "Proposition refusée", ["verified"] = "Vérifiée",
        ["correctionProposed"] = "Correction proposée", ["correctionAccepted"] = "Correction appliquée",
        ["correctionRejected"] = "Correction refusée", ["edited"] = "Modifiée (import)", ["withdrawn"] = "Retirée",
    };

    public static string Scope(AidContentDto content) => content.Scope == "national"
        ? "Nationale (partout en France)"
        : "Locale : " + string.Join(", ", content.Departements.Select(French.Departement))
          + (content.Communes.Length > 0 ? " — " + string.Join(", ", content.Communes) : "");

    public static string? Amount(AidAmountDto amount)
    {
        var range = (amount.Min, amount.Max) switch
        {
            ({ } min, { } max) when min == max => French.Euros(min),
            ({ } min, { } max) => $"de {French.Euros(min)} à {French.Euros(max)}",
            ({ } min, null) => $"à partir de {French.Euros(min)}",
            (null, { } max) => $"jusqu'à {French.Euros(max)}",
            _ => null,
        };
        return (range, amount.Note) switch
        {
            (null, null) => null,
            (null, { } note) => note,
            ({ } r, null) => r,
            ({ } r, { } note) => $"{r} ({note})",
        };
    }

    public static string Situations(string[] situations) =>
        situations.Length == 0 ? "Toutes situations" : string.Join(" ; ", situations.Select(s => French.Label(French.Situation, s)));

    /// <summary>Who acted, as far as the portal can tell without a directory of people: the demo and test ids stay opaque.</summary>
    public static string Who(string userId) => userId;
}

namespace Coordination.Projects;

/// <summary>Field errors with French messages, collected before any decision.</summary>
public sealed class ProjectValidation
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsValid => errors.Count == 0;

    public Dictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
            errors[field] = list = [];
        list.Add(message);
    }

    public string? Text(string? value, string field, int maxLength, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required) Add(field, "Ce champ est obligatoire.");
            return null;
        }
        if (trimmed.Length > maxLength) Add(field, $"Ce champ ne doit pas dépasser {maxLength} caractères.");
        return trimmed;
    }

    /// <summary>Euros as decimals: positive, at most 100 million, at most two decimals (cents).</summary>
    public void Money(decimal? amount, string field, bool required)
    {
        if (amount is null) { if (required) Add(field, "Indiquez un montant en euros."); return; }
        if (amount < 0 || amount > 100_000_000m) Add(field, "Le montant va de 0 à 100 000 000 €.");
        else if (decimal.Round(amount.Value, 2) != amount.Value) Add(field, "Le montant a au plus deux décimales (centimes).");
    }
}

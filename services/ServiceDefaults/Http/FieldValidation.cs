namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// Collects field errors (French messages, keyed by the JSON path of the field) before any decision, for a
/// 400 problem that names every bad field at once. Services extend it with their own checks.
/// </summary>
public class FieldValidation
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

    /// <summary>Trimmed text, or null when empty (an error if required); too long is an error.</summary>
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
}

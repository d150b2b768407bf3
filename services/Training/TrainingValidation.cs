namespace Coordination.Training;

/// <summary>Field errors with French messages, collected before any decision.</summary>
public sealed class TrainingValidation
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
}

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// Query-string enums as the JSON writes them (camelCase), case-insensitive; minimal APIs' own binding is
/// case-sensitive and answers a bare 400 without saying which parameter.
/// </summary>
public static class QueryValues
{
    public static bool TryParseEnum<T>(string? value, out T? parsed) where T : struct, Enum
    {
        parsed = null;
        if (value is null) return true;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var result) && Enum.IsDefined(result) && !value.Any(char.IsAsciiDigit))
        {
            parsed = result;
            return true;
        }
        return false;
    }

    public static string Allowed<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
}

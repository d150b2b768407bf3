using System.Globalization;

namespace Coordination.Portal.Formatting;

public static class Money
{
    /// <summary>"1 234,56", "1234.56" or "1 234 €" → 1234.56; null when empty or not a number (the API then names the field).</summary>
    public static decimal? Parse(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return null;
        var cleaned = new string([.. typed.Where(c => char.IsAsciiDigit(c) || c is ',' or '.' or '-')]).Replace(',', '.');
        return decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

using System.Globalization;
using System.Text;

namespace Coordination.Directory.Aids.Exchanging;

/// <summary>
/// CSV as French spreadsheets write and read it: <c>;</c> between cells, UTF-8 with a byte-order mark (or Excel reads it as
/// Windows-1252), decimal comma, dates as JJ/MM/AAAA, quotes around cells holding <c>;</c>, quotes or line breaks.
/// </summary>
public static class FrenchCsv
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private const char Separator = ';';

    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
            text.Append(string.Join(Separator, row.Select(Quote))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([Separator, '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;

    /// <summary>The rows with the line number each starts on (a quoted cell may span lines). Blank lines are skipped.</summary>
    public static IReadOnlyList<(int Line, string[] Cells)> Read(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var rows = new List<(int, string[])>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        int line = 1, rowStart = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; cell.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0: quoted = true; break;
                case Separator: cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n':
                    EndRow();
                    line++;
                    rowStart = line;
                    break;
                default: cell.Append(c); break;
            }
        }
        EndRow();
        return rows;

        void EndRow()
        {
            cells.Add(cell.ToString());
            cell.Clear();
            if (cells.Any(c => c.Trim().Length > 0))
                rows.Add((rowStart, [.. cells]));
            cells.Clear();
        }
    }

    public static string Amount(decimal? value) => value?.ToString("0.##", French) ?? "";

    public static string Date(DateOnly? value) => value?.ToString("dd/MM/yyyy", French) ?? "";

    public static string Date(DateTimeOffset? value) => value is { } v ? Date(DateOnly.FromDateTime(v.UtcDateTime)) : "";

    /// <summary>"1 234,50", "1234,5 €" or "150": spaces (including the no-break ones spreadsheets write) and the euro sign are ignored.</summary>
    public static bool TryAmount(string cell, out decimal? value)
    {
        value = null;
        var cleaned = new string([.. cell.Where(c => !char.IsWhiteSpace(c) && c is not '\u00A0' and not '\u202F' and not '€')]);
        if (cleaned.Length == 0) return true;
        if (decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, French, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    public static bool TryDate(string cell, out DateOnly? value)
    {
        value = null;
        var trimmed = cell.Trim();
        if (trimmed.Length == 0) return true;
        if (DateOnly.TryParseExact(trimmed, ["dd/MM/yyyy", "d/M/yyyy"], French, DateTimeStyles.None, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    public static string List(IEnumerable<string> values) => string.Join(", ", values);

    public static string[] Items(string cell) =>
        [.. cell.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

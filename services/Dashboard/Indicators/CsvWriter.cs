using System.Text;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// The one CSV writer of the Dashboard (every view's CSV and the open-data file): RFC 4180 records ending in CRLF,
/// ';' between fields as French spreadsheets expect, a field quoted (its quotes doubled) when it holds ';', a quote,
/// a carriage return or a line feed, and UTF-8 with a byte order mark so that Excel reads the accents.
/// </summary>
public sealed class CsvWriter
{
    public const char Separator = ';';
    private readonly StringBuilder text = new();

    public CsvWriter Row(params IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first) text.Append(Separator);
            text.Append(Field(field ?? ""));
            first = false;
        }
        text.Append("\r\n");
        return this;
    }

    public static string Field(string value) =>
        value.IndexOfAny([Separator, '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];

    /// <summary>The CSV as a download.</summary>
    public IResult AsFile(string fileName) => TypedResults.File(ToBytes(), "text/csv; charset=utf-8", fileName);
}

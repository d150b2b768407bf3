using System.Text;
using Coordination.Dashboard.Indicators;
using Xunit;

namespace Coordination.Dashboard.Tests;

/// <summary>The one CSV writer behind every Dashboard CSV and the open-data file: RFC 4180 with ';', UTF-8 with BOM.</summary>
public class CsvWriterTests
{
    private static string Text(CsvWriter csv, out byte[] bytes)
    {
        bytes = csv.ToBytes();
        return Encoding.UTF8.GetString(bytes.AsSpan(Encoding.UTF8.GetPreamble().Length));
    }

    [Fact]
    public void Starts_with_the_utf8_byte_order_mark_so_that_spreadsheets_read_the_accents()
    {
        Text(new CsvWriter().Row("Déclinées"), out var bytes);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("Déclinées\r\n", Encoding.UTF8.GetString(bytes.AsSpan(3)));
    }

    [Fact]
    public void Plain_fields_are_written_as_they_are_separated_by_semicolons_each_record_ending_in_crlf()
    {
        var text = Text(new CsvWriter().Row("93", "Seine-Saint-Denis", "< 11").Row("69", "Rhône", "secret"), out _);
        Assert.Equal("93;Seine-Saint-Denis;< 11\r\n69;Rhône;secret\r\n", text);
    }

    [Theory]
    [InlineData("Association; antenne Nord", "\"Association; antenne Nord\"")]
    [InlineData("Le \"Relais\"", "\"Le \"\"Relais\"\"\"")]
    [InlineData("première ligne\nseconde ligne", "\"première ligne\nseconde ligne\"")]
    [InlineData("retour\r\nchariot", "\"retour\r\nchariot\"")]
    [InlineData("", "")]
    public void A_field_holding_a_separator_a_quote_or_a_line_break_is_quoted_with_its_quotes_doubled(string value, string written)
    {
        Assert.Equal(written, CsvWriter.Field(value));
        Assert.Equal($"a;{written};b\r\n", Text(new CsvWriter().Row("a", value, "b"), out _));
    }

    [Fact]
    public void A_missing_value_is_an_empty_field()
    {
        Assert.Equal("rate;;0.5\r\n", Text(new CsvWriter().Row("rate", null, "0.5"), out _));
    }

    [Fact]
    public void What_is_written_reads_back_field_by_field()
    {
        string[] fields = ["Le \"Relais\"; Nord", "deux\nlignes", "simple", ""];
        var text = Text(new CsvWriter().Row(fields), out _);
        Assert.Equal(fields, ReadRecord(text));
    }

    /// <summary>A minimal RFC 4180 reader for one record, independent of the writer.</summary>
    private static List<string> ReadRecord(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (quoted)
            {
                if (character != '"') field.Append(character);
                else if (index + 1 < text.Length && text[index + 1] == '"') field.Append(text[++index]);
                else quoted = false;
            }
            else if (character == '"') quoted = true;
            else if (character == ';') { fields.Add(field.ToString()); field.Clear(); }
            else if (character == '\r' && text[index + 1] == '\n') { fields.Add(field.ToString()); return fields; }
            else field.Append(character);
        }
        throw new InvalidOperationException("The record does not end in CRLF.");
    }
}

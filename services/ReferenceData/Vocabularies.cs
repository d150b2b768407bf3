using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Coordination.ReferenceData;

public sealed record Departement(string Code, string Name, string RegionCode);

public sealed record Region(string Code, string Name);

/// <summary>An entry of a data·inclusion vocabulary (or one of the project's own codes).</summary>
public sealed record VocabularyEntry(string Code, string Label);

/// <summary>The reference vocabularies every service validates codes against.</summary>
public static class Vocabularies
{
    // Declared first: static initialisers run in textual order and the ones below use it.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static readonly FrozenDictionary<string, Departement> Departements =
        Load<DepartementRow>("departements.json")
            .ToFrozenDictionary(d => d.Code, d => new Departement(d.Code, d.Nom, d.Region));

    public static readonly FrozenDictionary<string, Region> Regions =
        Load<RegionRow>("regions.json").ToFrozenDictionary(r => r.Code, r => new Region(r.Code, r.Nom));

    /// <summary>Needs: the data·inclusion thematiques plus the project's own <c>coordination--</c> codes.</summary>
    public static readonly FrozenDictionary<string, VocabularyEntry> Needs =
        Load<EntryRow>("thematiques.json").Concat(Load<EntryRow>("coordination-needs.json"))
            .ToFrozenDictionary(e => e.Value, e => new VocabularyEntry(e.Value, e.Label));

    /// <summary>Partner networks (data·inclusion "réseaux porteurs": caf, cpam, ccas-cias, chrs…).</summary>
    public static readonly FrozenDictionary<string, VocabularyEntry> PartnerNetworks =
        Load<EntryRow>("reseaux-porteurs.json").ToFrozenDictionary(e => e.Value, e => new VocabularyEntry(e.Value, e.Label));

    public static readonly FrozenDictionary<string, VocabularyEntry> Publics =
        Load<EntryRow>("publics.json").ToFrozenDictionary(e => e.Value, e => new VocabularyEntry(e.Value, e.Label));

    private static List<T> Load<T>(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded reference file {name} is missing.");
        return JsonSerializer.Deserialize<List<T>>(stream, Options)
            ?? throw new InvalidOperationException($"Embedded reference file {name} is empty.");
    }

    private sealed record DepartementRow(string Code, string Nom, string Region);
    private sealed record RegionRow(string Code, string Nom);
    private sealed record EntryRow(string Value, string Label);
}

using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Training.Modules;

/// <summary>The catalogue entry of a module, with the history of its versions.</summary>
public sealed record ModuleDetails(
    Guid Id, int Version, ModuleContent Content, bool Retired, string? RetiredBecause,
    IReadOnlyList<ModuleVersion> Versions, long StreamVersion);

public sealed record ModuleVersion(int Version, ModuleContent Content, DateTimeOffset At);

public sealed partial class ModuleDetailsProjection : SingleStreamProjection<ModuleDetails, Guid>
{
    public override ModuleDetails? Evolve(ModuleDetails? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, ModulePublished p) => new ModuleDetails(p.ModuleId, 1, p.Content, false, null, [new ModuleVersion(1, p.Content, p.At)], e.Version),
        (null, _) => null,
        (_, ModuleRevised r) => snapshot with
        {
            Version = r.Version,
            Content = r.Content,
            Versions = [.. snapshot.Versions, new ModuleVersion(r.Version, r.Content, r.At)],
            StreamVersion = e.Version,
        },
        (_, ModuleRetired r) => snapshot with { Retired = true, RetiredBecause = r.Reason, StreamVersion = e.Version },
        _ => snapshot,
    };
}

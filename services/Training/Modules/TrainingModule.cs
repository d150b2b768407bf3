using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Training.Modules;

public enum Audience { IscgWorkers, AssociationStaff, Both, Partners }

public enum TrainingFormat { InPerson, Remote, Hybrid }

public sealed record ModuleContent(
    string Title, string Objectives, Audience Audience, int DurationMinutes, TrainingFormat Format, IReadOnlyList<Guid> CoDesignedBy);

public sealed record ModulePublished(Guid ModuleId, ModuleContent Content, string By, DateTimeOffset At);

/// <summary>A new version; sessions already scheduled keep the version they were scheduled with.</summary>
public sealed record ModuleRevised(Guid ModuleId, int Version, ModuleContent Content, string By, DateTimeOffset At);

public sealed record ModuleRetired(Guid ModuleId, string Reason, string By, DateTimeOffset At);

public sealed record TrainingModule(Guid Id, int Version, ModuleContent Content, bool Retired);

public static class ModuleEvolution
{
    public static TrainingModule? Evolve(TrainingModule? state, object @event) => (state, @event) switch
    {
        (null, ModulePublished p) => new TrainingModule(p.ModuleId, 1, p.Content, false),
        (null, _) => null,
        (_, ModuleRevised r) => state with { Version = r.Version, Content = r.Content },
        (_, ModuleRetired) => state with { Retired = true },
        _ => state,
    };
}

public sealed partial class TrainingModuleProjection : SingleStreamProjection<TrainingModule, Guid>
{
    public override TrainingModule? Evolve(TrainingModule? snapshot, Guid id, IEvent e) => ModuleEvolution.Evolve(snapshot, e.Data);
}

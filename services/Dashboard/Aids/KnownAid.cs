using Coordination.Contracts.Directory;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using JasperFx.Events.Projections;

namespace Coordination.Dashboard.Aids;

/// <summary>
/// The Dashboard's view of one aid of the Directory's guide: where it applies, which needs it answers, when it was last
/// verified. Messages may arrive out of order: the content and the verification each keep the source version they were set
/// from and ignore anything older; a withdrawal is final.
/// </summary>
public sealed record KnownAid(
    Guid Id, bool Published, bool Withdrawn, string? Kind, bool National, string[] Departements, string[] Needs,
    DateTimeOffset? LastVerifiedAt, long ContentVersion, long VerificationVersion, DateTimeOffset LastEventAt);

public sealed partial class KnownAidProjection : SingleStreamProjection<KnownAid, Guid>
{
    public KnownAidProjection()
    {
        IncludeType<AidPublished>();
        IncludeType<AidChanged>();
        IncludeType<AidVerified>();
        IncludeType<AidWithdrawn>();
    }

    public override KnownAid? Evolve(KnownAid? snapshot, Guid id, IEvent e)
    {
        var current = snapshot ?? new KnownAid(id, false, false, null, false, [], [], null, 0, 0, DateTimeOffset.MinValue);
        return e.Data switch
        {
            AidPublished p => Seen(current, p.OccurredAt) with
            {
                Published = true,
                Kind = p.SourceVersion > current.ContentVersion ? p.Kind : current.Kind,
                National = p.SourceVersion > current.ContentVersion ? p.National : current.National,
                Departements = p.SourceVersion > current.ContentVersion ? [.. p.Departements] : current.Departements,
                Needs = p.SourceVersion > current.ContentVersion ? [.. p.Needs] : current.Needs,
                ContentVersion = Math.Max(current.ContentVersion, p.SourceVersion),
                LastVerifiedAt = p.SourceVersion > current.VerificationVersion ? p.LastVerifiedAt : current.LastVerifiedAt,
                VerificationVersion = Math.Max(current.VerificationVersion, p.SourceVersion),
            },
            AidChanged c when c.SourceVersion > current.ContentVersion => Seen(current, c.OccurredAt) with
            {
                Kind = c.Kind,
                National = c.National,
                Departements = [.. c.Departements],
                Needs = [.. c.Needs],
                ContentVersion = c.SourceVersion,
            },
            AidVerified v when v.SourceVersion > current.VerificationVersion =>
                Seen(current, v.OccurredAt) with { LastVerifiedAt = v.VerifiedAt, VerificationVersion = v.SourceVersion },
            AidWithdrawn w => Seen(current, w.OccurredAt) with { Withdrawn = true },
            _ => snapshot,
        };
    }

    private static KnownAid Seen(KnownAid aid, DateTimeOffset at) => at > aid.LastEventAt ? aid with { LastEventAt = at } : aid;
}

/// <summary>What the Dashboard adds for the guide of aids: its view.</summary>
public static class AidsDashboard
{
    /// <summary>The aids' view (their contracts are stored like every Directory contract: see StoredContracts).</summary>
    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add(new KnownAidProjection(), ProjectionLifecycle.Inline);
    }
}

using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Dashboard.Aids;

/// <param name="NationalAids">Published national aids (they apply in every département).</param>
/// <param name="NationalStale">Of those, not verified for 12 months or never.</param>
public sealed record AidsByDepartement(DateTimeOffset? AsOf, int NationalAids, int NationalStale, IReadOnlyList<AidsByDepartementRow> Rows);

/// <param name="KnownAids">National plus local aids that apply in the département.</param>
/// <param name="StaleAids">Of those, "à vérifier" (not verified for 12 months, or never).</param>
/// <param name="NeedsWithoutLocalAid">The needs a victim hand-off carries most that no local aid of the département answers.</param>
public sealed record AidsByDepartementRow(
    string Departement, string DepartementName, int LocalAids, int LocalStale, int KnownAids, int StaleAids, IReadOnlyList<string> NeedsWithoutLocalAid);

public static class AidsByDepartementEndpoint
{
    public static readonly TimeSpan VerificationValidity = TimeSpan.FromDays(365);

    /// <summary>The needs the hand-off form offers (the ones victims' hand-offs carry most): the gaps are looked for among them.</summary>
    public static readonly string[] VictimNeeds =
    [
        "coordination--aide-aux-victimes", "coordination--mise-en-securite", "famille--surmonter-conflits-separation-violence",
        "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "logement-hebergement--se-maintenir-dans-le-logement",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere", "equipement-et-alimentation--alimentation",
        "sante--sante-mentale", "sante--acces-aux-soins",
    ];

    public static AidsByDepartement Compute(IReadOnlyList<KnownAid> known, DateTimeOffset now, string? departement)
    {
        var live = known.Where(a => a.Published && !a.Withdrawn).ToList();
        bool Stale(KnownAid a) => a.LastVerifiedAt is null || a.LastVerifiedAt < now - VerificationValidity;
        var national = live.Where(a => a.National).ToList();
        var nationalStale = national.Count(Stale);
        var rows = Vocabularies.Departements.Values
            .Where(d => departement is null || d.Code == departement)
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .Select(d =>
            {
                var local = live.Where(a => !a.National && a.Departements.Contains(d.Code)).ToList();
                var localStale = local.Count(Stale);
                return new AidsByDepartementRow(d.Code, d.Name, local.Count, localStale, national.Count + local.Count, nationalStale + localStale,
                    [.. VictimNeeds.Where(need => !local.Any(a => a.Needs.Contains(need)))]);
            })
            .ToList();
        return new AidsByDepartement(known.Count == 0 ? null : known.Max(a => a.LastEventAt), national.Count, nationalStale, rows);
    }

    public static RouteGroupBuilder MapAidsByDepartement(this RouteGroupBuilder group)
    {
        group.MapGet("/aids-by-departement", Handle)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("GetAidsByDepartement")
            .WithSummary("Per département: aids known (national + local), stale ones, and victims' needs without a local aid (coordinators and admins).");
        return group;
    }

    private static async Task<Results<Ok<AidsByDepartement>, ValidationProblem>> Handle(
        IQuerySession session, TimeProvider time, CancellationToken ct, string? departement = null)
    {
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });
        // The guide holds hundreds of aids: counting them here is cheap and exact.
        var known = await session.Query<KnownAid>().ToListAsync(ct);
        return TypedResults.Ok(Compute(known, time.GetUtcNow(), departement));
    }
}

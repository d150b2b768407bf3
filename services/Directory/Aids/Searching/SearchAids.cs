using System.Globalization;
using System.Text;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.ReferenceData;

namespace Coordination.Directory.Aids.Searching;

/// <summary>One aid found, with why it ranks where it does.</summary>
/// <param name="MatchedNeeds">The searched needs this aid answers (all of its needs when none was searched).</param>
public sealed record AidFound(AidDetails Aid, bool ToVerify, IReadOnlyList<string> MatchedNeeds);

public sealed record AidsFound(IReadOnlyList<AidFound> Items, int Page, int PageSize, long Total);

public sealed record AidSearch(
    string? Departement, IReadOnlyList<string> Needs, AidSituation? Situation, AidKind? Kind, string? Text, bool? ToVerify, Guid? Grantor = null);

public static class SearchAidsEndpoint
{
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapSearchAids(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle)
            .WithName("SearchAids")
            .WithSummary("Published aids for a département (national + local), needs, situation, kind, free text or granting organisation; most relevant first.");
        return group;
    }

    /// <summary>
    /// Relevance, pure: every searched need an aid answers counts most; then a local aid of the département before a national
    /// one (more specific, and usually faster); then an aid that names the situation before one open to every situation.
    /// </summary>
    public static IReadOnlyList<AidFound> Rank(IEnumerable<AidDetails> published, AidSearch search, DateTimeOffset now)
    {
        var words = Normalise(search.Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return
        [
            .. published
                .Where(a => a.Status == AidStatus.Published)
                .Where(a => search.Departement is null || a.Content.AppliesIn(search.Departement))
                .Where(a => search.Needs.Count == 0 || a.Content.Needs.Any(search.Needs.Contains))
                .Where(a => search.Situation is not { } s || a.Content.Situations.Count == 0 || a.Content.Situations.Contains(s))
                .Where(a => search.Kind is not { } k || a.Content.Kind == k)
                .Where(a => search.Grantor is not { } g || a.Content.Grantor.OrganisationId == g)
                .Where(a => words.Length == 0 || words.All(Searchable(a).Contains))
                .Where(a => search.ToVerify is not { } flag || Aid.IsStale(a.Status, a.LastVerifiedAt, now) == flag)
                .Select(a => new AidFound(a, Aid.IsStale(a.Status, a.LastVerifiedAt, now),
                    search.Needs.Count == 0 ? [.. a.Content.Needs] : [.. a.Content.Needs.Where(search.Needs.Contains)]))
                .OrderByDescending(f => search.Needs.Count == 0 ? 0 : f.MatchedNeeds.Count)
                .ThenByDescending(f => search.Departement is not null && f.Aid.Content.Scope == AidScope.Local)
                .ThenByDescending(f => search.Situation is { } s && f.Aid.Content.Situations.Contains(s))
                .ThenBy(f => f.Aid.Content.Name, StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), ignoreCase: true))
                .ThenBy(f => f.Aid.Id),
        ];
    }

    /// <summary>Lower case without accents, so that "hebergement" finds "Hébergement".</summary>
    public static string Normalise(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsLetterOrDigit(c) ? c : ' ');
        return new string([.. kept]).Normalize(NormalizationForm.FormC);
    }

    private static string Searchable(AidDetails aid) =>
        Normalise($"{aid.Content.Name} {aid.Content.Grantor.Name} {aid.Content.Eligibility} {string.Join(' ', aid.Content.Communes)}");

    private static async Task<Results<Ok<AidsFound>, ValidationProblem>> Handle(
        IQuerySession session, TimeProvider time, CancellationToken ct,
        string? departement = null, string[]? need = null, string? situation = null, string? kind = null, string? q = null,
        bool? toVerify = null, Guid? organisation = null, int page = 1, int pageSize = 20)
    {
        var validation = new AidValidation();
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            validation.Add("departement", "Ce n'est pas un code de département INSEE.");
        var needs = (need ?? []).Where(n => n.Length > 0).Distinct().ToArray();
        foreach (var unknown in needs.Where(n => !Vocabularies.Needs.ContainsKey(n)))
            validation.Add("need", $"« {unknown[..Math.Min(unknown.Length, 40)]} » n'est pas un besoin connu du référentiel data·inclusion.");
        if (needs.Length > 20)
            validation.Add("need", "Pas plus de 20 besoins par recherche.");
        if (!QueryValues.TryParseEnum<AidSituation>(situation, out var situationFilter))
            validation.Add("situation", $"Situation inconnue : {QueryValues.Allowed<AidSituation>()}.");
        if (!QueryValues.TryParseEnum<AidKind>(kind, out var kindFilter))
            validation.Add("kind", $"Nature inconnue : {QueryValues.Allowed<AidKind>()}.");
        if (q?.Length > 200)
            validation.Add("q", "La recherche ne doit pas dépasser 200 caractères.");
        if (page < 1)
            validation.Add("page", "La page commence à 1.");
        if (pageSize is < 1 or > MaxPageSize)
            validation.Add("pageSize", $"La taille de page va de 1 à {MaxPageSize}.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        // The guide holds hundreds of aids, not millions: the published ones of the département come from PostgreSQL,
        // and the ranking (accent-insensitive text, relevance) runs here where it can be tested as a pure function.
        IQueryable<AidDetails> query = session.Query<AidDetails>().Where(a => a.Status == AidStatus.Published);
        if (departement is not null)
            query = query.Where(a => a.Content.Scope == AidScope.National || a.Content.Departements.Contains(departement));
        var candidates = await query.ToListAsync(ct);

        var ranked = Rank(candidates, new AidSearch(departement, needs, situationFilter, kindFilter, q, toVerify, organisation), time.GetUtcNow());
        return TypedResults.Ok(new AidsFound([.. ranked.Skip((page - 1) * pageSize).Take(pageSize)], page, pageSize, ranked.Count));
    }
}

using Coordination.ReferenceData;

namespace Coordination.Directory.Aids;

/// <summary>An aid as a client sends it (JSON body, or one row of the CSV import once its cells are read).</summary>
/// <param name="Id">Optional client-chosen id on creation: repeating the same proposal then answers 409 instead of creating a twin.</param>
/// <param name="Departements">Required for a local aid, absent for a national one.</param>
public sealed record AidContentRequest(
    Guid? Id, string? Name, AidKind? Kind, Guid? GrantorOrganisationId, string? GrantorName, AidScope? Scope,
    IReadOnlyList<string>? Departements, IReadOnlyList<string>? Communes, IReadOnlyList<string>? Needs,
    IReadOnlyList<AidSituation>? Situations, string? Eligibility, string? HowToApply, string? DocumentsToBring,
    string? TypicalDelay, decimal? AmountMin, decimal? AmountMax, string? AmountNote, string? SourceUrl,
    DateOnly? AvailableFrom, DateOnly? AvailableUntil);

/// <summary>Field checks of an aid's content. Messages are French: a person reads them (in the portal or the import report).</summary>
public sealed class AidValidation : Coordination.ServiceDefaults.Http.FieldValidation
{
    /// <summary>
    /// The checked content, or null when a field is wrong (the errors say which). <paramref name="grantorOrganisationName"/> is the
    /// Directory's name of <c>GrantorOrganisationId</c> when it exists (null when it does not: an error).
    /// </summary>
    public AidContent? Content(AidContentRequest request, string? grantorOrganisationName)
    {
        var name = Text(request.Name, "name", 200, required: true);
        if (request.Kind is null)
            Add("kind", "Précisez la nature de l'aide : grant, loan, allowance, compensation, servicePayment ou inKind.");

        var grantorName = Text(request.GrantorName, "grantorName", 200, required: false);
        if (request.GrantorOrganisationId is { } organisationId)
        {
            if (organisationId == Guid.Empty || grantorOrganisationName is null)
                Add("grantorOrganisationId", "Aucune organisation du répertoire ne porte cet identifiant.");
            grantorName ??= grantorOrganisationName;
        }
        else if (grantorName is null)
            Add("grantorName", "Indiquez qui accorde l'aide (par exemple « CAF », « Conseil départemental », « CCAS de la commune »).");

        string[] departements = [];
        if (request.Scope is null)
            Add("scope", "Précisez la portée de l'aide : national ou local.");
        else if (request.Scope == AidScope.National)
        {
            if (request.Departements is { Count: > 0 })
                Add("departements", "Une aide nationale s'applique partout : ne listez pas de départements (ou choisissez la portée locale).");
            if (request.Communes is { Count: > 0 })
                Add("communes", "Une aide nationale ne se limite pas à des communes.");
        }
        else if (request.Departements is null || request.Departements.Count == 0)
            Add("departements", "Une aide locale s'applique dans au moins un département (code INSEE, par exemple \"93\").");
        else
        {
            foreach (var code in request.Departements.Where(c => !Vocabularies.Departements.ContainsKey(c ?? "")).Distinct())
                Add("departements", $"« {Truncate(code)} » n'est pas un code de département INSEE.");
            departements = [.. request.Departements.Distinct().Order(StringComparer.Ordinal)];
        }

        var communes = (request.Communes ?? []).Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct().ToArray();
        if (communes.Length > 50) Add("communes", "Pas plus de 50 communes.");
        if (communes.Any(c => c.Length > 100)) Add("communes", "Un nom de commune ne dépasse pas 100 caractères.");

        string[] needs = [];
        if (request.Needs is null || request.Needs.Count == 0)
            Add("needs", "Indiquez au moins un besoin auquel l'aide répond (code data·inclusion).");
        else
        {
            foreach (var code in request.Needs.Where(c => !Vocabularies.Needs.ContainsKey(c ?? "")).Distinct())
                Add("needs", $"« {Truncate(code)} » n'est pas un besoin connu du référentiel data·inclusion.");
            needs = [.. request.Needs.Distinct().Order(StringComparer.Ordinal)];
        }
        var situations = (request.Situations ?? []).Distinct().Order().ToArray();

        var eligibility = Text(request.Eligibility, "eligibility", 2000, required: true);
        var howToApply = Text(request.HowToApply, "howToApply", 2000, required: true);
        var documents = Text(request.DocumentsToBring, "documentsToBring", 1000, required: false);
        var delay = Text(request.TypicalDelay, "typicalDelay", 200, required: false);

        if (request.AmountMin < 0) Add("amountMin", "Le montant ne peut pas être négatif.");
        if (request.AmountMax < 0) Add("amountMax", "Le montant ne peut pas être négatif.");
        if (request.AmountMin > 10_000_000 || request.AmountMax > 10_000_000) Add("amountMax", "Ce montant paraît trop élevé (plus de 10 millions d'euros).");
        if (request.AmountMin is { } min && request.AmountMax is { } max && min > max)
            Add("amountMax", "Le montant maximum doit être supérieur ou égal au montant minimum.");
        var amountNote = Text(request.AmountNote, "amountNote", 200, required: false);

        var source = Text(request.SourceUrl, "sourceUrl", 500, required: false);
        if (source is null)
            Add("sourceUrl", "Indiquez la source officielle de l'aide (adresse d'une page web, https://…).");
        else if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            Add("sourceUrl", "La source doit être l'adresse d'une page web, commençant par https:// (ou http://).");

        if (request.AvailableFrom is { } from && request.AvailableUntil is { } until && until < from)
            Add("availableUntil", "La date de fin doit être postérieure ou égale à la date de début.");

        if (!IsValid)
            return null;
        return new AidContent(name!, request.Kind!.Value, new AidGrantor(request.GrantorOrganisationId, grantorName!), request.Scope!.Value,
            departements, request.Scope == AidScope.Local ? communes : [], needs, situations, eligibility!, howToApply!, documents, delay,
            new AidAmount(request.AmountMin, request.AmountMax, amountNote), source!, request.AvailableFrom, request.AvailableUntil);
    }

    private static string Truncate(string? value) => value is null ? "null" : value.Length <= 40 ? value : value[..40] + "…";
}

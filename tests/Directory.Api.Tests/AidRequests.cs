namespace Coordination.Directory.Api.Tests;

/// <summary>Aid request bodies as a client would send them (plain JSON shapes, not the service's types).</summary>
public static class AidRequests
{
    public const string Housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";
    public const string Violence = "famille--surmonter-conflits-separation-violence";
    public const string Legal = "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire";

    public static Dictionary<string, object?> National(string name, string[]? needs = null, string[]? situations = null, string kind = "grant") => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["grantorName"] = "CAF",
        ["scope"] = "national",
        ["needs"] = needs ?? [Housing],
        ["situations"] = situations ?? Array.Empty<string>(),
        ["eligibility"] = "Victimes de violences conjugales, sur justificatif (plainte, ordonnance de protection).",
        ["howToApply"] = "Demande auprès de la CAF, en ligne ou en agence.",
        ["documentsToBring"] = "Pièce d'identité, justificatif de la situation.",
        ["typicalDelay"] = "3 à 5 jours ouvrés",
        ["amountMin"] = 243.5m,
        ["amountMax"] = 1500m,
        ["amountNote"] = "Selon les ressources et les enfants à charge",
        ["sourceUrl"] = "https://www.caf.fr/allocataires/aides-et-demarches",
    };

    public static Dictionary<string, object?> Local(string name, string[] departements, string[]? needs = null, string[]? situations = null)
    {
        var body = National(name, needs, situations, kind: "servicePayment");
        body["scope"] = "local";
        body["departements"] = departements;
        body["grantorName"] = "CCAS de la commune";
        body["communes"] = new[] { "Montreuil" };
        return body;
    }

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }
}

using System.Globalization;
using Coordination.ReferenceData;

namespace Coordination.Portal.Formatting;

/// <summary>Dates in Europe/Paris as dd/MM/yyyy, euros as « 1 234,56 € », and French labels for the APIs' codes.</summary>
public static class French
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("fr-FR");
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTimeOffset InParis(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Paris);

    public static string Date(DateTimeOffset? at) => at is { } v ? InParis(v).ToString("dd/MM/yyyy", Culture) : "—";

    public static string DateTime(DateTimeOffset? at) => at is { } v ? InParis(v).ToString("dd/MM/yyyy 'à' HH'h'mm", Culture) : "—";

    public static string Date(DateOnly? day) => day is { } d ? d.ToString("dd/MM/yyyy", Culture) : "—";

    /// <summary>For &lt;input type="datetime-local"&gt;: local Paris time.</summary>
    public static string InputDateTime(DateTimeOffset at) => InParis(at).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A datetime-local value typed in Paris time, as an instant.</summary>
    public static DateTimeOffset? FromInputDateTime(string? value)
    {
        if (!System.DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        return new DateTimeOffset(local, Paris.GetUtcOffset(local));
    }

    public static string Euros(decimal amount) => amount.ToString("#,##0.00", Culture) + "\u00a0€";

    public static string Number(double? value, string format = "0.#") => value is { } v ? v.ToString(format, Culture) : "—";

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", Culture) + "\u00a0%" : "—";

    public static string Departement(string code) =>
        Vocabularies.Departements.TryGetValue(code, out var d) ? $"{d.Name} ({d.Code})" : code;

    public static string Need(string code) => Vocabularies.Needs.TryGetValue(code, out var n) ? n.Label : code;

    public static string Label(IReadOnlyDictionary<string, string> labels, string? code) =>
        code is null ? "—" : labels.TryGetValue(code, out var label) ? label : code;

    public static readonly IReadOnlyDictionary<string, string> ReferralStatus = new Dictionary<string, string>
    {
        ["draft"] = "Brouillon", ["sent"] = "Envoyée", ["acknowledged"] = "Reçue, en cours d'examen", ["on-hold"] = "En attente",
        ["accepted"] = "Acceptée", ["in-progress"] = "Accompagnement en cours", ["completed"] = "Clôturée", ["declined"] = "Refusée",
        ["redirected"] = "Réorientée", ["withdrawn"] = "Retirée", ["expired"] = "Expirée", ["entered-in-error"] = "Saisie par erreur",
    };

    public static readonly IReadOnlyDictionary<string, string> Urgency = new Dictionary<string, string>
    {
        ["immediate"] = "Immédiate (réponse sous 2 h)", ["within24Hours"] = "Sous 24 heures", ["standard"] = "Standard",
    };

    public static readonly IReadOnlyDictionary<string, string> UrgencyShort = new Dictionary<string, string>
    {
        ["immediate"] = "Immédiate", ["within24Hours"] = "Sous 24 h", ["within-24-hours"] = "Sous 24 h", ["standard"] = "Standard",
    };

    public static readonly IReadOnlyDictionary<string, string> Situation = new Dictionary<string, string>
    {
        ["intrafamilyViolence"] = "Violences intrafamiliales / conjugales", ["sexualViolence"] = "Violences sexuelles",
        ["assault"] = "Agression, violences", ["propertyOffence"] = "Atteinte aux biens", ["roadAccident"] = "Accident de la route",
        ["otherNonPenal"] = "Autre situation, hors infraction",
    };

    public static readonly IReadOnlyDictionary<string, string> AgeBand = new Dictionary<string, string>
    {
        ["under18"] = "Moins de 18 ans", ["from18To25"] = "18 à 25 ans", ["from26To40"] = "26 à 40 ans",
        ["from41To60"] = "41 à 60 ans", ["over60"] = "Plus de 60 ans",
    };

    public static readonly IReadOnlyDictionary<string, string> ContactKind = new Dictionary<string, string>
    {
        ["phone"] = "Téléphone", ["email"] = "Courriel", ["throughSender"] = "Par l'intermédiaire de l'orienteur", ["other"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> DeclineReason = new Dictionary<string, string>
    {
        ["personUnreachable"] = "Personne injoignable", ["personDidNotAttend"] = "Personne non venue au rendez-vous",
        ["outsideRemit"] = "Hors de nos missions", ["outsideTerritory"] = "Hors de notre territoire",
        ["noCapacity"] = "Pas de place / liste d'attente", ["missingInformation"] = "Informations manquantes",
        ["duplicate"] = "Doublon", ["alreadySupported"] = "Déjà accompagnée ailleurs",
        ["personNoLongerWishesSupport"] = "La personne ne souhaite plus d'accompagnement", ["other"] = "Autre (préciser dans le message)",
    };

    public static readonly IReadOnlyDictionary<string, string> Outcome = new Dictionary<string, string>
    {
        ["helped"] = "Aidée", ["partlyHelped"] = "Partiellement aidée", ["couldNotContact"] = "Impossible à joindre",
        ["notEligible"] = "Non éligible après évaluation", ["noCapacity"] = "Pas de capacité",
        ["personNoLongerWishesSupport"] = "Ne souhaite plus d'accompagnement", ["referredElsewhere"] = "Orientée ailleurs",
    };

    public static readonly IReadOnlyDictionary<string, string> HistoryEvent = new Dictionary<string, string>
    {
        ["referral-drafted"] = "Orientation rédigée", ["consent-recorded"] = "Consentement recueilli",
        ["consent-overridden"] = "Envoyée sans consentement (dérogation)", ["referral-sent"] = "Envoyée",
        ["referral-acknowledged"] = "Accusé de réception", ["referral-put-on-hold"] = "Mise en attente", ["referral-resumed"] = "Reprise",
        ["referral-accepted"] = "Acceptée", ["referral-declined"] = "Refusée", ["referral-redirected"] = "Réorientée",
        ["first-contact-recorded"] = "Premier contact avec la personne", ["referral-completed"] = "Clôturée",
        ["referral-withdrawn"] = "Retirée par l'orienteur", ["referral-expired"] = "Expirée", ["referral-overdue"] = "Délai de réponse dépassé",
        ["referral-entered-in-error"] = "Saisie par erreur", ["referral-message-posted"] = "Message", ["referral-messages-read"] = "Messages lus",
        ["referral-resent"] = "Orientée ailleurs", ["personal-data-erased"] = "Données personnelles effacées",
    };

    public static readonly IReadOnlyDictionary<string, string> OrganisationKind = new Dictionary<string, string>
    {
        ["victimSupportAssociation"] = "Association d'aide aux victimes", ["iscgPost"] = "Poste ISCG", ["partner"] = "Partenaire",
        ["victim-support-association"] = "Association d'aide aux victimes", ["iscg-post"] = "Poste ISCG",
    };

    public static readonly IReadOnlyDictionary<string, string> Audience = new Dictionary<string, string>
    {
        ["iscgWorkers"] = "ISCG", ["associationStaff"] = "Salariés des associations", ["both"] = "ISCG et associations", ["partners"] = "Partenaires",
    };

    public static readonly IReadOnlyDictionary<string, string> TrainingFormat = new Dictionary<string, string>
    {
        ["inPerson"] = "En présentiel", ["remote"] = "À distance", ["hybrid"] = "Hybride",
    };

    public static readonly IReadOnlyDictionary<string, string> SessionStatus = new Dictionary<string, string>
    {
        ["scheduled"] = "Programmée", ["registrationOpen"] = "Inscriptions ouvertes", ["full"] = "Complète (liste d'attente)",
        ["held"] = "Tenue", ["closed"] = "Clôturée", ["cancelled"] = "Annulée",
    };

    public static readonly IReadOnlyDictionary<string, string> Network = new Dictionary<string, string>
    {
        ["aniscg"] = "ANISCG", ["franceVictimes"] = "France Victimes", ["partners"] = "Partenaires",
    };

    public static readonly IReadOnlyDictionary<string, string> Stage = new Dictionary<string, string>
    {
        ["idea"] = "Idée", ["diagnosis"] = "Diagnostic", ["fundingSearch"] = "Recherche de financements", ["conventionSigned"] = "Convention signée",
        ["launched"] = "Lancé", ["running"] = "En fonctionnement", ["evaluated"] = "Évalué", ["abandoned"] = "Abandonné",
    };

    public static readonly IReadOnlyDictionary<string, string> ProjectType = new Dictionary<string, string>
    {
        ["newIscgPost"] = "Création d'un poste d'ISCG", ["jointReceptionPoint"] = "Point d'accueil commun",
        ["partnershipConvention"] = "Convention de partenariat", ["trainingProgramme"] = "Programme de formation",
        ["awarenessCampaign"] = "Campagne de sensibilisation", ["other"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> Funder = new Dictionary<string, string>
    {
        ["stateFipd"] = "État (FIPD)", ["departement"] = "Département", ["commune"] = "Commune", ["caf"] = "CAF", ["region"] = "Région",
        ["ars"] = "ARS", ["foundation"] = "Fondation", ["other"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> FundingDecision = new Dictionary<string, string>
    {
        ["pending"] = "En attente", ["granted"] = "Accordé", ["refused"] = "Refusé",
    };

    public static readonly IReadOnlyDictionary<string, string> SupportKind = new Dictionary<string, string>
    {
        ["modelDocument"] = "Modèle de document", ["fundingFileReview"] = "Relecture d'un dossier de financement",
        ["legalQuestion"] = "Question juridique", ["partnerContact"] = "Mise en relation", ["other"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> SupportStatus = new Dictionary<string, string>
    {
        ["open"] = "Ouverte", ["answered"] = "Répondue", ["closed"] = "Close",
    };

    /// <summary>The Dashboard's activity columns (kebab-case codes).</summary>
    public static readonly IReadOnlyDictionary<string, string> ActivityColumn = new Dictionary<string, string>
    {
        ["sent"] = "Envoyées", ["acknowledged"] = "Reçues", ["on-hold"] = "En attente", ["accepted"] = "Acceptées",
        ["in-progress"] = "En cours", ["completed"] = "Clôturées", ["declined"] = "Refusées", ["redirected"] = "Réorientées",
        ["withdrawn"] = "Retirées", ["expired"] = "Expirées",
    };

    /// <summary>A published count: numbers in French format, "&lt; 11" and "secret" as the API hides them.</summary>
    public static string Count(string? published) => published switch
    {
        null => "—",
        "secret" => "secret",
        _ when int.TryParse(published, out var n) => n.ToString("N0", Culture),
        _ => published,
    };

    public static readonly IReadOnlyDictionary<string, string> Role = new Dictionary<string, string>
    {
        ["iscg_worker"] = "ISCG", ["association_staff"] = "Association", ["partner_staff"] = "Partenaire",
        ["national_coordinator"] = "Coordination nationale", ["admin"] = "Administration",
    };
}

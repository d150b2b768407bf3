using Coordination.ReferenceData;

namespace Coordination.Dashboard.Indicators;

/// <summary>French labels of the codes the contracts carry, for the people who read the views and exports.</summary>
public static class Labels
{
    private static readonly Dictionary<string, string> Known = new()
    {
        // Directions of a hand-off.
        ["iscg-to-association"] = "ISCG → association d'aide aux victimes",
        ["association-to-iscg"] = "Association d'aide aux victimes → ISCG",
        ["to-partner"] = "Vers un partenaire",
        ["from-partner"] = "Depuis un partenaire",
        ["other"] = "Autre",
        // Where a hand-off stands.
        ["pending"] = "En attente de réponse",
        ["accepted"] = "Acceptées",
        ["declined"] = "Déclinées",
        ["redirected"] = "Réorientées",
        ["expired"] = "Expirées sans réponse",
        ["withdrawn"] = "Retirées",
        ["total"] = "Total",
        ["overdue-now"] = "En retard de prise en compte à ce jour",
        // Urgency tiers.
        ["immediate"] = "Immédiate",
        ["within-24-hours"] = "Sous 24 heures",
        ["standard"] = "Standard",
        // Situations.
        ["intrafamily-violence"] = "Violences intrafamiliales",
        ["sexual-violence"] = "Violences sexuelles",
        ["assault"] = "Atteintes aux personnes",
        ["property-offence"] = "Atteintes aux biens",
        ["road-accident"] = "Accident de la circulation",
        ["other-non-penal"] = "Autre situation non pénale",
        ["erased"] = "Non communiquée (données de la personne effacées)",
        // Decline reasons.
        ["person-unreachable"] = "Personne injoignable",
        ["person-did-not-attend"] = "Personne non venue",
        ["outside-remit"] = "Hors du champ d'intervention",
        ["outside-territory"] = "Hors du territoire",
        ["no-capacity"] = "Pas de disponibilité",
        ["missing-information"] = "Informations manquantes",
        ["duplicate"] = "Doublon",
        ["already-supported"] = "Déjà accompagnée",
        ["person-no-longer-wishes-support"] = "La personne ne souhaite plus d'accompagnement",
        // Outcomes.
        ["helped"] = "Aidée",
        ["partly-helped"] = "Partiellement aidée",
        ["could-not-contact"] = "Personne non jointe",
        ["not-eligible"] = "Non éligible",
        ["referred-elsewhere"] = "Orientée ailleurs",
        // Training networks and figures.
        ["iscg"] = "ISCG",
        ["association"] = "Associations d'aide aux victimes",
        ["partner"] = "Partenaires",
        ["scheduled"] = "Programmées",
        ["held"] = "Tenues",
        ["cancelled"] = "Annulées",
        ["fill-rate"] = "Taux de remplissage des sessions tenues",
        ["waitlist-now"] = "Personnes en liste d'attente (sessions à venir)",
        ["mean-satisfaction"] = "Satisfaction moyenne (sur 5)",
        ["evaluations"] = "Évaluations reçues",
        // Project stages and types.
        ["idea"] = "Idée",
        ["diagnosis"] = "Diagnostic",
        ["funding-search"] = "Recherche de financements",
        ["convention-signed"] = "Convention signée",
        ["launched"] = "Lancé",
        ["running"] = "En fonctionnement",
        ["evaluated"] = "Évalué",
        ["abandoned"] = "Abandonné",
        ["new-iscg-post"] = "Création d'un poste d'ISCG",
        ["joint-reception-point"] = "Point d'accueil commun",
        ["partnership-convention"] = "Convention de partenariat",
        ["training-programme"] = "Programme de formation",
        ["awareness-campaign"] = "Campagne de sensibilisation",
        // Funders.
        ["state-fipd"] = "État (FIPD)",
        ["departement"] = "Conseil départemental",
        ["commune"] = "Commune",
        ["caf"] = "CAF",
        ["region"] = "Région",
        ["ars"] = "ARS",
        ["foundation"] = "Fondation",
        // An organisation's own figures.
        ["sent"] = "Envoyées",
        ["received"] = "Reçues",
        ["sessions-attended"] = "Sessions suivies par votre personnel",
        ["staff-attendances"] = "Présences de votre personnel",
        // Support request kinds.
        ["model-document"] = "Document type",
        ["funding-file-review"] = "Relecture d'un dossier de financement",
        ["legal-question"] = "Question juridique",
        ["partner-contact"] = "Mise en relation",
    };

    public static string For(string code) =>
        Known.TryGetValue(code, out var label) ? label
        : Vocabularies.Needs.TryGetValue(code, out var need) ? need.Label
        : Vocabularies.Departements.TryGetValue(code, out var departement) ? departement.Name
        : code == "unknown" ? "Non renseigné"
        : code;
}

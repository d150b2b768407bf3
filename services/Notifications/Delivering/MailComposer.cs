using System.Text;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Rules;
using Coordination.ServiceDefaults.Mail;

namespace Coordination.Notifications.Delivering;

/// <summary>
/// The e-mails, in French. What they may carry is fixed here and nowhere else: the hand-off's reference (derived from its
/// id — the person's own pseudonymous reference stays sealed in Referrals), organisation names, urgency, deadline in
/// Paris time, reason/outcome codes as labels, and a link to the Portal. Never a name, a contact, a situation or a
/// message: the notification does not even hold them.
/// </summary>
public sealed class MailComposer(string portalAddress)
{
    public OutgoingMail Compose(string to, IReadOnlyList<Notification> notifications, Func<Guid?, string> organisationName, bool digest)
    {
        var first = notifications[0];
        var subject = digest
            ? $"[Coordination] Votre récapitulatif du jour : {notifications.Count} notification{(notifications.Count > 1 ? "s" : "")}"
            : "[Coordination] " + Title(first) + Suffix(first);

        var body = new StringBuilder();
        body.AppendLine("Bonjour,").AppendLine();
        if (digest)
            body.AppendLine("Voici ce qui s'est passé depuis votre dernier récapitulatif :").AppendLine();
        foreach (var n in notifications)
        {
            if (digest) body.Append("• ").AppendLine(Title(n) + Suffix(n));
            foreach (var line in Lines(n, organisationName))
                body.Append(digest ? "  " : "").AppendLine(line);
            body.Append(digest ? "  " : "").AppendLine("Voir sur le portail : " + Link(n)).AppendLine();
        }
        body.AppendLine("—")
            .AppendLine("Message automatique de la plateforme Coordination. Pour choisir quelles notifications vous recevez et quand :")
            .AppendLine(portalAddress.TrimEnd('/') + "/notifications/preferences");
        // The address only, no display name: the name is personal data the e-mail does not need. A stable Message-Id:
        // a relay or mailbox that sees the same delivery twice can tell.
        return new OutgoingMail(to, "", subject, body.ToString(), MessageId: $"{first.Id:N}.{(digest ? "digest" : "alert")}@coordination.local");
    }

    public static string Title(Notification n) => n.Kind switch
    {
        "referral-sent" when n.Category == Category.UrgentReferral => "Orientation urgente reçue",
        "referral-sent" => "Nouvelle orientation reçue",
        "referral-overdue" => "Orientation en retard : aucun accusé de réception",
        "referral-accepted" => "Orientation acceptée",
        "referral-declined" => "Orientation refusée",
        "referral-redirected" => "Orientation réorientée",
        "referral-expired" => "Orientation expirée sans réponse",
        "referral-completed" => "Orientation clôturée",
        "referral-message" => "Nouveau message sur une orientation",
        "project-milestone-overdue" => "Jalon de projet en retard",
        "support-request-answered" => "Réponse à votre demande d'appui",
        "training-cancelled" => "Session de formation annulée",
        "training-moved" => "Session de formation déplacée",
        "training-promoted" => "Une place s'est libérée : vous êtes inscrit(e) à la session de formation",
        "training-reminder" => "Rappel : votre session de formation a lieu dans deux jours",
        _ => "Notification",
    };

    private static string Suffix(Notification n) => n.Subject.Type == "referral" ? " – réf. " + Reference(n.Subject.Id) : "";

    /// <summary>The hand-off's short reference: the start of its id, as the Portal shows it.</summary>
    public static string Reference(Guid referralId) => referralId.ToString("N")[..8].ToUpperInvariant();

    public string Link(Notification n) => portalAddress.TrimEnd('/') + n.Subject.Type switch
    {
        "referral" when n.Kind == "referral-redirected" && n.Subject.RelatedId is { } next => $"/orientations/{next}",
        "referral" => $"/orientations/{n.Subject.Id}",
        "project" => $"/projets/{n.Subject.Id}",
        "training-session" => $"/formations/sessions/{n.Subject.Id}",
        _ => "/notifications",
    };

    public static IEnumerable<string> Lines(Notification n, Func<Guid?, string> organisationName)
    {
        var s = n.Subject;
        if (s.Type == "referral")
        {
            yield return "Orientation : réf. " + Reference(s.Id);
            yield return "De : " + organisationName(s.SenderOrganisationId);
            yield return "Vers : " + organisationName(s.ReceiverOrganisationId);
            if (s.Urgency is { } urgency)
                yield return "Urgence : " + Labels.Urgency(urgency);
            if (s.Deadline is { } deadline)
                yield return (n.Kind == "referral-overdue" ? "Accusé de réception attendu avant le " : "À accuser avant le ") + ParisTime.Format(deadline);
            if (n.Kind == "referral-redirected" && s.OtherOrganisationId is { } other)
                yield return "Réorientée vers : " + organisationName(other);
            if (n.Kind == "referral-sent" && s.RelatedId is not null)
                yield return "Cette orientation fait suite à une réorientation.";
            if (n.Kind == "referral-declined" && s.Codes is { Count: > 0 } reasons)
                yield return "Motif(s) : " + string.Join(", ", reasons.Select(Labels.DeclineReason));
            if (n.Kind == "referral-completed" && s.Codes is [var outcome, ..])
                yield return "Issue : " + Labels.Outcome(outcome);
            if (n.OnCall)
                yield return "Vous recevez cette alerte au titre de l'astreinte de votre organisation.";
        }
        else if (s.Type == "training-session")
        {
            if (s.Previous is { } previous)
                yield return "Date prévue jusqu'ici : " + ParisTime.Format(previous);
            if (s.Deadline is { } starts)
                yield return (n.Kind == "training-moved" ? "Nouvelle date : " : "Date de la session : ") + ParisTime.Format(starts);
            if (n.Kind == "training-cancelled")
                yield return "La session n'aura pas lieu ; le motif est indiqué sur le portail.";
        }
        else if (s.Type == "project")
        {
            if (s.Deadline is { } due)
                yield return "Échéance : " + ParisTime.ToParis(due).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
            if (s.Codes is [var kind, ..])
                yield return "Demande : " + Labels.SupportRequestKind(kind);
        }
    }
}

/// <summary>French labels of the contracts' codes.</summary>
public static class Labels
{
    public static string Urgency(string code) => code switch
    {
        "immediate" => "immédiate (accusé de réception sous 2 heures)",
        "within-24-hours" => "sous 24 heures",
        "standard" => "standard",
        _ => code,
    };

    public static string DeclineReason(string code) => code switch
    {
        "person-unreachable" => "personne injoignable",
        "person-did-not-attend" => "personne non venue",
        "outside-remit" => "hors de nos missions",
        "outside-territory" => "hors de notre territoire",
        "no-capacity" => "pas de capacité d'accueil",
        "missing-information" => "informations manquantes",
        "duplicate" => "doublon",
        "already-supported" => "déjà accompagnée ailleurs",
        "person-no-longer-wishes-support" => "la personne ne souhaite plus d'accompagnement",
        "other" => "autre (voir le portail)",
        _ => code,
    };

    public static string Outcome(string code) => code switch
    {
        "helped" => "personne aidée",
        "partly-helped" => "personne partiellement aidée",
        "could-not-contact" => "personne non jointe",
        "not-eligible" => "non éligible après évaluation",
        "no-capacity" => "pas de capacité",
        "person-no-longer-wishes-support" => "la personne ne souhaite plus d'accompagnement",
        "referred-elsewhere" => "orientée ailleurs",
        _ => code,
    };

    public static string SupportRequestKind(string code) => code switch
    {
        "model-document" => "document type",
        "funding-file-review" => "relecture d'un dossier de financement",
        "legal-question" => "question juridique",
        "partner-contact" => "mise en relation",
        _ => "autre",
    };
}

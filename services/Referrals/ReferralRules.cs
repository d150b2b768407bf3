namespace Coordination.Referrals;

/// <summary>The rules every decision shares: who may act, and from which statuses. Messages are French.</summary>
public static class ReferralRules
{
    public static readonly IReadOnlyDictionary<ReferralStatus, string> FrenchStatus = new Dictionary<ReferralStatus, string>
    {
        [ReferralStatus.Draft] = "brouillon",
        [ReferralStatus.Sent] = "envoyée",
        [ReferralStatus.Acknowledged] = "prise en compte",
        [ReferralStatus.OnHold] = "en attente",
        [ReferralStatus.Accepted] = "acceptée",
        [ReferralStatus.InProgress] = "en cours",
        [ReferralStatus.Completed] = "clôturée",
        [ReferralStatus.Declined] = "refusée",
        [ReferralStatus.Redirected] = "réorientée",
        [ReferralStatus.Withdrawn] = "retirée",
        [ReferralStatus.Expired] = "expirée",
        [ReferralStatus.EnteredInError] = "saisie par erreur",
    };

    public static void EnsureReceiver(this Referral referral, Party actor, string action)
    {
        if (actor.OrganisationId != referral.ReceiverOrganisationId)
            throw new AccessDenied($"Seule l'organisation destinataire peut {action}.");
    }

    public static void EnsureSender(this Referral referral, Party actor, string action)
    {
        if (actor.OrganisationId != referral.SenderOrganisationId)
            throw new AccessDenied($"Seule l'organisation qui a envoyé l'orientation peut {action}.");
    }

    /// <summary>One of the hop's two parties (the collector following a later hop reads it but does not write on it).</summary>
    public static void EnsureParty(this Referral referral, Party actor, string action)
    {
        if (actor.OrganisationId != referral.SenderOrganisationId && actor.OrganisationId != referral.ReceiverOrganisationId)
            throw new AccessDenied($"Seules les deux organisations de cette étape du parcours peuvent {action}.");
    }

    public static void EnsureStatus(this Referral referral, string action, params ReferralStatus[] allowed)
    {
        if (!allowed.Contains(referral.Status))
            throw new BusinessRuleViolation(
                $"Impossible de {action} : l'orientation est {FrenchStatus[referral.Status]}. " +
                $"Possible seulement si elle est {string.Join(" ou ", allowed.Select(s => FrenchStatus[s]))}.");
    }
}

using Coordination.DirectoryView;
using Coordination.Referrals.GettingDetails;

namespace Coordination.Referrals;

/// <summary>What a probe of a command gets: the state its Decide reads, who asks, and what some guards look up.</summary>
public sealed record ActionProbe(Referral State, ReferralDetails Details, CurrentUser User, Party? Actor, DateTimeOffset Now, KnownOrganisation? Receiver)
{
    /// <summary>Commands are given by staff acting for an organisation; anyone else is refused before any guard.</summary>
    public Party By => Actor ?? throw new AccessDenied("Seul le personnel d'une organisation agit sur les orientations.");

    /// <summary>An organisation that takes referrals and is neither party: what a redirection or a re-send would name.</summary>
    public static readonly KnownOrganisation AnyOtherReceiver = new(Guid.Empty, null, [], true, true, true, 0, 0);
}

/// <summary>
/// A command on an existing referral, named by its route (<c>POST /api/referrals/{id}/{Name}</c>), with a probe that
/// runs the command's own <c>Decide</c> (or guard) on the current state. <c>allowedActions</c> lists the commands whose
/// probe passes: the API and the Portal never keep a second copy of the state machine.
/// </summary>
public sealed record ReferralAction(string Name, Func<ActionProbe, object> Probe, bool ForPartiesOnly = true)
{
    public static IReadOnlyList<string> AllowedFor(IEnumerable<ReferralAction> actions, ActionProbe probe) =>
        [.. actions.Where(action => Passes(action, probe)).Select(action => action.Name)];

    private static bool Passes(ReferralAction action, ActionProbe probe)
    {
        try
        {
            // The same check as ReferralCommand.Execute: another organisation's referral does not exist for it.
            if (action.ForPartiesOnly && !probe.State.Involves(probe.By.OrganisationId)) return false;
            return action.Probe(probe) is not IReadOnlyList<object> { Count: 0 };
        }
        catch (Exception refused) when (refused is AccessDenied or BusinessRuleViolation or ResourceNotFound or InvalidRequest)
        {
            return false;
        }
    }
}

using Coordination.ServiceDefaults.Http;

namespace Coordination.ServiceDefaults.EventSourcing;

public static class Decisions
{
    /// <summary>
    /// The actions whose decision would be taken now: each is the command's own <c>Decide</c> (or the guard its Decide starts
    /// with) run on the current state for the caller, its events thrown away, so a client is offered exactly what the API
    /// would accept — no second copy of the rules.
    /// </summary>
    public static IReadOnlyList<string> Allowed(params (string Action, Action Decide)[] actions) =>
        [.. actions.Where(action => Accepts(action.Decide)).Select(action => action.Action)];

    private static bool Accepts(Action decide)
    {
        try
        {
            decide();
            return true;
        }
        catch (Exception refused) when (refused is BusinessRuleViolation or AccessDenied or ResourceNotFound or InvalidRequest)
        {
            return false;
        }
    }
}

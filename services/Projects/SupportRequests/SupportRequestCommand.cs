namespace Coordination.Projects.SupportRequests;

/// <summary>The common path of every command on an existing support request, and who may see one.</summary>
public static class SupportRequestCommand
{
    /// <summary>One answer for "no such request" and "not your organisation's".</summary>
    public const string NotFound = "Aucune demande avec cet identifiant.";

    /// <summary>The project's lead organisation and the national coordinators.</summary>
    public static bool IsVisibleTo(this SupportRequestDetails request, CurrentUser user) =>
        user.IsCoordinatorOrAdmin || user.OrganisationId == request.LeadOrganisationId;

    public static async Task<Results<NoContent, ValidationProblem>> Execute(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<SupportRequestDetails, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        return await session.ExecuteCommand<SupportRequestDetails>(id, expected, http, state => decide(state, user), ct,
            authorize: state =>
            {
                if (!state.IsVisibleTo(user)) throw new ResourceNotFound(NotFound);
            },
            notFound: NotFound);
    }
}

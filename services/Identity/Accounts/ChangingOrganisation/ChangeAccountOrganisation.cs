using Coordination.Identity.Accounts.Inviting;

namespace Coordination.Identity.Accounts.ChangingOrganisation;

public sealed record ChangeAccountOrganisationRequest(Guid? OrganisationId);

public sealed record ChangeAccountOrganisation(Guid OrganisationId, bool OrganisationKnown, CurrentUser By, DateTimeOffset At);

public static class ChangeAccountOrganisationEndpoint
{
    public static IReadOnlyList<object> Decide(ChangeAccountOrganisation command, Account state)
    {
        if (!Roles.OrganisationStaff.Contains(state.Role))
            throw new BusinessRuleViolation("Un compte national (coordination, administration) n'appartient à aucune organisation.");
        if (!command.OrganisationKnown)
            throw new BusinessRuleViolation("Cette organisation n'est pas (ou plus) inscrite à l'annuaire.");
        if (state.OrganisationId == command.OrganisationId)
            return [];
        // Managing one organisation says nothing about the next one.
        return state.OrganisationManager
            ? [new AccountOrganisationChanged(state.Id, command.OrganisationId, command.By.UserId, command.At),
                new AccountRoleChanged(state.Id, state.Role, false, command.By.UserId, command.At)]
            : [new AccountOrganisationChanged(state.Id, command.OrganisationId, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapChangeAccountOrganisation(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/organisation", async (Guid id, ChangeAccountOrganisationRequest request, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.OrganisationId is not { } organisation)
                    throw new InvalidRequest(new Dictionary<string, string[]> { ["organisationId"] = ["Indiquez la nouvelle organisation."] });
                var known = await InviteAccountEndpoint.OrganisationKnown(session, organisation, ct);
                return await AccountCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new ChangeAccountOrganisation(organisation, known, actor, time.GetUtcNow()), state), ct);
            })
            .RequireAuthorization(Policies.Admins)
            .WithName("ChangeAccountOrganisation")
            .WithSummary("Move a staff account to another organisation; its sessions end (admins).");
        return group;
    }
}

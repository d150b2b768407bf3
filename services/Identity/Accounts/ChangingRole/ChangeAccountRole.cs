namespace Coordination.Identity.Accounts.ChangingRole;

public sealed record ChangeAccountRoleRequest(string? Role, bool OrganisationManager);

public sealed record ChangeAccountRole(string Role, bool OrganisationManager, CurrentUser By, DateTimeOffset At);

public static class ChangeAccountRoleEndpoint
{
    public static IReadOnlyList<object> Decide(ChangeAccountRole command, Account state)
    {
        state.EnsureNotSelf(command.By, "changer le rôle de");
        AccountRules.EnsureMayGive(command.By, command.Role);
        var validation = new FieldValidation();
        AccountRules.ValidateRoleAndOrganisation(validation, command.Role, state.OrganisationId, command.OrganisationManager);
        if (!validation.IsValid)
            throw new InvalidRequest(validation.Errors);
        if (state.Role == command.Role && state.OrganisationManager == command.OrganisationManager)
            return [];
        return [new AccountRoleChanged(state.Id, command.Role, command.OrganisationManager, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapChangeAccountRole(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/role", (Guid id, ChangeAccountRoleRequest request, ExpectedVersion expected, HttpContext http,
                IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                AccountCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new ChangeAccountRole(request.Role ?? "", request.OrganisationManager, actor, time.GetUtcNow()), state), ct))
            .WithName("ChangeAccountRole")
            .WithSummary("Change an account's role or manager flag; its sessions end (admins; managers for their own staff, not themselves).");
        return group;
    }
}

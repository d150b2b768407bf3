namespace Coordination.Identity.Accounts.ChangingPassword;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ChangePassword(string CurrentPassword, string NewPasswordHash, DateTimeOffset At);

public static class ChangePasswordEndpoint
{
    public static IReadOnlyList<object> Decide(ChangePassword command, Account state)
    {
        if (!state.CanSignIn)
            throw new ResourceNotFound();
        // An account activated through ProConnect has no password yet: nothing typed can match it.
        if (state.PasswordHash is null || !PasswordHashing.Verify(command.CurrentPassword, state.PasswordHash))
            throw new InvalidRequest(new Dictionary<string, string[]> { ["currentPassword"] = ["Le mot de passe actuel est incorrect."] });
        return [new PasswordChanged(state.Id, command.NewPasswordHash, command.At)];
    }

    public static RouteGroupBuilder MapChangePassword(this RouteGroupBuilder group)
    {
        // No If-Match: the current password is the guard, and nothing the caller read is overwritten.
        group.MapPut("/me/password", async Task<Results<NoContent, ValidationProblem>> (ChangePasswordRequest request, HttpContext http,
                IDocumentSession session, AccountService accounts, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new FieldValidation();
                if (string.IsNullOrEmpty(request.CurrentPassword))
                    validation.Add("currentPassword", "Indiquez votre mot de passe actuel.");
                AccountRules.ValidatePassword(validation, request.NewPassword);
                if (!validation.IsValid)
                    return Problems.Invalid(validation.Errors);
                var id = await accounts.FindIdByUserIdAsync(session, CurrentUser.From(http.User).UserId, ct) ?? throw new ResourceNotFound();
                var command = new ChangePassword(request.CurrentPassword!, PasswordHashing.Hash(request.NewPassword!), time.GetUtcNow());
                return await session.ExecuteCommand<Account>(id, ExpectedVersion.Any, http, state => Decide(command, state), ct);
            })
            .WithName("ChangeOwnPassword")
            .WithSummary("Change one's own password (the current one is required); one's other sessions end.");
        return group;
    }
}

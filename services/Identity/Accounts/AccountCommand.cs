namespace Coordination.Identity.Accounts;

/// <summary>The shape of every command on someone's account: who may see it, the version expected, the pure decision.</summary>
public static class AccountCommand
{
    public static async Task<NoContent> Execute(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<Account, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = CurrentUser.From(http.User);
        return await session.ExecuteCommand<Account>(id, expected, http, state => decide(state, actor), ct,
            authorize: state => state.EnsureManagedBy(actor));
    }
}

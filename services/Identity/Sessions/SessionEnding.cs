using Coordination.Identity.Accounts;
using Marten.Services;
using OpenIddict.Abstractions;

namespace Coordination.Identity.Sessions;

/// <summary>
/// Ends sessions in the token storage. A session is an OpenIddict authorization (one sign-in of one application):
/// revoking it refuses every code and refresh token derived from it at once; its tokens are revoked too so that the
/// storage says so. Access tokens already issued are self-contained JWTs: they stay valid until they expire
/// (<c>Identity:AccessTokenLifetime</c>, at most five minutes).
/// </summary>
public sealed partial class SessionEnding(IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens, ILogger<SessionEnding> logger)
{
    /// <summary>Every session of one person (their <c>sub</c>): disabled, re-roled, moved, new password.</summary>
    public async Task<long> EndAllAsync(string subject, CancellationToken ct)
    {
        var ended = await authorizations.RevokeBySubjectAsync(subject, ct);
        await tokens.RevokeBySubjectAsync(subject, ct);
        LogEnded(logger, ended);
        return ended;
    }

    /// <summary>One session, by its authorization id.</summary>
    public async Task<bool> EndAsync(string authorizationId, CancellationToken ct)
    {
        if (await authorizations.FindByIdAsync(authorizationId, ct) is not { } authorization)
            return false;
        var revoked = await authorizations.TryRevokeAsync(authorization, ct);
        await tokens.RevokeByAuthorizationIdAsync(authorizationId, ct);
        return revoked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} sessions ended after a change to their account")]
    private static partial void LogEnded(ILogger logger, long count);
}

/// <summary>
/// Whatever moves an account's security stamp also ends its sessions, right after the events are committed, whichever
/// command appended them. The stamp, checked on every refresh, stays the guard if this step fails.
/// </summary>
public sealed partial class SessionEndingListener(IServiceProvider services, ILogger<SessionEndingListener> logger) : DocumentSessionListenerBase
{
    public static bool EndsSessions(object @event) =>
        @event is AccountDisabled or AccountRoleChanged or AccountOrganisationChanged or PasswordChanged or PasswordResetCompleted;

    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var accounts = commit.GetEvents().Where(e => EndsSessions(e.Data)).Select(e => e.StreamId).Distinct().ToList();
        if (accounts.Count == 0)
            return;
        try
        {
            await using var query = session.DocumentStore.QuerySession();
            var subjects = await query.Query<AccountDetails>().Where(a => accounts.Contains(a.Id)).Select(a => a.UserId).ToListAsync(token);
            await using var scope = services.CreateAsyncScope();
            var ending = scope.ServiceProvider.GetRequiredService<SessionEnding>();
            foreach (var subject in subjects)
                await ending.EndAllAsync(subject, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sessions not ended after an account change; the security stamp still refuses their refresh")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

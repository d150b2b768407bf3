using Coordination.Identity.Clients;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Coordination.Identity.Sessions;

/// <summary>
/// One of a person's open sessions: an application where they signed in and that can still refresh its tokens.
/// <paramref name="Current"/>: the session of the token that asks.
/// </summary>
public sealed record SessionView(string Id, string Application, DateTimeOffset StartedAt, DateTimeOffset LastUsedAt, DateTimeOffset EndsAt, bool Current);

/// <summary>
/// A person's own sessions, seen and ended by themselves: <c>GET /api/identity/accounts/me/sessions</c>, <c>DELETE
/// …/me/sessions/{id}</c> (one, the current one included), <c>DELETE …/me/sessions</c> (every other one). Someone
/// else's session and an unknown one answer the same 404.
/// </summary>
public static class MySessions
{
    public static RouteGroupBuilder MapMySessions(this RouteGroupBuilder group)
    {
        group.MapGet("/me/sessions", List)
            .WithName("ListOwnSessions")
            .WithSummary("One's open sessions (application, sign-in, last use, end), the current one marked.");
        group.MapDelete("/me/sessions/{id}", EndOne)
            .WithName("EndOwnSession")
            .WithSummary("End one of one's sessions: its refresh token stops working at once, its access token within five minutes.");
        group.MapDelete("/me/sessions", EndOthers)
            .WithName("EndOwnOtherSessions")
            .WithSummary("End every one of one's sessions but the current one.");
        return group;
    }

    private static async Task<Ok<List<SessionView>>> List(HttpContext http, IOpenIddictAuthorizationManager authorizations,
        IOpenIddictTokenManager tokens, IOpenIddictApplicationManager applications, ClientRegistry registry, SessionSettings settings,
        TimeProvider time, CancellationToken ct)
    {
        var subject = CurrentUser.From(http.User).UserId;
        var current = http.User.FindFirst(Claims.Private.AuthorizationId)?.Value;
        var now = time.GetUtcNow();
        var sessions = new List<SessionView>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(subject, ct))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct)
                || await authorizations.GetCreationDateAsync(authorization, ct) is not { } started || started + settings.Lifetime <= now)
                continue;
            var id = (await authorizations.GetIdAsync(authorization, ct))!;
            var (open, lastUsed) = await UsageAsync(tokens, id, now, ct);
            if (!open)
                continue;
            sessions.Add(new SessionView(id, await ApplicationNameAsync(authorization, authorizations, applications, registry, ct),
                started, lastUsed ?? started, started + settings.Lifetime, id == current));
        }
        return TypedResults.Ok(sessions.OrderByDescending(s => s.Current).ThenByDescending(s => s.LastUsedAt).ToList());
    }

    private static async Task<NoContent> EndOne(string id, HttpContext http, IOpenIddictAuthorizationManager authorizations,
        SessionEnding ending, CancellationToken ct)
    {
        var subject = CurrentUser.From(http.User).UserId;
        if (await authorizations.FindByIdAsync(id, ct) is not { } authorization || await authorizations.GetSubjectAsync(authorization, ct) != subject)
            throw new ResourceNotFound();
        await ending.EndAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> EndOthers(HttpContext http, IOpenIddictAuthorizationManager authorizations, SessionEnding ending,
        CancellationToken ct)
    {
        var subject = CurrentUser.From(http.User).UserId;
        var current = http.User.FindFirst(Claims.Private.AuthorizationId)?.Value;
        var others = new List<string>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(subject, ct))
            if (await authorizations.GetIdAsync(authorization, ct) is { } id && id != current
                && await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct))
                others.Add(id);
        foreach (var id in others)
            await ending.EndAsync(id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Open while one of its refresh tokens can still be used; last used when its newest token was issued.</summary>
    private static async Task<(bool Open, DateTimeOffset? LastUsed)> UsageAsync(IOpenIddictTokenManager tokens, string authorizationId,
        DateTimeOffset now, CancellationToken ct)
    {
        var open = false;
        DateTimeOffset? lastUsed = null;
        await foreach (var token in tokens.FindByAuthorizationIdAsync(authorizationId, ct))
        {
            if (await tokens.GetCreationDateAsync(token, ct) is { } created && (lastUsed is null || created > lastUsed))
                lastUsed = created;
            if (await tokens.GetTypeAsync(token, ct) is TokenTypeHints.RefreshToken or TokenTypeIdentifiers.RefreshToken
                && await tokens.HasStatusAsync(token, Statuses.Valid, ct)
                && await tokens.GetExpirationDateAsync(token, ct) is { } expires && expires > now)
                open = true;
        }
        return (open, lastUsed);
    }

    private static async Task<string> ApplicationNameAsync(object authorization, IOpenIddictAuthorizationManager authorizations,
        IOpenIddictApplicationManager applications, ClientRegistry registry, CancellationToken ct)
    {
        if (await authorizations.GetApplicationIdAsync(authorization, ct) is { } applicationId
            && await applications.FindByIdAsync(applicationId, ct) is { } application)
            return await applications.GetDisplayNameAsync(application, ct) ?? await applications.GetClientIdAsync(application, ct) ?? "Application";
        // Scripts may omit client_id: they are the default script client.
        return registry.Find(null)?.DisplayName ?? ClientRegistry.DefaultScriptClient;
    }
}

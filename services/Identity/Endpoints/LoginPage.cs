using System.Net;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Endpoints;

/// <summary>The sign-in page of the authorization code flow: plain HTML in French, no script, antiforgery-protected.</summary>
public static class LoginPage
{
    public static IEndpointRouteBuilder MapLoginPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/login", (HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
            Page(http, antiforgery, LocalOrLogin(returnUrl), error: null)).AllowAnonymous();

        app.MapPost("/account/login", async (HttpContext http, IAntiforgery antiforgery, AccountService accounts, IOptions<MfaOptions> mfa,
            CancellationToken ct) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = LocalOrLogin(form["returnUrl"]);
            var (outcome, account) = await accounts.SignInAsync(form["username"].ToString(), form["password"].ToString(),
                http.Connection.RemoteIpAddress, ct);
            if (outcome != SignInOutcome.Succeeded || account is null)
                return Page(http, antiforgery, returnUrl, ConnectEndpoints.SignInRefused, StatusCodes.Status400BadRequest);
            return await SignInCookies.AfterFirstFactorAsync(http, account, mfa.Value, returnUrl);
        }).AllowAnonymous().DisableAntiforgery(); // validated explicitly above, before reading the form
        return app;
    }

    /// <summary>Only our own pages (<see cref="LocalUrls"/>): an open redirect would hand the session to anyone.</summary>
    internal static string LocalOrLogin(string? url) => LocalUrls.LocalOr(url, "/account/login");

    internal static IResult Page(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status = 200)
    {
        // A link, not a form: the browser leaves for ProConnect by a plain navigation (the CSP allows forms to post here only).
        var proConnect = http.RequestServices.GetRequiredService<ProConnectOptions>().Enabled
            ? $$"""
              <div class="proconnect"><p class="or">ou</p>
              <a class="proconnect-button" href="{{WebUtility.HtmlEncode(ProConnect.ChallengePath + QueryString.Create("returnUrl", returnUrl))}}">S’identifier avec <strong>ProConnect</strong></a>
              <p><a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que ProConnect ? – nouvelle fenêtre">Qu’est-ce que ProConnect ?</a></p></div>
              """
            : "";
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        var message = error is null ? "" : $"""<p role="alert" class="error">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $$"""
            <!doctype html>
            <html lang="fr">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Connexion – Coordination</title>
            <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1e1e1e}
            label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
            button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#000091;color:#fff;border:0}
            .error{color:#ce0500;font-weight:600}a{color:#000091}.or{margin-top:1.5rem}
            .proconnect-button{display:inline-block;padding:.75rem 1.2rem;font-size:1rem;background:#000091;color:#fff;text-decoration:none}
            .proconnect-button:hover,.proconnect-button:focus{background:#1212ff}</style></head>
            <body><main>
            <h1>Connexion à Coordination</h1>
            {{message}}
            <form method="post" action="/account/login">
            <input type="hidden" name="{{tokens.FormFieldName}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
            <label for="username">Adresse e-mail ou identifiant</label><input id="username" name="username" autocomplete="username" required>
            <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Se connecter</button>
            </form>
            <p><a href="/account/forgotten-password">Mot de passe oublié ?</a></p>
            {{proConnect}}</main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}

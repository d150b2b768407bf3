using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace Coordination.Identity.Endpoints;

/// <summary>
/// The shell of Identity's own pages (sign-in, invitation, password reset): plain HTML in French, no script, a strict CSP,
/// antiforgery on every form. Values are HTML-encoded by the callers through <see cref="E"/>.
/// </summary>
public static class IdentityPages
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""<input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">""";
    }

    public static string Error(string? message) => message is null ? "" : $"""<p role="alert" class="error">{E(message)}</p>""";

    public static IResult Render(HttpContext http, string title, string body, int status = StatusCodes.Status200OK)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        // The one-time links travel in the query: never send them on to another site.
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = $$"""
            <!doctype html>
            <html lang="fr">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} – Coordination</title>
            <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1e1e1e}
            label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
            button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#000091;color:#fff;border:0}
            .error{color:#ce0500;font-weight:600}.hint{color:#3a3a3a;font-size:.9rem}a{color:#000091}</style></head>
            <body><main>
            <h1>{{E(title)}}</h1>
            {{body}}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}

using System.Globalization;
using Coordination.Portal.Api;
using Coordination.Portal.Authentication;
using Coordination.Portal.Components;
using Coordination.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Http.Resilience;

namespace Coordination.Portal;

/// <summary>
/// The portal: a Blazor Web App rendered on the server (static SSR, plain forms, enhanced navigation; no WebSocket
/// circuit, no WebAssembly), calling the APIs with the signed-in user's token.
/// </summary>
public static class PortalServiceExtensions
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // Static web assets (blazor.web.js, the fingerprinted CSS) from the build output too, not only when published:
        // `./coordination up` and the tests run the built dll.
        if (builder is WebApplicationBuilder web)
            web.WebHost.UseStaticWebAssets();
        builder.AddPortalAuthentication();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "Coordination.Portal.Antiforgery";
            o.Cookie.SecurePolicy = builder.Configuration.GetValue("Portal:SecureCookies", true)
                ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddMemoryCache();
        // The keys that encrypt the sign-in cookie (and the tokens in it): one ring in PostgreSQL for every replica, kept
        // across restarts (ConnectionStrings:DataProtection, SharedKeyRing).
        builder.AddSharedKeyRing("Coordination.Portal");

        var apiBase = builder.Configuration["Portal:ApiBaseAddress"]
            ?? throw new InvalidOperationException("Configuration 'Portal:ApiBaseAddress' is missing: the gateway's address.");
        builder.Services.AddHttpClient<PortalApi>(PortalApi.ClientName, http =>
        {
            http.BaseAddress = new Uri(apiBase.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        });
        // The resilience handler every client gets (ServiceDefaults: ConfigureHttpClientDefaults, pipeline "-standard") must
        // never replay a command in the portal: a retried POST could send a hand-off twice. Reads are still retried.
        builder.Services.Configure<HttpStandardResilienceOptions>("-standard", o => o.Retry.DisableForUnsafeHttpMethods());
        builder.Services.AddScoped<OrganisationNames>();
        builder.AddApiRelay();

        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("fr-FR");
            o.SupportedCultures = o.SupportedUICultures = [CultureInfo.GetCultureInfo("fr-FR")];
            o.RequestCultureProviders.Clear();
        });
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        // Believed from the gateway only (ServiceDefaults' TrustedProxies, section ForwardedHeaders).
        app.UseForwardedHeaders();
        app.UseRequestLocalization();
        app.UseCorrelationIds();
        app.UseExceptionHandler("/erreur", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/introuvable", createScopeForStatusCodePages: true);
        app.UseSecurityHeaders();
        var identityOrigin = app.Configuration["Portal:Identity:BrowserAddress"] is { Length: > 0 } browser ? " " + new Uri(browser).GetLeftPart(UriPartial.Authority) : "";
        app.Use((context, next) =>
        {
            // Registered after the defaults', so it runs first: a page policy (own scripts, styles and images only).
            context.Response.OnStarting(() =>
            {
                // An answer that chose its own (the attendance certificate) keeps it.
                if (!context.Response.Headers.ContainsKey("Content-Security-Policy"))
                    context.Response.Headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                    $"form-action 'self'{identityOrigin}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
                return Task.CompletedTask;
            });
            return next();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/connexion", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrls.LocalOr(returnUrl, "/") },
                [OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/deconnexion", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        app.MapDownloads();
        app.MapDashboardDownloads();
        app.MapAidDownloads();
        app.MapDashboardChanges();
        app.MapRazorComponents<App>();
        return app;
    }
}

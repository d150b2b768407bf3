using System.Security.Claims;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.SecondFactor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;

namespace Coordination.Identity.Endpoints;

/// <summary>
/// The two cookies of a sign-in. The second-step cookie (10 minutes) says only "this password was right": it opens the
/// code page or the enrolment page, nothing else. The sign-in cookie, which the authorization endpoint reads, is given
/// once every step the account needs is done, and then says whether a second factor was used (<c>amr</c> = <c>mfa</c>).
/// </summary>
public static class SignInCookies
{
    public const string SecondStepScheme = "Coordination.Identity.SecondStep";
    public const string MethodsClaim = "amr";
    public const string SecondFactorMethod = "mfa";

    public static async Task CompleteAsync(HttpContext http, Account account, bool withSecondFactor)
    {
        var identity = new ClaimsIdentity(ClaimsOf(account), CookieAuthenticationDefaults.AuthenticationScheme);
        if (withSecondFactor)
            identity.AddClaim(new Claim(MethodsClaim, SecondFactorMethod));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        await http.SignOutAsync(SecondStepScheme);
    }

    public static Task BeginSecondStepAsync(HttpContext http, Account account) =>
        http.SignInAsync(SecondStepScheme, new ClaimsPrincipal(new ClaimsIdentity(ClaimsOf(account), SecondStepScheme)));

    /// <summary>
    /// The first factor (a password, or ProConnect, which proves who the person is, not that they hold this platform's
    /// second factor) was right: signed in, or on to the code page (or, the first time, the enrolment of an app) when the
    /// account's role requires a second factor.
    /// </summary>
    public static async Task<IResult> AfterFirstFactorAsync(HttpContext http, Account account, MfaOptions mfa, string returnUrl)
    {
        if (!account.NeedsSecondStep(mfa))
        {
            await CompleteAsync(http, account, withSecondFactor: false);
            return Results.LocalRedirect(returnUrl);
        }
        await BeginSecondStepAsync(http, account);
        var next = account.Mfa is null ? MfaEnrolmentPage.Path : MfaChallengePage.Path;
        return Results.LocalRedirect(next + QueryString.Create("returnUrl", returnUrl));
    }

    /// <summary>The account whose password was just checked, if its second step is still to do (and nothing changed since).</summary>
    public static async Task<Account?> PendingAsync(HttpContext http, AccountService accounts, CancellationToken ct) =>
        (await ReadAsync(http, SecondStepScheme, accounts, ct)).Account;

    /// <summary>The account fully signed in on this browser: every step its sign-in needs was done.</summary>
    public static async Task<Account?> SignedInAsync(HttpContext http, AccountService accounts, MfaOptions options, CancellationToken ct)
    {
        var (account, cookie) = await ReadAsync(http, CookieAuthenticationDefaults.AuthenticationScheme, accounts, ct);
        return account is not null && (!account.NeedsSecondStep(options) || cookie!.HasClaim(MethodsClaim, SecondFactorMethod)) ? account : null;
    }

    /// <remarks>Never set as <c>HttpContext.User</c>: antiforgery tokens of these pages stay those of an anonymous form.</remarks>
    private static async Task<(Account? Account, ClaimsPrincipal? Cookie)> ReadAsync(HttpContext http, string scheme, AccountService accounts,
        CancellationToken ct)
    {
        var result = await http.AuthenticateAsync(scheme);
        var username = result.Principal?.FindFirst(OpenIddictConstants.Claims.PreferredUsername)?.Value;
        var account = username is null ? null : await accounts.FindAsync(username, ct);
        if (account is null || !account.CanSignIn || result.Principal!.FindFirst(ConnectEndpoints.SecurityStampClaim)?.Value != account.SecurityStamp)
            return (null, null);
        return (account, result.Principal);
    }

    private static Claim[] ClaimsOf(Account account) =>
    [
        new(OpenIddictConstants.Claims.PreferredUsername, account.Username),
        new(OpenIddictConstants.Claims.Subject, account.UserId),
        new(ConnectEndpoints.SecurityStampClaim, account.SecurityStamp),
    ];
}

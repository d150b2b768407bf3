using Coordination.Portal.Components.Shared;
using Microsoft.AspNetCore.Http;

namespace Coordination.Portal.Components.Pages.Referrals.Actions;

/// <summary>What a command created (a redirection's or a re-send's new referral).</summary>
public sealed record NewReferralResult(Guid NewReferralId);

/// <summary>The values typed in one form of the page, to redisplay them when the API refused the form.</summary>
public static class Posted
{
    public static string? Value(HttpContext http, string formName, string field) =>
        FormData.IsPost(http, formName) ? FormData.Value(http, field) : null;

    public static string[] Values(HttpContext http, string formName, string field) =>
        FormData.IsPost(http, formName) ? FormData.Values(http, field) : [];
}

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// Where a sign-in may send the browser back to: one of our own pages only, as ASP.NET Core's <c>IsLocalUrl</c> says
/// (<c>/</c> or <c>/path</c>, never <c>//host</c> or <c>/\host</c>, which browsers read as another site) and no control
/// character anywhere (a tab or a line break inside <c>/\t/host</c> is dropped by browsers, leaving <c>//host</c>).
/// An open redirect after sign-in would hand the session, or the person's trust, to anyone.
/// </summary>
public static class LocalUrls
{
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !url.Contains('\u007f');

    /// <summary>The address itself when it is local, otherwise <paramref name="fallback"/>.</summary>
    public static string LocalOr(string? url, string fallback) => IsLocal(url) ? url! : fallback;
}

using Microsoft.AspNetCore.Http;

namespace Coordination.Portal.Components.Shared;

/// <summary>The posted form of the current request, read as plain values (kept to redisplay a form that failed validation).</summary>
public static class FormData
{
    public static bool IsPost(HttpContext? http, string formName) =>
        http is not null && HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
        && http.Request.Form["_handler"] == formName;

    public static string? Value(HttpContext http, string name) =>
        http.Request.Form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    public static string[] Values(HttpContext http, string name) =>
        http.Request.Form.TryGetValue(name, out var v) ? [.. v.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!)] : [];

    public static bool? Bool(HttpContext http, string name) => Value(http, name) switch
    {
        "true" or "oui" or "on" => true,
        "false" or "non" => false,
        _ => null,
    };
}

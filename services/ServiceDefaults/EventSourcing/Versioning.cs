using System.Globalization;
using Coordination.ServiceDefaults.Http;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// The stream version a command expects, read from <c>If-Match</c>. Required on every command
/// on an existing resource: without it two people could overwrite each other's work unknowingly.
/// </summary>
public sealed record ExpectedVersion(long Value)
{
    /// <summary>For additive commands (attach a file) where the caller edits nothing it read: no version check.</summary>
    public static readonly ExpectedVersion Any = new(-1);

    public static ValueTask<ExpectedVersion?> BindAsync(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
            throw new PreconditionRequired();
        if (!ETags.TryParse(header, out var version))
            throw new InvalidHeader("En-tête If-Match invalide : attendu une ETag telle que \"3\".");
        return ValueTask.FromResult<ExpectedVersion?>(new ExpectedVersion(version));
    }
}

public sealed class PreconditionRequired()
    : Exception("Indiquez dans l'en-tête If-Match la version (ETag) de la ressource que vous modifiez.");

public static class ETags
{
    public static string From(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static bool TryParse(string value, out long version)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
            trimmed = trimmed[2..];
        trimmed = trimmed.Trim('"');
        return long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
    }

    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = From(version);
}

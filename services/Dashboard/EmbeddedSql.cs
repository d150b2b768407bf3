using System.Collections.Concurrent;

namespace Coordination.Dashboard;

/// <summary>The SQL files compiled into the service (DDL, functions, triggers), by their path in the project.</summary>
public static class EmbeddedSql
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <param name="path">e.g. <c>Referrals/ReferralRules.sql</c>.</param>
    public static string Read(string path) => Cache.GetOrAdd(path, static name =>
    {
        using var stream = typeof(EmbeddedSql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"SQL file {name} is not embedded in {typeof(EmbeddedSql).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}

using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Coordination.Referrals.Privacy;
using Npgsql;
using Xunit;

namespace Coordination.Referrals.Api.Tests;

/// <summary>
/// What an attacker holding a copy of the database reads: pg_dump's output (what a backup holds) and every row of every
/// table as text, searched for canaries in clear and after unsealing every envelope with every key the copy yields —
/// plain keys, the raw bytes of wrapped keys, and, when the attacker also has it, wrapped keys unwrapped with the KEK.
/// </summary>
public static partial class DatabaseCopies
{
    public static async Task<string[]> Of(string connectionString) => [await PgDump(connectionString), await AllRowsAsText(connectionString)];

    public static IEnumerable<string> CanariesInClear(string[] copies, string[] canaries) =>
        canaries.Where(c => copies.Any(copy => Found(copy, c)));

    /// <summary>The canaries recoverable from these copies, alone (<paramref name="kek"/> null) or with the KEK.</summary>
    public static List<string> CanariesRecoverable(string[] copies, string[] canaries, KeyEncryptionKey? kek = null)
    {
        var texts = new List<string>(copies);
        foreach (var copy in copies)
        {
            var envelopes = Envelope().Matches(copy).Select(m => m.Value).Distinct().ToList();
            var subjects = envelopes.Select(e => PersonalData.SubjectOf(e)!.Value).Distinct().ToList();
            var keys = KeysIn(copy, subjects, kek);
            foreach (var envelope in envelopes)
                foreach (var key in keys)
                {
                    var subject = PersonalData.SubjectOf(envelope)!.Value;
                    var clear = PersonalData.Reveal(envelope, new Dictionary<Guid, PersonalDataKey> { [subject] = new(subject, key, default) });
                    if (clear != PersonalData.Erased) texts.Add(clear!);
                }
        }
        return [.. canaries.Where(c => texts.Any(t => Found(t, c)))];
    }

    /// <summary>The wrapped person keys in a copy (<c>kek1.&lt;kek id&gt;.…</c>).</summary>
    public static List<string> WrappedKeys(string copy) => [.. Wrapped().Matches(copy).Select(m => m.Value).Distinct()];

    private static List<byte[]> KeysIn(string copy, List<Guid> subjects, KeyEncryptionKey? kek)
    {
        // Anything that looks like a plain 32-byte key in base64.
        var keys = PlainKey().Matches(copy).Select(m => Convert.FromBase64String(m.Value)).ToList();
        foreach (var wrapped in WrappedKeys(copy))
        {
            var bytes = Base64Url.DecodeFromChars(wrapped.AsSpan(wrapped.LastIndexOf('.') + 1));
            // Without the KEK: every 32-byte window of the wrapped value, in case it were the key itself.
            for (var start = 0; start + 32 <= bytes.Length; start++)
                keys.Add(bytes[start..(start + 32)]);
            if (kek is null || KeyWrapping.KekIdOf(wrapped) != kek.Id) continue;
            var keks = new SingleKek(kek);
            foreach (var subject in subjects)
            {
                try { keys.Add(KeyWrapping.Unwrap(keks, subject, wrapped)); break; }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
        }
        return keys;
    }

    /// <summary>A phone number is found as typed ("06 11 22 33 44") or as bare digits, in a copy or in a short unsealed text.</summary>
    private static bool Found(string text, string canary) =>
        text.Contains(canary, StringComparison.OrdinalIgnoreCase)
        || (canary.All(char.IsAsciiDigit) && (text.Contains(string.Join(' ', canary.Chunk(2).Select(p => new string(p))), StringComparison.Ordinal)
            || (text.Length < 5000 && new string(text.Where(char.IsAsciiDigit).ToArray()).Contains(canary, StringComparison.Ordinal))));

    private static async Task<string> PgDump(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDumpPath(), ["--no-owner", "--data-only", "-h", connection.Host!, "-p", connection.Port.ToString(),
            "-U", connection.Username!, "-d", connection.Database!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGPASSWORD"] = connection.Password ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await error);
        var dump = await output;
        Assert.Contains("mt_events", dump);
        return dump;
    }

    private static async Task<string> AllRowsAsText(string connectionString)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        Assert.Contains(tables, t => t.EndsWith(".mt_events"));
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }

    private static string PgDumpPath()
    {
        if (Environment.GetEnvironmentVariable("COORDINATION_PG_BIN") is { Length: > 0 } bin) return Path.Combine(bin, "pg_dump");
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Coordination.sln"))) directory = directory.Parent;
        var locate = Process.Start(new ProcessStartInfo(Path.Combine(directory!.FullName, "infra", "pgbin.sh"), ["pg_dump"]) { RedirectStandardOutput = true })!;
        var path = locate.StandardOutput.ReadToEnd().Trim();
        locate.WaitForExit();
        return locate.ExitCode == 0 && path.Length > 0 ? path : "pg_dump";
    }

    [GeneratedRegex(@"pd1\.[0-9a-f]{32}\.[A-Za-z0-9_-]+")]
    private static partial Regex Envelope();

    [GeneratedRegex(@"kek1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]+")]
    private static partial Regex Wrapped();

    [GeneratedRegex(@"[A-Za-z0-9+/]{43}=")]
    private static partial Regex PlainKey();

    private sealed class SingleKek(KeyEncryptionKey kek) : IKeyEncryptionKeyProvider
    {
        public KeyEncryptionKey Current => kek;
        public KeyEncryptionKey? Find(string id) => id == kek.Id ? kek : null;
        public void Refresh() { }
    }
}

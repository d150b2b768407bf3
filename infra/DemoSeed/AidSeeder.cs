using System.Text.Json;

namespace Coordination.DemoSeed;

/// <summary>
/// The guide of aids (<c>aids.json</c>): each aid is posted as it stands in the file (its shape is exactly the body of
/// <c>POST /api/directory/aids</c>) by a national coordinator, so it is published at once but never verified: every seeded
/// aid shows "à vérifier" until a coordinator or referent checks it against its source. Fixed ids keep the seed idempotent
/// (409 = already there). Then designates the départements' referents of <c>aid-referents.json</c> where none are yet.
/// </summary>
public sealed class AidSeeder(GatewayClient gateway, DemoTokens tokens, IReadOnlyList<AccountSeed> accounts, TextWriter error)
{
    public const string AidsFile = "aids.json";
    public const string ReferentsFile = "aid-referents.json";

    public int Created { get; private set; }
    public int AlreadyPresent { get; private set; }
    public int Failed { get; private set; }
    public bool Started { get; private set; }

    public static (IReadOnlyList<JsonElement> Aids, IReadOnlyDictionary<string, string[]> Referents) Load(string dataDirectory, IReadOnlyList<AccountSeed> accounts)
    {
        var aids = SeedData.Load<List<JsonElement>>(dataDirectory, AidsFile);
        var problems = new List<string>();
        foreach (var (aid, index) in aids.Select((a, i) => (a, i)))
            if (!aid.TryGetProperty("id", out var id) || !Guid.TryParse(id.GetString(), out var parsed) || parsed == Guid.Empty)
                problems.Add($"aid #{index + 1}: a fixed, non-empty \"id\" keeps the seed idempotent");
        foreach (var duplicate in aids.Where(a => a.TryGetProperty("id", out _)).GroupBy(a => a.GetProperty("id").GetString()).Where(g => g.Count() > 1))
            problems.Add($"id {duplicate.Key} is used {duplicate.Count()} times");
        var referents = SeedData.Load<Dictionary<string, string[]>>(dataDirectory, ReferentsFile);
        var userIds = accounts.Select(a => a.UserId).ToHashSet(StringComparer.Ordinal);
        foreach (var (departement, users) in referents)
            foreach (var unknown in users.Where(u => !userIds.Contains(u)))
                problems.Add($"{ReferentsFile}: the referent '{unknown}' of {departement} is not a demo account");
        if (problems.Count > 0)
            throw new SeedDataException($"{Path.Combine(dataDirectory, AidsFile)}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        return (aids, referents);
    }

    public async Task SeedAsync(IReadOnlyList<JsonElement> aids, IReadOnlyDictionary<string, string[]> referents, CancellationToken ct)
    {
        var coordinator = accounts.FirstOrDefault(a => a.Role == "national_coordinator");
        if (coordinator is null)
        {
            error.WriteLine($"DemoSeed: no national_coordinator in {SeedData.AccountsFile}: the guide of aids is not seeded.");
            return;
        }
        string token;
        try
        {
            token = await tokens.ForAsync(coordinator.Username, ct);
        }
        catch (TokenRefusedException e)
        {
            error.WriteLine($"DemoSeed: the guide of aids is not seeded: {e.Message}");
            return;
        }
        Started = true;
        foreach (var aid in aids)
        {
            var answer = await gateway.SendAsync(HttpMethod.Post, "api/directory/aids", token, aid.GetRawText(), null, "aid", ct);
            switch (answer.StatusCode)
            {
                case 201: Created++; break;
                case 409: AlreadyPresent++; break;
                default:
                    Failed++;
                    error.WriteLine($"DemoSeed: the aid '{aid.GetProperty("name").GetString()}' was refused: HTTP {answer.StatusCode}");
                    error.WriteLine($"  {GatewayClient.Shorten(answer.Body)}");
                    break;
            }
        }

        var current = await gateway.SendAsync(HttpMethod.Get, "api/directory/aids/referents", token, null, null, "aid referents", ct);
        var designated = current.StatusCode == 200
            ? JsonDocument.Parse(current.Body).RootElement.EnumerateArray().Select(r => r.GetProperty("departement").GetString()).ToHashSet()
            : [];
        foreach (var (departement, users) in referents.Where(r => !designated.Contains(r.Key)))
        {
            var answer = await gateway.SendAsync(HttpMethod.Put, $"api/directory/aids/referents/{departement}", token,
                JsonSerializer.Serialize(new { userIds = users }), null, "aid referents", ct);
            if (answer.StatusCode != 204)
            {
                Failed++;
                error.WriteLine($"DemoSeed: the aid referents of {departement} were refused: HTTP {answer.StatusCode} {GatewayClient.Shorten(answer.Body)}");
            }
        }
    }
}

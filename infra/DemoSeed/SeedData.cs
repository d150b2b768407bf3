using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordination.DemoSeed;

public enum OrganisationKind { VictimSupportAssociation, IscgPost, Partner }

public enum IscgPostSetting { Police, Gendarmerie, Mixed }

public enum IscgEmployer { VictimSupportAssociation, Departement, Commune, Other }

/// <summary>
/// One organisation of organisations.json. Its shape is exactly the body of
/// <c>POST /api/directory/organisations</c>: the API refuses unknown fields, so nothing else is sent.
/// Fields with a default may be left out of the file; the others are required.
/// </summary>
public sealed record OrganisationSeed(
    Guid Id, string Name, OrganisationKind Kind, IReadOnlyList<string> Departements, IReadOnlyList<string> Needs,
    bool AcceptsReferrals, IscgPostSeed? IscgPost = null, string? PartnerNetwork = null, ContactSeed? Contact = null);

public sealed record IscgPostSeed(IscgPostSetting Setting, IscgEmployer Employer, string? EmployerName = null);

public sealed record ContactSeed(
    string? Phone = null, string? Email = null, string? Address = null, string? PostalCode = null, string? City = null);

/// <summary>One account of accounts.json (the same file gives the identity provider its demo accounts).</summary>
public sealed record AccountSeed(string Username, string Password, string UserId, string Name, string Role, Guid? OrganisationId, bool OrganisationManager = false,
    bool ArchiveAccess = false, string? Email = null);

/// <summary>A data file that cannot be used as it is.</summary>
public sealed class SeedDataException(string message) : Exception(message);

public static class SeedData
{
    public const string OrganisationsFile = "organisations.json";
    public const string AccountsFile = "accounts.json";

    /// <summary>
    /// The API's convention: camelCase, enums as camelCase strings. Reading is strict (a misspelt field in a
    /// data file is an error here rather than a 400 later); writing leaves out null fields.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static IReadOnlyList<OrganisationSeed> LoadOrganisations(string dataDirectory)
    {
        var organisations = Load<List<OrganisationSeed>>(dataDirectory, OrganisationsFile);
        var problems = new List<string>();
        foreach (var duplicate in organisations.GroupBy(o => o.Id).Where(g => g.Count() > 1))
            problems.Add($"id {duplicate.Key} is used {duplicate.Count()} times");
        foreach (var (organisation, index) in organisations.Select((o, i) => (o, i)))
        {
            var where = $"organisation #{index + 1} ({organisation.Name})";
            if (organisation.Id == Guid.Empty) problems.Add($"{where}: the id must not be empty (fixed ids keep the seed idempotent)");
            if (string.IsNullOrWhiteSpace(organisation.Name)) problems.Add($"{where}: no name");
            if (organisation.Departements.Count == 0) problems.Add($"{where}: no département");
            if (organisation.Needs.Count == 0) problems.Add($"{where}: no need");
            if ((organisation.Kind == OrganisationKind.IscgPost) != (organisation.IscgPost is not null))
                problems.Add($"{where}: \"iscgPost\" is required for an ISCG post and only for one");
            if ((organisation.Kind == OrganisationKind.Partner) != (organisation.PartnerNetwork is not null))
                problems.Add($"{where}: \"partnerNetwork\" is required for a partner and only for one");
        }
        if (problems.Count > 0)
            throw new SeedDataException($"{Path.Combine(dataDirectory, OrganisationsFile)}:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", problems));
        return organisations;
    }

    public static IReadOnlyList<AccountSeed> LoadAccounts(string dataDirectory) =>
        Load<List<AccountSeed>>(dataDirectory, AccountsFile);

    internal static T Load<T>(string dataDirectory, string fileName) where T : class
    {
        var path = Path.Combine(dataDirectory, fileName);
        if (!File.Exists(path))
            throw new SeedDataException($"{path}: file not found (use --data to point at the folder holding " +
                $"{OrganisationsFile}, {AccountsFile}, {ReferralSeedData.ReferralsFile}, {TrainingSeedData.TrainingFile} " +
                $"and {ProjectSeedData.ProjectsFile}).");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new SeedDataException($"{path}: the file holds null.");
        }
        catch (JsonException e)
        {
            throw new SeedDataException($"{path}: {e.Message}");
        }
    }
}

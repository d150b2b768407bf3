using System.Net;
using Coordination.ServiceDefaults.Security;
using Xunit;

namespace Coordination.Authorization.Tests;

/// <summary>
/// Every endpoint × every role (the <c>service</c> caller included) × own / receiving / other organisation / anonymous,
/// against the real services. Each call is arranged to succeed if allowed (fresh resources, valid bodies, current versions).
/// </summary>
public class AuthorizationMatrixTests(Targets targets) : IClassFixture<Targets>
{
    public static readonly Caller[] Callers =
    [
        new(null, Relation.Anonymous),
        new(Roles.NationalCoordinator, Relation.NoOrganisation),
        new(Roles.Admin, Relation.NoOrganisation),
        .. from role in new[] { Roles.IscgWorker, Roles.AssociationStaff, Roles.PartnerStaff }
           from relation in new[] { Relation.Own, Relation.Receiver, Relation.Other }
           select new Caller(role, relation),
        new(Roles.AssociationStaff, Relation.Own, Manager: true),
        new(Roles.AssociationStaff, Relation.Receiver, Manager: true),
        new(Roles.PartnerStaff, Relation.Other, Manager: true),
        new(Roles.AssociationStaff, Relation.Own, ArchiveAccess: true),
        new(Roles.AssociationStaff, Relation.Receiver, ArchiveAccess: true),
        new(Roles.PartnerStaff, Relation.Other, ArchiveAccess: true),
        // A job's client-credentials token (coordination-jobs): the operators' jobs only.
        new(Roles.Service, Relation.NoOrganisation),
    ];

    public static TheoryData<string> Endpoints() => new(AuthorizationMatrix.Rows.Select(r => $"{r.Service} {r.Key}"));

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_caller_gets_what_the_matrix_says(string endpoint)
    {
        var row = AuthorizationMatrix.Rows.Single(r => $"{r.Service} {r.Key}" == endpoint);
        var failures = new List<string>();
        foreach (var caller in Callers)
        {
            var expected = row.Expect(caller);
            using var request = await row.Arrange(targets, caller);
            if (request.Headers.TryGetValues("If-Match", out var ifMatch) && ifMatch.Single() == "CURRENT")
            {
                request.Headers.Remove("If-Match");
                var resource = System.Text.RegularExpressions.Regex.Match(request.RequestUri!.OriginalString,
                    "^.*?/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Value;
                request.Headers.TryAddWithoutValidation("If-Match", await targets.CurrentVersion(row.Service, resource));
            }
            // Headers only: a server-sent event stream never ends, its status is all that matters here.
            using var response = await targets.Client(row.Service, caller).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = (int)response.StatusCode is >= 200 and < 300 && response.Content.Headers.ContentType?.MediaType == "text/event-stream"
                ? "" : await response.Content.ReadAsStringAsync();
            var actual = Judge(row, response.StatusCode, body);
            if (actual != expected)
                failures.Add($"{caller}: expected {expected}, got {(int)response.StatusCode} {body}");
        }
        Assert.True(failures.Count == 0, $"{endpoint}\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// "Allowed" only when the call did what it asks (a 2xx), or got the very domain answer its row names; anything else
    /// (a 400, an unexpected 409 or 412, a 500) is no proof that the access check let the caller through.
    /// </summary>
    private static Access? Judge(MatrixRow row, HttpStatusCode status, string body) => status switch
    {
        HttpStatusCode.Unauthorized => Access.Unauthenticated,
        HttpStatusCode.Forbidden => Access.Forbidden,
        HttpStatusCode.NotFound => Access.Hidden,
        _ when row.Answer is { } answer => status == answer.Status && (answer.Detail is null || DetailOf(body) == answer.Detail) ? Access.Allowed : null,
        // The gateway's backends are absent on purpose: a proxied call means authorization let it through.
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable when row.Service == "gateway" => Access.Allowed,
        >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices => Access.Allowed,
        _ => null,
    };

    private static string? DetailOf(string body)
    {
        try { return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(); }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException) { return null; }
    }

    [Theory]
    [InlineData("directory")]
    [InlineData("dashboard")]
    [InlineData("referrals")]
    [InlineData("identity")]
    [InlineData("gateway")]
    [InlineData("training")]
    [InlineData("projects")]
    [InlineData("notifications")]
    public void Every_endpoint_has_a_row_in_the_matrix(string service)
    {
        var mapped = targets.EndpointKeys(service).ToHashSet();
        var inMatrix = AuthorizationMatrix.Rows.Where(r => r.Service == service).Select(r => r.Key).ToHashSet();

        Assert.True(mapped.SetEquals(inMatrix),
            $"Endpoints without a matrix row: {string.Join(", ", mapped.Except(inMatrix))}; rows without an endpoint: {string.Join(", ", inMatrix.Except(mapped))}");
    }

    [Fact]
    public void Every_endpoint_is_written_down_in_docs_security()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "security.md"));
        var missing = AuthorizationMatrix.Rows.Select(r => r.Key).Distinct().Where(k => !doc.Contains($"`{k}`")).ToList();

        Assert.True(missing.Count == 0, "docs/security.md lacks: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Coordination.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Coordination.sln not found above the test folder.");
    }
}

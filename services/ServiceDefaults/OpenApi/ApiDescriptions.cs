using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Coordination.ServiceDefaults.OpenApi;

/// <summary>
/// Every service's OpenAPI document, described in one place so a partner can build on it: the Bearer (JWT) scheme on
/// the operations that need a token, every problem-details answer an operation can give with an example, servers and
/// tag descriptions. What only an endpoint knows (its summary, an extra answer) stays on the endpoint
/// (<c>.WithSummary</c>, <c>.ProducesProblem</c>). The documents are exported to <c>docs/api/</c> with
/// <c>./coordination openapi</c> (<see cref="OpenApiExport"/>) and linted in the test suite.
/// </summary>
public static class ApiDescriptions
{
    /// <summary>The document's name: <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddCoordinationOpenApi(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var description = new ServiceDescription(environment.ApplicationName, configuration.GetSection("OpenApi"));
        services.AddOpenApi(DocumentName, options =>
        {
            // 3.1, the version Redocly lints and partners' generators read.
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // The HTTP API (/api/<service>/…) and the OAuth endpoints (/connect/…); HTML pages (sign-in, invitation,
            // password reset) are a browser's, not a program's.
            options.ShouldInclude = api => api.RelativePath is { } path
                                           && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("connect/", StringComparison.Ordinal));
            options.AddOperationTransformer(new ProblemResponses().TransformAsync);
            options.AddDocumentTransformer(new DocumentDescription(description).TransformAsync);
        });
        return services;
    }
}

/// <summary>
/// What a service says of itself in its <c>appsettings.json</c> (section <c>OpenApi</c>): <c>Description</c> and one
/// line per tag (<c>Tags:&lt;tag&gt;</c>). The application name gives the title.
/// </summary>
public sealed record ServiceDescription(string ApplicationName, IConfigurationSection Section)
{
    /// <summary>"Coordination.Referrals" → "Referrals".</summary>
    public string Service => ApplicationName.StartsWith("Coordination.", StringComparison.Ordinal)
        ? ApplicationName["Coordination.".Length..]
        : ApplicationName;

    public string? Description => Section["Description"];

    public string? Tag(string name) => Section.GetSection("Tags")[name];
}

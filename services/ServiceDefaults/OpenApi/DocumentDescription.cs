using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordination.ServiceDefaults.OpenApi;

/// <summary>
/// The document as a whole: title and description, the servers a partner calls (always the gateway, never a service
/// directly), the Bearer (JWT) security scheme and how to obtain a token, and a description for every tag in use.
/// The servers are fixed rather than read from the request, so that an exported document does not depend on who
/// exported it.
/// </summary>
public sealed class DocumentDescription(ServiceDescription service)
{
    /// <summary>The public origin of the gateway in the Kubernetes manifests (infra/k8s/base/ingress.yaml).</summary>
    public const string ProductionServer = "https://coordination.example.org";

    /// <summary>The gateway of <c>./coordination up</c>.</summary>
    public const string LocalServer = "http://localhost:8080";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = $"Coordination – {service.Service} API",
            Version = ApiDescriptions.DocumentName,
            Description = (service.Description ?? $"The {service.Service} service of the Coordination platform.") +
                          "\n\nEvery call goes through the gateway. Errors are RFC 9457 problem details " +
                          "(`application/problem+json`) whose `title` and `detail` are in French. Commands on an existing " +
                          "resource send its version in `If-Match` (the `ETag` of the last read).",
        };
        document.Servers =
        [
            new OpenApiServer { Url = ProductionServer, Description = "Production gateway (the ingress host; yours may differ)" },
            new OpenApiServer { Url = LocalServer, Description = "Local platform started by ./coordination up" },
        ];
        BearerReference(document);
        // Every problem answer now refers to ProblemDetails (ProblemResponses): the framework's stricter copy is unused.
        document.Components?.Schemas?.Remove("HttpValidationProblemDetails");

        var tags = document.Paths.Values
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            .Select(t => t.Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        document.Tags = new HashSet<OpenApiTag>(tags.Select(name => new OpenApiTag
        {
            Name = name,
            Description = service.Tag(name) ?? $"Operations of the {service.Service} service on {name}.",
        }));
        return Task.CompletedTask;
    }

    /// <summary>Registers the Bearer scheme in the document (once) and returns a reference to it.</summary>
    public static OpenApiSecuritySchemeReference BearerReference(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiDescriptions.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An OAuth 2.0 access token (a JWT of type `at+jwt`, audience `coordination-api`) issued by the " +
                          "Identity service (`/connect/token`: authorization code with PKCE for people, client credentials " +
                          "for jobs), sent as `Authorization: Bearer <token>`. Tokens live at most five minutes.",
        };
        return new OpenApiSecuritySchemeReference(ApiDescriptions.BearerScheme, document);
    }
}

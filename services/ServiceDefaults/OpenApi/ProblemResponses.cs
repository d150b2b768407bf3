using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordination.ServiceDefaults.EventSourcing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordination.ServiceDefaults.OpenApi;

/// <summary>
/// Per operation, what the shared pipeline makes true of every endpoint, written down: which ones need a Bearer token
/// (all but <c>AllowAnonymous</c>: the authorization fallback policy), the <c>If-Match</c> header of versioned commands
/// (an <see cref="ExpectedVersion"/> parameter), and every problem-details answer the operation can give — 400 where it
/// reads input, 401/403 where it needs a token, 404 where the path names a resource, 409 for commands, 412/428 for
/// versioned commands, 415 for JSON bodies — each with an example. Answers an endpoint declares itself are kept.
/// </summary>
public sealed partial class ProblemResponses
{
    private const string ExampleId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var document = context.Document
                       ?? throw new InvalidOperationException("The OpenAPI document is not available to operation transformers.");
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var versioned = metadata.OfType<MethodInfo>()
            .Any(handler => handler.GetParameters().Any(p => p.ParameterType == typeof(ExpectedVersion)));

        operation.OperationId ??= OperationId(method, path);
        // One endpoint under several methods (MapMethods) would give its name to several operations: ids must be unique.
        if (metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().LastOrDefault() is { HttpMethods.Count: > 1 })
            operation.OperationId += char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();
        if (versioned) AddIfMatch(operation);

        operation.Security = anonymous
            // An explicit "no requirement": this operation is public (health, discovery, sign-in pages).
            ? [new OpenApiSecurityRequirement()]
            : [new OpenApiSecurityRequirement { [DocumentDescription.BearerReference(document)] = [] }];

        var jsonBody = operation.RequestBody?.Content?.Keys.Any(k => k.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;
        var readsInput = jsonBody || operation.RequestBody is not null || operation.Parameters is { Count: > 0 };
        var command = method is not ("GET" or "HEAD" or "OPTIONS");
        var statuses = new List<int>();
        if (readsInput) statuses.Add(400);
        if (!anonymous) statuses.AddRange([401, 403]);
        if (path.Contains('{')) statuses.Add(404);
        if (command && !anonymous) statuses.Add(409);
        if (versioned) statuses.AddRange([412, 428]);
        if (jsonBody) statuses.Add(415);

        operation.Responses ??= new OpenApiResponses();
        var examplePath = RouteParameter().Replace(path, ExampleId);
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            operation.Responses.TryAdd(key, ProblemExamples.Response(status, examplePath, document));
        }
        foreach (var (key, declared) in operation.Responses)
            if (int.TryParse(key, out var status) && IsProblem(declared))
                Complete(declared, status, examplePath, document);
        return Task.CompletedTask;
    }

    private static bool IsProblem(IOpenApiResponse response) =>
        response.Content?.Keys.Any(k => k == ProblemExamples.MediaType) == true;

    /// <summary>An answer the endpoint declared (<c>ValidationProblem</c>, <c>.ProducesProblem</c>) gets an example too.</summary>
    private static void Complete(IOpenApiResponse declared, int status, string examplePath, OpenApiDocument document)
    {
        if (declared is not OpenApiResponse { Content: { } content } response) return;
        var media = content[ProblemExamples.MediaType];
        // The framework's HttpValidationProblemDetails forbids the traceId and correlationId every answer carries.
        media.Schema = ProblemExamples.Schema(document);
        if (!ProblemExamples.Statuses.Contains(status)) return;
        media.Example ??= ProblemExamples.Example(status, examplePath);
        if (string.IsNullOrEmpty(response.Description) || response.Description is "Bad Request" or "Not Found" or "Conflict" or "Forbidden")
            response.Description = ProblemExamples.Response(status, examplePath, document).Description;
    }

    private static void AddIfMatch(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => string.Equals(p.Name, "If-Match", StringComparison.OrdinalIgnoreCase))) return;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = true,
            Description = "The version (`ETag`) of the resource this command modifies, as the last read returned it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create("\"3\""),
        });
    }

    /// <summary>For endpoints without a name: <c>POST /api/referrals/{id}/history</c> → <c>postApiReferralsIdHistory</c>.</summary>
    private static string OperationId(string method, string path)
    {
        var words = NonWord().Split(RouteConstraint().Replace(path, "")).Where(w => w.Length > 0)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]);
        return method.ToLowerInvariant() + string.Concat(words);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@":[^}]+")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex NonWord();
}

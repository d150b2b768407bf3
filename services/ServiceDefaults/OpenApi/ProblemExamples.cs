using System.Text.Json.Nodes;
using Coordination.ServiceDefaults.Http;
using Microsoft.OpenApi;

namespace Coordination.ServiceDefaults.OpenApi;

/// <summary>
/// The problem-details answers (RFC 9457, ex-7807) as the services write them (<see cref="Problems"/>,
/// <see cref="ProblemDetailsExceptionHandler"/>): the shared <c>ProblemDetails</c> schema and, per status, what the answer
/// means and an example with the French title and detail a person reads.
/// </summary>
public static class ProblemExamples
{
    public const string SchemaName = "ProblemDetails";
    public const string MediaType = "application/problem+json";

    private const string ExampleTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static readonly Dictionary<int, (string Meaning, string? Type, string Detail)> Answers = new()
    {
        [400] = ("Invalid request: a malformed body, parameter or header, or field errors (`errors` lists them per field).",
            "https://tools.ietf.org/html/rfc9110#section-15.5.1", "Corrigez les champs signalés puis renvoyez la demande."),
        [401] = ("No valid access token: missing, expired, or not issued for this API.",
            "https://tools.ietf.org/html/rfc9110#section-15.5.2", "Connectez-vous pour accéder à cette ressource."),
        [403] = ("The caller is known but its role or organisation may not do this.",
            "https://tools.ietf.org/html/rfc9110#section-15.5.4", "Votre rôle ne vous permet pas cette action."),
        [404] = ("The resource does not exist, or the caller may not know that it does (both answer the same).",
            "https://tools.ietf.org/html/rfc9110#section-15.5.5", "Cette ressource n'existe pas ou vous n'y avez pas accès."),
        [409] = ("The current state does not allow this (a rule of the agreement, an illegal transition, an existing id).",
            "https://tools.ietf.org/html/rfc9110#section-15.5.10", "Cette action n'est pas possible dans l'état actuel de la ressource."),
        [412] = ("`If-Match` names a version that is no longer current: reload the resource (its `ETag`), then retry.",
            "https://tools.ietf.org/html/rfc9110#section-15.5.13",
            "La ressource a été modifiée entre-temps (version attendue 3, version actuelle 4). Rechargez-la puis recommencez."),
        [415] = ("The body is not JSON (`Content-Type: application/json` expected).",
            "https://tools.ietf.org/html/rfc9110#section-15.5.16", "Le corps de la requête doit être du JSON (Content-Type: application/json)."),
        [428] = ("`If-Match` is missing: every command on an existing resource names the version (`ETag`) it modifies.",
            null, "Indiquez dans l'en-tête If-Match la version (ETag) de la ressource que vous modifiez."),
    };

    public static IEnumerable<int> Statuses => Answers.Keys;

    /// <summary>The shared schema, registered once per document (what every problem answer refers to).</summary>
    public static OpenApiSchemaReference Schema(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaName] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error answer (RFC 9457). `title` and `detail` are French: a social worker may read them.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI naming the kind of problem.", "uri-reference"),
                ["title"] = Text("Short French summary of the kind of problem."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
                ["detail"] = Text("French explanation of this occurrence; never personal data."),
                ["instance"] = Text("The request path.", "uri-reference"),
                ["traceId"] = Text("The W3C trace id: quote it to the operators."),
                ["correlationId"] = Text("The X-Correlation-Id of the request."),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Field errors (400 only): the field's path → French messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text("A French message.") },
                },
            },
        };
        return new OpenApiSchemaReference(SchemaName, document);
    }

    public static OpenApiResponse Response(int status, string path, OpenApiDocument document)
    {
        var (meaning, _, _) = Answers[status];
        return new OpenApiResponse
        {
            Description = meaning,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaType] = new() { Schema = Schema(document), Example = Example(status, path) },
            },
        };
    }

    /// <summary>An example body as the service writes it for <paramref name="status"/> on <paramref name="path"/>.</summary>
    public static JsonObject Example(int status, string path)
    {
        var (_, type, detail) = Answers[status];
        var example = new JsonObject();
        if (type is not null) example["type"] = type;
        example["title"] = status == 400 ? "Certaines informations sont invalides" : Problems.TitleFor(status);
        example["status"] = status;
        example["detail"] = detail;
        example["instance"] = path;
        example["traceId"] = ExampleTraceId;
        if (status == 400)
            example["errors"] = new JsonObject { ["name"] = new JsonArray("Ce champ est obligatoire.") };
        return example;
    }

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Format = format, Description = description };
}

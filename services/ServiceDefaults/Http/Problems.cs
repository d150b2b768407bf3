using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// RFC 7807 problem details everywhere, with French titles: a social worker may read them in the portal.
/// </summary>
public static class Problems
{
    private static readonly Dictionary<int, string> FrenchTitles = new()
    {
        [400] = "Requête invalide",
        [401] = "Authentification requise",
        [403] = "Accès refusé",
        [404] = "Ressource introuvable",
        [405] = "Méthode non autorisée",
        [406] = "Format de réponse non disponible",
        [409] = "Conflit avec l'état actuel",
        [412] = "Version périmée",
        [413] = "Requête trop volumineuse",
        [415] = "Type de contenu non pris en charge",
        [428] = "En-tête If-Match obligatoire",
        [429] = "Trop de requêtes",
        [500] = "Erreur interne",
        [502] = "Service injoignable",
        [503] = "Service momentanément indisponible",
        [504] = "Service trop lent à répondre",
    };

    public static string TitleFor(int status) =>
        FrenchTitles.TryGetValue(status, out var title) ? title : "Erreur";

    public static IServiceCollection AddCoordinationProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            // Replace the framework's English default titles; keep titles an endpoint chose itself.
            if (problem.Title is null || problem.Title == DefaultEnglishTitle(status))
                problem.Title = TitleFor(status);
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Items[CorrelationIds.ItemKey] is string correlationId)
                problem.Extensions["correlationId"] = correlationId;
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    private static string? DefaultEnglishTitle(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "An error occurred while processing your request.",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => null,
    };

    public static ProblemHttpResult NotFound(string detail = "Cette ressource n'existe pas ou vous n'y avez pas accès.") =>
        TypedResults.Problem(statusCode: 404, title: TitleFor(404), detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: 409, title: TitleFor(409), detail: detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: 403, title: TitleFor(403), detail: detail);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Certaines informations sont invalides",
            detail: "Corrigez les champs signalés puis renvoyez la demande.");
}

using System.Net.Sockets;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Coordination.ServiceDefaults.EventSourcing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// Turns exceptions into problem details. A client's mistake is never a 500; an unavailable
/// database is a 503 the client may retry. Messages logged here never include request bodies.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status >= 500)
            LogServerError(logger, exception.GetType().Name, httpContext.Request.Path, exception);
        else
            LogClientError(logger, problem.Status ?? 400, exception.GetType().Name, httpContext.Request.Path);

        httpContext.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == 503)
            httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Map(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: 413 } => Problem(413, "Le corps de la requête dépasse la taille autorisée."),
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        BadHttpRequestException bad when bad.Message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase) =>
            Problem(415, "Le corps de la requête doit être du JSON (Content-Type: application/json)."),
        BadHttpRequestException bad => Problem(bad.StatusCode, "La requête est mal formée : vérifiez les paramètres et le corps envoyés."),
        JsonException json => InvalidJson(json),
        StaleVersion stale => Problem(412, stale.Message),
        PreconditionRequired missing => Problem(428, missing.Message),
        InvalidHeader header => Problem(400, header.Message),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException =>
            Problem(412, "La ressource a été modifiée entre-temps par quelqu'un d'autre. Rechargez-la puis recommencez."),
        ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException => Problem(409, "Une ressource avec cet identifiant existe déjà."),
        BusinessRuleViolation rule => Problem(409, rule.Message),
        Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException =>
            Problem(400, "Le formulaire a expiré ou n'est pas valide : rechargez la page puis recommencez."),
        AccessDenied denied => Problem(403, denied.Message),
        InvalidRequest invalid => new HttpValidationProblemDetails(invalid.Errors)
        {
            Status = 400, Title = "Certaines informations sont invalides", Detail = "Corrigez les champs signalés puis renvoyez la demande.",
        },
        ResourceNotFound missing => Problem(404, missing.Message),
        OperationCanceledException => Problem(499, "La requête a été annulée."),
        NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: SocketException } or TimeoutException =>
            Problem(503, "La base de données est momentanément indisponible. Réessayez dans quelques secondes."),
        // The same failures wrapped by Marten (command failure, disposed transaction after a dropped connection).
        _ when TransientFailures.IsTransient(exception) =>
            Problem(503, "La base de données est momentanément indisponible. Réessayez dans quelques secondes."),
        _ => Problem(500, "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez plus tard."),
    };

    private static ProblemDetails InvalidJson(JsonException json)
    {
        var field = JsonPathToField(json.Path);
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [field == "body"
                ? "Le corps de la requête n'est pas un JSON valide."
                : "Valeur absente, d'un type inattendu ou non reconnue."],
        })
        {
            Status = 400,
            Title = "Certaines informations sont invalides",
            Detail = "Le JSON envoyé ne correspond pas au format attendu.",
        };
        return problem;
    }

    /// <summary><c>$.coverage.departements[2]</c> → <c>coverage.departements[2]</c>.</summary>
    private static string JsonPathToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static ProblemDetails Problem(int status, string detail) =>
        new() { Status = status, Title = Problems.TitleFor(status), Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Path}")]
    private static partial void LogServerError(ILogger logger, string exceptionType, PathString path, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {Status} ({ExceptionType}) on {Path}")]
    private static partial void LogClientError(ILogger logger, int status, string exceptionType, PathString path);
}

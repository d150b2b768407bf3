using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;

namespace Coordination.Projects.AttachingDocument;

public sealed record AttachDocument(Guid DocumentId, string FileName, string ContentType, long Size, string Sha256, CurrentUser By, DateTimeOffset At);

public static class AttachDocumentEndpoint
{
    public const long MaxDocumentBytes = 2 * 1024 * 1024;

    /// <summary>Office documents, PDF and images only: stored as bytes, always downloaded, never rendered.</summary>
    public static readonly IReadOnlyDictionary<string, string> AllowedDocumentTypes = new Dictionary<string, string>
    {
        ["application/pdf"] = ".pdf",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.oasis.opendocument.text"] = ".odt",
        ["application/vnd.oasis.opendocument.spreadsheet"] = ".ods",
        ["text/csv"] = ".csv",
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
    };

    public static IReadOnlyList<object> Decide(AttachDocument command, Project project)
    {
        project.EnsureMayChange(command.By);
        return [new DocumentAttached(project.Id, command.DocumentId, command.FileName, command.ContentType, command.Size, command.Sha256,
            command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapAttachDocument(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/documents", Handle)
            .WithMetadata(new RequestSizeLimitAttribute(MaxDocumentBytes + 1))
            .WithName("AttachProjectDocument")
            .WithSummary("Attach a file (body = the file, Content-Type its type, ?fileName=…); 2 MiB at most, PDF/office/images only.");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct, string? fileName = null)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (!AllowedDocumentTypes.TryGetValue(contentType, out var extension))
            return TypedResults.Problem(statusCode: 415, title: Problems.TitleFor(415),
                detail: "Type de fichier refusé : PDF, documents bureautiques (docx, xlsx, odt, ods, csv) ou images (png, jpeg) seulement.");
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (!IsAcceptableName(name, extension))
            return Problems.Invalid(new Dictionary<string, string[]> { ["fileName"] = [$"Indiquez le nom du fichier (?fileName=…), avec l'extension {extension}."] });
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxDocumentBytes)
            return TypedResults.Problem(statusCode: 413, title: Problems.TitleFor(413), detail: "Le fichier dépasse 2 Mio.");
        if (buffer.Length == 0)
            return Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["Le fichier est vide."] });
        var bytes = buffer.ToArray();
        var documentId = Guid.CreateVersion7();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var result = await ProjectCommand.Execute(id, ExpectedVersion.Any, http, session, (project, user) =>
        {
            var events = Decide(new AttachDocument(documentId, name, contentType, bytes.Length, sha, user, time.GetUtcNow()), project);
            // Stored in the same transaction as its event, and only once the decision allowed it.
            session.Store(new StoredDocument(documentId, id, name, contentType, bytes.Length, sha, bytes));
            return events;
        }, ct);
        http.Response.Headers.Location = $"/api/projects/{id}/documents/{documentId}";
        return result.Result switch
        {
            NoContent noContent => noContent,
            ValidationProblem invalid => invalid,
            _ => throw new InvalidOperationException("A project command answers 204 or 400."),
        };
    }

    private static bool IsAcceptableName(string name, string extension) =>
        name.Length is > 0 and <= 150
        && !name.Any(c => char.IsControl(c) || c is '/' or '\\')
        && (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)
            || extension == ".jpg" && name.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase));
}

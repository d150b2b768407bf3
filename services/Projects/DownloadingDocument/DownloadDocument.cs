namespace Coordination.Projects.DownloadingDocument;

public static class DownloadDocument
{
    public const string NotFound = "Aucun document avec cet identifiant.";

    public static RouteGroupBuilder MapDownloadDocument(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/documents/{documentId:guid}", async Task<IResult> (Guid id, Guid documentId, HttpContext http,
                IQuerySession session, CancellationToken ct) =>
            {
                // The project's organisations and the coordinators only; to anyone else the document does not exist.
                var project = await session.LoadAsync<Project>(id, ct);
                if (project is null || !project.Involves(CurrentUser.From(http.User))) return Problems.NotFound(NotFound);
                var document = await session.LoadAsync<StoredDocument>(documentId, ct);
                if (document is null || document.ProjectId != id) return Problems.NotFound(NotFound);
                // Always a download, never rendered inline (no script, no HTML can run from a stored file).
                return TypedResults.File(document.Content, "application/octet-stream", document.FileName);
            })
            .WithName("DownloadProjectDocument").WithSummary("Download an attached file (always as an attachment; the project's organisations, coordinators).");
        return group;
    }
}

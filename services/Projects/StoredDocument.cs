namespace Coordination.Projects;

/// <summary>An attached file, kept as bytes beside the project's streams; only ever downloaded as an attachment.</summary>
public sealed record StoredDocument(Guid Id, Guid ProjectId, string FileName, string ContentType, long Size, string Sha256, byte[] Content);

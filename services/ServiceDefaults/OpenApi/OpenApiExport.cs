using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordination.ServiceDefaults.OpenApi;

/// <summary>
/// <c>dotnet &lt;service&gt;.dll --openapi=&lt;file&gt;</c> writes the service's OpenAPI document and exits, without
/// starting anything or reaching a database: what <c>./coordination openapi</c> runs to refresh <c>docs/api/</c>, and what
/// the test that keeps those files current compares with. (Microsoft.Extensions.ApiDescription.Server does this at build
/// time by running the whole service, which needs its secrets and its database: not something a build should need.)
/// </summary>
public static class OpenApiExport
{
    public const string Argument = "--openapi=";

    public static string? RequestedFile(IEnumerable<string>? args = null) =>
        (args ?? Environment.GetCommandLineArgs()).FirstOrDefault(a => a.StartsWith(Argument, StringComparison.Ordinal))?[Argument.Length..];

    /// <summary>Writes the document (OpenAPI 3.1 JSON, "\n" line ends, a final newline) and returns the exit code.</summary>
    public static async Task<int> WriteAsync(WebApplication app, string file)
    {
        // Outside a running server the endpoints mapped on the app are not yet the routing's: UseEndpoints hands them over
        // (what the server's start would do), so the description sees every operation. The process exits right after.
        app.UseRouting();
        app.UseEndpoints(_ => { });
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiDescriptions.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync();
        await using var text = new StringWriter { NewLine = "\n" };
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var json = text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, json);
        Console.WriteLine($"{app.Environment.ApplicationName}: OpenAPI document written to {full}");
        return 0;
    }
}

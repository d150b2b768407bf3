using System.Diagnostics;
using System.Text.Json;
using Coordination.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// The API descriptions partners build on (<c>docs/api/&lt;service&gt;.json</c>): current with the code (each service
/// exports its own with <c>--openapi=&lt;file&gt;</c>, as <c>./coordination openapi</c> does), clean under Redocly CLI's
/// recommended rules (0 errors, and no warning of a kind not explained in docs/operations.md), and saying what a
/// partner needs: how to authenticate, the If-Match of versioned commands, every problem-details answer with an example.
/// </summary>
public sealed class OpenApiDocumentsTests(ITestOutputHelper output)
{
    private static readonly string[] Services = ["identity", "directory", "dashboard", "referrals", "training", "projects", "notifications"];

    /// <summary>The warnings left on purpose, each explained in docs/operations.md ("API descriptions").</summary>
    private static readonly HashSet<string> ExplainedWarnings = ["info-license", "no-server-example.com", "no-ambiguous-paths", "operation-2xx-response"];

    private static string Committed(string service) => Path.Combine(LocalMachine.RepositoryRoot, "docs", "api", $"{service}.json");

    [Fact]
    public void The_committed_documents_are_what_the_services_describe_today()
    {
        var exported = System.IO.Directory.CreateTempSubdirectory("openapi-").FullName;
        try
        {
            var stale = new List<string>();
            foreach (var service in Services)
            {
                var file = Path.Combine(exported, $"{service}.json");
                var process = new ServiceProcess(Folder(service), new Dictionary<string, string>(), $"openapi-{service}");
                var (exitCode, text) = process.RunToCompletion($"'--openapi={file}'", TimeSpan.FromMinutes(2));
                Assert.True(exitCode == 0 && File.Exists(file), $"{service} --openapi failed ({exitCode}):\n{text}");
                if (!File.Exists(Committed(service)) || File.ReadAllText(Committed(service)) != File.ReadAllText(file))
                    stale.Add(service);
            }
            Assert.True(stale.Count == 0,
                $"docs/api is stale for {string.Join(", ", stale)}: run `./coordination openapi` and commit docs/api/.");
        }
        finally
        {
            System.IO.Directory.Delete(exported, recursive: true);
        }
    }

    [Fact]
    public async Task Every_document_lints_with_no_error_under_Redocly_recommended_rules()
    {
        var redocly = (await Run("bash", Path.Combine(LocalMachine.RepositoryRoot, "infra", "openapi", "tools.sh"))).Output.Trim().Split('\n')[^1];
        var (errors, warnings) = (0, new Dictionary<string, int>());
        foreach (var service in Services)
        {
            var (_, json) = await Run(redocly, "lint", "--extends", "recommended", "--format", "json", Committed(service));
            using var report = JsonDocument.Parse(json[json.IndexOf('{')..]);
            foreach (var problem in report.RootElement.GetProperty("problems").EnumerateArray())
            {
                var rule = problem.GetProperty("ruleId").GetString()!;
                var where = problem.GetProperty("location")[0].GetProperty("pointer").GetString();
                if (problem.GetProperty("severity").GetString() == "error")
                {
                    errors++;
                    output.WriteLine($"ERROR {service} {rule} {where}: {problem.GetProperty("message").GetString()}");
                }
                else
                    warnings[rule] = warnings.GetValueOrDefault(rule) + 1;
            }
        }
        output.WriteLine($"{Services.Length} documents: {errors} errors, {warnings.Values.Sum()} warnings " +
                         $"({string.Join(", ", warnings.Select(w => $"{w.Key} {w.Value}"))})");
        Assert.Equal(0, errors);
        Assert.Empty(warnings.Keys.Except(ExplainedWarnings));
    }

    [Fact]
    public void Every_operation_says_how_to_authenticate_and_every_problem_answer_it_can_give()
    {
        var operations = 0;
        foreach (var service in Services)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Committed(service)));
            var root = document.RootElement;
            var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
            Assert.Equal(("http", "bearer", "JWT"),
                (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString(), bearer.GetProperty("bearerFormat").GetString()));
            Assert.NotEmpty(root.GetProperty("servers").EnumerateArray());
            var before = operations;
            foreach (var path in root.GetProperty("paths").EnumerateObject())
                foreach (var operation in path.Value.EnumerateObject())
                {
                    operations++;
                    var op = operation.Value;
                    var name = $"{service}: {operation.Name.ToUpperInvariant()} {path.Name}";
                    Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), $"{name}: no summary");
                    var security = op.GetProperty("security").EnumerateArray().ToList();
                    var needsToken = security.Any(r => r.TryGetProperty("Bearer", out _));
                    Assert.True(needsToken || security is [{ ValueKind: JsonValueKind.Object } anonymous] && !anonymous.EnumerateObject().Any(),
                        $"{name}: neither Bearer nor explicitly anonymous");
                    var responses = op.GetProperty("responses");
                    List<string> expected = needsToken ? ["401", "403"] : [];
                    if (path.Name.Contains('{')) expected.Add("404");
                    var ifMatch = op.TryGetProperty("parameters", out var parameters)
                                  && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "If-Match");
                    if (ifMatch) expected.AddRange(["412", "428", "409"]);
                    if (op.TryGetProperty("requestBody", out _) || ifMatch) expected.Add("400");
                    foreach (var status in expected)
                    {
                        Assert.True(responses.TryGetProperty(status, out var answer), $"{name}: no {status} answer");
                        if (status == "400" && path.Name.StartsWith("/connect/", StringComparison.Ordinal)) continue; // OAuth's own errors
                        var problem = answer.GetProperty("content").GetProperty("application/problem+json");
                        Assert.Equal("#/components/schemas/ProblemDetails", problem.GetProperty("schema").GetProperty("$ref").GetString());
                        Assert.Equal(int.Parse(status), problem.GetProperty("example").GetProperty("status").GetInt32());
                    }
                }
            // The smallest (Notifications) has 12: fewer than 10 means the export lost endpoints (routing not handed over).
            Assert.True(operations - before >= 10, $"{service}: only {operations - before} operations described");
        }
        output.WriteLine($"{Services.Length} documents, {operations} operations checked");
    }

    private static string Folder(string service) => $"services/{char.ToUpperInvariant(service[0])}{service[1..]}";

    private static async Task<(int ExitCode, string Output)> Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var (text, errors) = (await stdout, await stderr);
        return (process.ExitCode, text.Length > 0 ? text : errors);
    }
}

using System.Diagnostics;
using Coordination.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// The Kubernetes manifests kept honest in the suite: <c>infra/k8s/validate.sh</c> lints every file, builds both overlays
/// with kustomize and cross-checks them against the code (connection strings and settings of appsettings.json, probes on
/// /health and /alive, the migration Job running every service's image with --migrate, Secrets, selectors).
/// </summary>
public sealed class KubernetesManifestsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Both_overlays_build_lint_clean_and_match_the_code()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(LocalMachine.RepositoryRoot, "infra", "k8s", "validate.sh"));
        using var validate = Process.Start(start)!;
        var stdout = validate.StandardOutput.ReadToEndAsync();
        var stderr = validate.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await validate.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine(text);

        Assert.True(validate.ExitCode == 0, $"validate.sh failed ({validate.ExitCode}):\n{text}");
        Assert.Contains("yamllint: ok", text);
        Assert.Contains("check dev:", text);
        Assert.Contains("check prod:", text);
        Assert.DoesNotContain("PROBLEM", text);
    }
}

extern alias benchmarks;
using System.Text.Json;
using Xunit.Abstractions;

namespace Coordination.EndToEnd.Tests;

/// <summary>
/// The platform as <c>./coordination up</c> configures it for the demo: every account of <c>infra/demo/accounts.json</c>
/// and Referrals' demo clock (the seeder plays old, overdue and expired hand-offs).
/// </summary>
public sealed class DemoPlatformFixture : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreIdentitySettings() =>
        [new("Identity:AccountsFile", DemoSeedTests.DemoFile("accounts.json")), new("Identity:PasswordGrant", "true")];

    protected override IEnumerable<KeyValuePair<string, string?>> MoreReferralsSettings() =>
        [new("Referrals:DemoClock:Enabled", "true")];
}

/// <summary>
/// The README's first command ends by seeding the demo with <c>infra/DemoSeed</c>. The seeder is run here as `up` runs
/// it, on the real demo files, so that a change to the data files or to an API the seeder calls breaks a test instead of
/// a newcomer's first start (a field added to accounts.json once did). A second run changes nothing.
/// </summary>
public class DemoSeedTests(DemoPlatformFixture platform, ITestOutputHelper output) : IClassFixture<DemoPlatformFixture>
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    public static string DemoFile(string name) => Path.Combine(LocalMachine.RepositoryRoot, "infra", "demo", name);

    private static int RecordsIn(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DemoFile(file)));
        return document.RootElement.GetArrayLength();
    }

    [Fact]
    public async Task The_demo_is_seeded_as_up_seeds_it_and_a_second_run_changes_nothing()
    {
        var organisations = RecordsIn("organisations.json");
        var referrals = RecordsIn("referrals.json");
        var aids = RecordsIn("aids.json");

        var first = await RunSeederAsync();
        Assert.True(first.Exit == 0, $"the first run exited with {first.Exit}:\n{first.Stderr}\n{first.Stdout}");
        Assert.Contains($"Demo data: {organisations} organisations created, 0 already present.", first.Stdout);
        Assert.Contains($"Demo referrals: {referrals} created, 0 already present.", first.Stdout);
        Assert.Contains($"Demo guide of aids: {aids} aids created, 0 already present.", first.Stdout);
        Assert.Contains("Demo training:", first.Stdout);
        Assert.Contains("Demo projects:", first.Stdout);

        var second = await RunSeederAsync();
        Assert.True(second.Exit == 0, $"the second run exited with {second.Exit}:\n{second.Stderr}\n{second.Stdout}");
        Assert.Contains($"Demo data: 0 organisations created, {organisations} already present.", second.Stdout);
        Assert.Contains($"Demo referrals: 0 created, {referrals} already present.", second.Stdout);
        Assert.Contains($"Demo guide of aids: 0 aids created, {aids} already present.", second.Stdout);
        Assert.Contains("Demo training: 0 modules, 0 sessions, 0 interventions created", second.Stdout);
        Assert.Contains("Demo projects: 0 projects created", second.Stdout);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunSeederAsync()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Coordination.DemoSeed.dll");
        Assert.True(File.Exists(tool), $"{tool} is missing: the test project references infra/DemoSeed");
        var (exit, stdout, stderr) = await benchmarks::Coordination.Benchmarks.ProcessRunner.RunAsync(
            "dotnet", [tool, "--gateway", platform.Gateway.Address.ToString(), "--data", Path.GetDirectoryName(DemoFile("accounts.json"))!],
            RunLimit, new Dictionary<string, string>());
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        return (exit, stdout, stderr);
    }
}

using Xunit;

namespace Coordination.Architecture.Tests;

public sealed class ServiceHostsTests(ServiceHosts hosts) : IClassFixture<ServiceHosts>
{
    /// <summary>A new service (a folder with a Program.cs) is checked by every architecture test once it is listed.</summary>
    [Fact]
    public void Every_process_of_the_repository_is_checked()
    {
        var root = ServiceHosts.RepositoryRoot();
        var processes = new[] { "services", "gateway" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "Program.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(path => Path.GetRelativePath(root, Path.GetDirectoryName(path)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order();

        Assert.Equal(processes, hosts.All.Select(h => h.Folder).Order());
    }
}

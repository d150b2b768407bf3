using System.Net;
using System.Net.Sockets;

namespace Coordination.Testing;

/// <summary>What tests that run real processes need of the machine: free loopback ports and the repository's root.</summary>
public static class LocalMachine
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordination.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Coordination.sln not found above " + AppContext.BaseDirectory);
    }
}

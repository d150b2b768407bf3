using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Coordination.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests run against, chosen once per test run:
/// 1. servers named by environment (COORDINATION_PG, COORDINATION_AMQP, COORDINATION_RABBIT_MANAGEMENT —
///    what <c>./coordination test</c> exports after starting the local servers);
/// 2. otherwise, when a Docker engine answers, Testcontainers;
/// 3. otherwise a clear failure saying how to start the local servers. Never a silent skip.
/// Each test host then gets its own database and its own RabbitMQ virtual host, so hosts never interfere.
/// </summary>
public static class TestInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Endpoints? endpoints;

    public sealed record Endpoints(string Postgres, Uri Amqp, Uri Management);

    public static async Task<Endpoints> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return endpoints ??= await Discover();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<Endpoints> Discover()
    {
        var pg = Environment.GetEnvironmentVariable("COORDINATION_PG");
        var amqp = Environment.GetEnvironmentVariable("COORDINATION_AMQP");
        var management = Environment.GetEnvironmentVariable("COORDINATION_RABBIT_MANAGEMENT");
        if (!string.IsNullOrEmpty(pg) && !string.IsNullOrEmpty(amqp) && !string.IsNullOrEmpty(management))
        {
            var configured = new Endpoints(pg, new Uri(amqp), new Uri(management));
            await EnsureReachable(configured);
            return configured;
        }

        if (DockerAnswers())
            return await StartContainers();

        throw new InvalidOperationException(
            "No PostgreSQL/RabbitMQ for the integration tests. Run the tests with ./coordination test (it starts the " +
            "local servers), or start them with ./coordination servers start and export what " +
            "`infra/servers.sh env` prints (COORDINATION_PG, COORDINATION_AMQP, COORDINATION_RABBIT_MANAGEMENT); " +
            "with a Docker engine, Testcontainers is used instead.");
    }

    private static async Task EnsureReachable(Endpoints e)
    {
        foreach (var (name, host, port) in new[]
                 {
                     ("PostgreSQL", new NpgsqlConnectionStringBuilder(e.Postgres).Host!, new NpgsqlConnectionStringBuilder(e.Postgres).Port),
                     ("RabbitMQ", e.Amqp.Host, e.Amqp.Port),
                 })
        {
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"{name} is configured at {host}:{port} but does not answer ({ex.GetType().Name}). " +
                    "Start the local servers with ./coordination servers start.", ex);
            }
        }
    }

    private static bool DockerAnswers()
    {
        var socket = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host && host.StartsWith("unix://")
            ? host["unix://".Length..]
            : "/var/run/docker.sock";
        if (!File.Exists(socket)) return false;
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<Endpoints> StartContainers()
    {
        var postgres = new PostgreSqlBuilder("postgres:15").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management")
            .WithUsername("coordination").WithPassword("coordination").WithPortBinding(15672, true).Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        var pg = new NpgsqlConnectionStringBuilder(postgres.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        var management = new Uri($"http://coordination:coordination@{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}");
        return new Endpoints(pg, new Uri(rabbit.GetConnectionString()), management);
    }

    /// <summary>A fresh database for one test host; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var e = await GetAsync();
        var name = $"test_{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(e.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(e.Postgres) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var e = await GetAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(e.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A fresh RabbitMQ virtual host for one test (exchanges are per message type: sharing one would cross-deliver).</summary>
    public static async Task<Uri> CreateVirtualHostAsync(string prefix)
    {
        var e = await GetAsync();
        var vhost = $"test-{prefix}-{Guid.NewGuid():N}";
        using var http = Management(e);
        (await http.PutAsync($"api/vhosts/{vhost}", Json("{}"))).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(e.Amqp.UserInfo.Split(':')[0]);
        (await http.PutAsync($"api/permissions/{vhost}/{user}",
            Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
        return new UriBuilder(e.Amqp) { Path = "/" + vhost }.Uri;
    }

    public static async Task DeleteVirtualHostAsync(Uri amqp)
    {
        var e = await GetAsync();
        using var http = Management(e);
        await http.DeleteAsync($"api/vhosts/{amqp.AbsolutePath.TrimStart('/')}");
    }

    /// <summary>Messages ready plus unacknowledged in a queue of the given virtual host (management API).</summary>
    public static async Task<int?> QueueDepthAsync(Uri amqp, string queue)
    {
        var e = await GetAsync();
        using var http = Management(e);
        var response = await http.GetAsync($"api/queues/{amqp.AbsolutePath.TrimStart('/')}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    private static HttpClient Management(Endpoints e)
    {
        var credentials = Uri.UnescapeDataString(e.Management.UserInfo);
        var http = new HttpClient { BaseAddress = new Uri(e.Management.GetLeftPart(UriPartial.Authority) + "/") };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

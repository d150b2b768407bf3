using System.Net;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;

namespace Coordination.Operations.Tests;

/// <summary>
/// Backup and restore of a service's event store, as docs/operations.md tells an operator to do it: a logical
/// dump of the Directory's database taken while the service runs, restored into a fresh database, a new instance
/// of the service started on it. Everything written before the dump reads back the same through the API, and the
/// restored store takes new writes (stream versions, event sequence and the async daemon's progress came along).
/// </summary>
public sealed class DirectoryRestoreTests
{
    private const string Organisations = "/api/directory/organisations";
    private static readonly string Coordinator = TestTokens.For(Roles.NationalCoordinator);

    [Fact]
    public async Task A_dump_of_the_directory_restored_into_a_fresh_database_serves_the_same_organisations_and_takes_new_writes()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"directory-{Guid.NewGuid():N}.dump");
        var written = new Dictionary<Guid, string>();
        string search;
        Guid changed;
        try
        {
            // Given a running Directory with organisations, one of them changed since it was registered (version 2)
            var source = new ServiceFactory<Program>("restore_src");
            await source.InitializeAsync();
            try
            {
                var api = source.CreateClient().As(Coordinator);
                var ids = new List<Guid>();
                foreach (var (name, departement) in new[] { ("France Victimes 93", "93"), ("AVIL Lyon", "69"), ("Poste ISCG Bobigny", "93") })
                {
                    var created = await api.SendJson(HttpMethod.Post, Organisations, Organisation(name, departement));
                    Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                    ids.Add((await created.ReadJsonElement()).GetProperty("id").GetGuid());
                }
                var closed = await api.SendJson(HttpMethod.Put, $"{Organisations}/{ids[0]}/referral-capacity",
                    new { acceptsReferrals = false, note = "Complet jusqu'au 15/01" }, ifMatch: "\"1\"");
                Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);
                changed = ids[0];
                foreach (var id in ids)
                    written[id] = await ReadBody(api, $"{Organisations}/{id}");
                search = await ReadBody(api, $"{Organisations}?departement=93&pageSize=100");

                // When the operator dumps its database while it runs
                await PostgresTools.DumpAsync(source.ConnectionString, dump);
            }
            finally
            {
                await source.DisposeAsync(); // stops the host, drops its database and virtual host
            }

            // and restores the dump into a fresh database, on which a new instance starts
            var restored = new ServiceFactory<Program>("restore_dst");
            await restored.InitializeAsync();
            try
            {
                await PostgresTools.RestoreAsync(restored.ConnectionString, dump);
                var client = restored.CreateClient().As(Coordinator);

                // Then every organisation reads back the same (body, version), and so does a search
                foreach (var (id, body) in written)
                    Assert.Equal(body, await ReadBody(client, $"{Organisations}/{id}"));
                Assert.Equal(search, await ReadBody(client, $"{Organisations}?departement=93&pageSize=100"));
                Assert.Equal("\"2\"", (await client.GetAsync($"{Organisations}/{changed}")).Headers.ETag!.Tag);

                // and the restored store carries on: a change appends version 3, a registration starts a new stream
                var reopened = await client.SendJson(HttpMethod.Put, $"{Organisations}/{changed}/referral-capacity",
                    new { acceptsReferrals = true }, ifMatch: "\"2\"");
                Assert.Equal(HttpStatusCode.NoContent, reopened.StatusCode);
                Assert.Equal("\"3\"", reopened.Headers.ETag!.Tag);
                var stale = await client.SendJson(HttpMethod.Put, $"{Organisations}/{changed}/referral-capacity",
                    new { acceptsReferrals = false }, ifMatch: "\"2\"");
                Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
                var registered = await client.SendJson(HttpMethod.Post, Organisations, Organisation("CCAS de Montreuil", "93"));
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
                var search93 = await (await client.GetAsync($"{Organisations}?departement=93&pageSize=100")).ReadJsonElement();
                Assert.Equal(3, search93.GetProperty("items").GetArrayLength());
            }
            finally
            {
                await restored.DisposeAsync();
            }
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static object Organisation(string name, string departement) => new
    {
        name,
        kind = "victimSupportAssociation",
        departements = new[] { departement },
        needs = new[] { "famille--surmonter-conflits-separation-violence", "coordination--aide-aux-victimes" },
    };

    private static async Task<string> ReadBody(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Serialize(await response.ReadJsonElement());
    }
}

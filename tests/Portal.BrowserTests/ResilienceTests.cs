using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class ResilienceTests(PortalPlatform platform)
{
    [Fact]
    public async Task The_portal_retries_a_failed_read_but_never_replays_a_command()
    {
        var calls = new Dictionary<string, int>();
        var builder = WebApplication.CreateSlimBuilder();
        var port = LocalMachine.FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var flaky = builder.Build();
        flaky.Run(context =>
        {
            lock (calls) calls[context.Request.Method] = calls.GetValueOrDefault(context.Request.Method) + 1;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await flaky.StartAsync();

        var client = platform.PortalServices.GetRequiredService<IHttpClientFactory>().CreateClient("api"); // PortalApi.ClientName
        var post = await client.PostAsync($"http://127.0.0.1:{port}/api/referrals", new StringContent("{}"));
        var get = await client.GetAsync($"http://127.0.0.1:{port}/api/referrals/inbox");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(1, calls["POST"]);
        Assert.True(calls["GET"] > 1, $"GET tried {calls["GET"]} time(s)");
        await flaky.StopAsync();
    }
}

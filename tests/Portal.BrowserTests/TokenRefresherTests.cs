extern alias portal;
using System.Text;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TokenRefresher = portal::Coordination.Portal.Authentication.TokenRefresher;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// The portal's refresh of a person's tokens when the provider is slow: a replica just restarted on loaded cores answered
/// after the attempt timeout, and the timeout escaped as a 503 page although the access token was still valid.
/// </summary>
public class TokenRefresherTests
{
    [Fact]
    public async Task A_provider_that_answers_too_late_once_is_asked_again_and_the_refresh_succeeds()
    {
        var provider = new Provider(TooLate(), Tokens("nouveau"));
        var tokens = await Refresher(provider).RefreshAsync("jeton-1", CancellationToken.None);
        Assert.Equal("nouveau", tokens?.AccessToken);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task A_provider_that_keeps_answering_too_late_is_out_of_reach_and_the_next_request_tries_again()
    {
        var provider = new Provider(TooLate(), TooLate(), TooLate(), Tokens("enfin"));
        var refresher = Refresher(provider);

        // Out of reach (HttpRequestException) is what keeps the session while the access token is valid; a refusal would end it.
        await Assert.ThrowsAsync<HttpRequestException>(() => refresher.RefreshAsync("jeton-2", CancellationToken.None));
        Assert.Equal(3, provider.Calls);
        Assert.Equal("enfin", (await refresher.RefreshAsync("jeton-2", CancellationToken.None))?.AccessToken);
    }

    /// <summary>
    /// What the resilience handler throws when an attempt times out: Polly.Core's type, named by its assembly because an
    /// older Polly, another dependency's, also defines one in this test project.
    /// </summary>
    private static Exception TooLate() =>
        (Exception)Activator.CreateInstance(Type.GetType("Polly.Timeout.TimeoutRejectedException, Polly.Core", throwOnError: true)!)!;

    private static HttpResponseMessage Tokens(string accessToken) => new(HttpStatusCode.OK)
    {
        Content = new StringContent($$"""{"access_token":"{{accessToken}}","refresh_token":"suivant","expires_in":90}""", Encoding.UTF8, "application/json"),
    };

    private static TokenRefresher Refresher(Provider provider) =>
        new(new Clients(provider), new Oidc(), TimeProvider.System, NullLogger<TokenRefresher>.Instance);

    /// <summary>The token endpoint: each call takes the next answer (an exception is thrown as the resilience handler would).</summary>
    private sealed class Provider(params object[] answers) : HttpMessageHandler
    {
        private readonly Queue<object> answers = new(answers);
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return answers.Dequeue() switch
            {
                Exception failure => Task.FromException<HttpResponseMessage>(failure),
                var answer => Task.FromResult((HttpResponseMessage)answer),
            };
        }
    }

    private sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class Oidc : IOptionsMonitor<OpenIdConnectOptions>
    {
        private readonly OpenIdConnectOptions options = new()
        {
            ClientId = "coordination-portal",
            ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(
                new OpenIdConnectConfiguration { TokenEndpoint = "http://fournisseur.test/connect/token" }),
        };

        public OpenIdConnectOptions CurrentValue => options;
        public OpenIdConnectOptions Get(string? name) => options;
        public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;
    }
}

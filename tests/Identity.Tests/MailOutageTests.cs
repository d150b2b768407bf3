using System.Net;
using Coordination.Identity.Mail;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Identity.Tests;

/// <summary>The provider with a mail server of its own, that the tests stop and start again.</summary>
public sealed class OutageIdentityFactory : IdentityFactory
{
    public PrivateMailServer MailServerOfItsOwn { get; private set; } = null!;

    protected override async Task<MailBox> OpenMailBoxAsync()
    {
        MailServerOfItsOwn = await MailServer.StartPrivateAsync();
        return MailServerOfItsOwn.Box;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await MailServerOfItsOwn.DisposeAsync();
    }
}

public class MailOutageTests(OutageIdentityFactory factory) : IClassFixture<OutageIdentityFactory>
{
    [Fact]
    public async Task An_invitation_requested_while_the_mail_server_is_down_is_kept_sealed_and_leaves_once_it_is_back()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var email = $"panne.{Guid.NewGuid():N}"[..20] + "@association.test";
        await factory.MailServerOfItsOwn.StopAsync();
        try
        {
            await When(() => factory.CreateClient().As(TestTokens.For(Roles.Admin)).SendJson(HttpMethod.Post, "/api/identity/accounts", new
            {
                email, name = "Panne R.", role = Roles.AssociationStaff, organisationId = organisation,
            }))
                .Then(HttpStatusCode.Created);

            var store = factory.Services.GetRequiredService<IDocumentStore>();
            await HttpClientExtensions.Eventually(async () =>
            {
                await using var session = store.QuerySession();
                return await session.Query<PendingMail>().Where(m => m.Attempts > 1).CountAsync();
            }, failed => failed > 0, what: "failed attempts recorded in the outbox");
            // What waits in the database says neither to whom nor the link.
            await using (var session = store.QuerySession())
            {
                var stored = string.Join("\n", await session.AdvancedSql.QueryAsync<string>(
                    "select data::text from identity.mt_doc_pendingmail", CancellationToken.None));
                Assert.DoesNotContain(email, stored);
                Assert.DoesNotContain("jeton", stored);
                Assert.DoesNotContain("Panne", stored);
            }
        }
        finally
        {
            await factory.MailServerOfItsOwn.StartAsync();
        }

        var mail = await Received.Wait(factory.Mail, email, "Votre compte Coordination");
        Assert.Contains("/account/invitation?jeton=", mail.Text);
        Assert.Single(await factory.Mail.ToAsync(email));
    }

}

using Coordination.Dashboard.Aids;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>The guide of aids' contracts go through the real RabbitMQ into the Dashboard's per-département view.</summary>
public class AidsByDepartementTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private const string Housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";
    private const string Violence = "famille--surmonter-conflits-separation-violence";

    private Task Publish(object message) =>
        factory.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), c => c.MessageId = Guid.NewGuid());

    private async Task<AidsByDepartement> View(string departement) =>
        await (await (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator))
            .GetAsync($"/api/dashboard/aids-by-departement?departement={departement}")).HasStatus(HttpStatusCode.OK)).ReadJson<AidsByDepartement>();

    [Fact]
    public async Task A_departement_counts_its_local_aids_the_stale_ones_and_the_needs_no_local_aid_answers()
    {
        var now = DateTimeOffset.UtcNow;
        var (fresh, stale, withdrawn, elsewhere) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Given(
            () => Publish(new AidPublished(fresh, AidKinds.ServicePayment, false, ["2A"], [Housing], [], now.AddMonths(-2), 3, now)),
            () => Publish(new AidPublished(stale, AidKinds.Grant, false, ["2A"], [Violence], [], null, 2, now)),
            () => Publish(new AidPublished(withdrawn, AidKinds.Grant, false, ["2A"], ["sante--sante-mentale"], [], null, 2, now)),
            () => Publish(new AidWithdrawn(withdrawn, 3, now)),
            () => Publish(new AidPublished(elsewhere, AidKinds.Grant, false, ["2B"], ["sante--acces-aux-soins"], [], null, 2, now)),
            // Arrives before the publication it follows: the verification still counts.
            () => Publish(new AidVerified(stale, now.AddMonths(-13), 4, now)));

        var row = (await HttpClientExtensions.Eventually(() => View("2A"),
            v => v.Rows.Single().LocalAids == 2, what: "two local aids of the 2A")).Rows.Single();

        Assert.Equal(("2A", "Corse-du-Sud", 1), (row.Departement, row.DepartementName, row.LocalStale));
        Assert.DoesNotContain(Housing, row.NeedsWithoutLocalAid);
        Assert.DoesNotContain(Violence, row.NeedsWithoutLocalAid);
        Assert.Contains("sante--sante-mentale", row.NeedsWithoutLocalAid); // only a withdrawn aid answered it
        Assert.Contains("sante--acces-aux-soins", row.NeedsWithoutLocalAid); // answered in the 2B, not here
    }

    [Fact]
    public async Task Staff_do_not_read_the_national_view()
    {
        await When(() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Guid.NewGuid())).GetAsync("/api/dashboard/aids-by-departement"))
            .Then(HttpStatusCode.Forbidden);
    }
}

using System.Net;
using System.Text;
using Coordination.Contracts.Directory;
using Coordination.Contracts.Referrals;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Dashboard.Api.Tests.IndicatorTables;
using static Coordination.Testing.Specification;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// The hand-off indicators against a dataset small enough to count by hand, delivered through the real RabbitMQ,
/// with one message delivered twice and one transition delivered before the hand-off it belongs to.
/// </summary>
public partial class ReferralIndicatorsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Iscg93 = Guid.NewGuid(), Aav93 = Guid.NewGuid(), Ccas93 = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-2);
    private static bool seeded;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private const string Need = "famille--violences-intrafamiliales", OtherNeed = "logement-hebergement--mal-loges-sans-logis";

    /// <summary>
    /// 18 hand-offs in 93:
    /// 12 ISCG → AAV, immediate, two needs, accepted after 1 h (in time); 4 of them first contacted after 3 h; 2 completed "helped".
    /// 3 ISCG → AAV, standard, declined (no-capacity + outside-territory).
    /// 2 AAV → ISCG, standard, still waiting past their deadline (reported overdue).
    /// 1 ISCG → CCAS (partner), within-24-hours, redirected.
    /// </summary>
    private async Task Seed()
    {
        await Gate.WaitAsync();
        try
        {
            if (seeded) return;
            var bus = factory.Services.GetRequiredService<IBus>();
            Task Publish<T>(T message, Guid? messageId = null) where T : class => bus.Publish(message, c => c.MessageId = messageId ?? Guid.NewGuid());

            await Publish(new OrganisationRegistered(Iscg93, OrganisationKinds.IscgPost, null, "police", ["93"], [], true, 1, Day.AddDays(-30)));
            await Publish(new OrganisationRegistered(Aav93, OrganisationKinds.VictimSupportAssociation, null, null, ["93"], [Need], true, 1, Day.AddDays(-30)));
            await Publish(new OrganisationRegistered(Ccas93, OrganisationKinds.Partner, "ccas-cias", null, ["93"], [OtherNeed], true, 1, Day.AddDays(-30)));

            ReferralSent Sent(Guid id, Guid from, Guid to, string urgency, string[] needs, TimeSpan deadline) =>
                new(id, from, to, "93", urgency, "intrafamily-violence", needs, false, false, Day + deadline, Day.AddDays(30), null, 3, Day);

            for (var i = 0; i < 12; i++)
            {
                var id = Guid.NewGuid();
                var accepted = new ReferralAccepted(id, Iscg93, Aav93, "93", "immediate", 4, Day.AddHours(1));
                if (i == 0)
                {
                    // Out of order: the acceptance arrives before the hand-off, and is delivered twice.
                    var messageId = Guid.NewGuid();
                    await Publish(accepted, messageId);
                    await Publish(accepted, messageId);
                    await Publish(Sent(id, Iscg93, Aav93, "immediate", [Need, OtherNeed], TimeSpan.FromHours(2)));
                }
                else
                {
                    await Publish(Sent(id, Iscg93, Aav93, "immediate", [Need, OtherNeed], TimeSpan.FromHours(2)));
                    await Publish(accepted);
                }
                if (i < 4) await Publish(new ReferralFirstContactRecorded(id, Iscg93, Aav93, "93", "immediate", Day.AddHours(3), 5, Day.AddHours(3)));
                if (i < 2) await Publish(new ReferralCompleted(id, Iscg93, Aav93, "93", "immediate", "helped", 6, Day.AddHours(20)));
            }
            for (var i = 0; i < 3; i++)
            {
                var id = Guid.NewGuid();
                await Publish(Sent(id, Iscg93, Aav93, "standard", [Need], TimeSpan.FromDays(5)));
                await Publish(new ReferralDeclined(id, Iscg93, Aav93, "93", "standard", ["no-capacity", "outside-territory"], "organisation", 4, Day.AddHours(5)));
            }
            for (var i = 0; i < 2; i++)
            {
                // Referrals' deadline watcher reports each of them once, when its deadline passes.
                var waiting = Guid.NewGuid();
                await Publish(Sent(waiting, Aav93, Iscg93, "standard", [Need], TimeSpan.FromHours(4)));
                await Publish(new ReferralOverdue(waiting, Aav93, Iscg93, "93", "standard", Day.AddHours(4), 4, Day.AddHours(4)));
            }
            var redirected = Guid.NewGuid();
            await Publish(Sent(redirected, Iscg93, Ccas93, "within-24-hours", [OtherNeed], TimeSpan.FromHours(24)));
            await Publish(new ReferralRedirected(redirected, Iscg93, Ccas93, "93", "within-24-hours", Guid.NewGuid(), Aav93, 4, Day.AddHours(6)));

            await HttpClientExtensions.Eventually(async () =>
            {
                foreach (var queue in new[] { "dashboard-referral-events", "dashboard-directory-events" })
                    if (await TestInfrastructure.QueueDepthAsync(factory.Amqp, queue) > 0) return -1;
                var view = await Get(Roles.NationalCoordinator);
                // The redirection is the last message published: once it shows, everything before it has been stored.
                return Table(view, "answers")["total"]["count"] == "18" && Table(view, "answers")["redirected"]["count"] != "0"
                    && Table(view, "directions")["to-partner"]["sent"] != "0" ? 1 : 0;
            }, ready => ready == 1, TimeSpan.FromSeconds(30), "all hand-offs projected");
            seeded = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private HttpClient Client(string role, Guid? organisation = null) => factory.CreateClient().As(TestTokens.For(role, organisation));

    private async Task<IndicatorView> Get(string role, Guid? organisation = null, string query = "") =>
        await (await When(() => Client(role, organisation).GetAsync("/api/dashboard/indicators/referrals" + query))
            .Then(HttpStatusCode.OK)).Body<IndicatorView>();


    [Fact]
    public async Task The_national_view_counts_each_hand_off_once_and_hides_small_groups()
    {
        await Seed();
        var view = await Get(Roles.NationalCoordinator);
        Assert.Equal("national", view.Scope);
        Assert.True(view.Suppressed);
        Assert.Equal(Day.AddHours(20), view.AsOf!.Value, TimeSpan.FromMilliseconds(1));

        var directions = Table(view, "directions");
        Assert.Equal("15", directions["iscg-to-association"]["sent"]);
        Assert.Equal("< 11", directions["association-to-iscg"]["sent"]);
        Assert.Equal("< 11", directions["to-partner"]["sent"]);
        Assert.Equal("0", directions["from-partner"]["sent"]);

        var answers = Table(view, "answers");
        Assert.Equal("12", answers["accepted"]["count"]);
        Assert.Equal("0.667", answers["accepted"]["rate"]);
        Assert.Equal("< 11", answers["declined"]["count"]);
        Assert.Null(answers["declined"]["rate"]); // rate × total would give the hidden count back
        Assert.Equal("< 11", answers["pending"]["count"]);
        Assert.Equal("0", answers["expired"]["count"]);
        Assert.Equal("< 11", Table(view, "overdue")["overdue-now"]["count"]);

        Assert.Equal("17", Table(view, "needs")[Need]["count"]);
        Assert.Equal("13", Table(view, "needs")[OtherNeed]["count"]);
        Assert.Equal("< 11", Table(view, "decline-reasons")["no-capacity"]["count"]);
        Assert.Equal("18", Table(view, "situations")["intrafamily-violence"]["count"]);
        Assert.Equal("< 11", Table(view, "outcomes")["helped"]["count"]);

        var immediate = Table(view, "timings")["immediate"];
        Assert.Equal("12", immediate["sent"]);
        Assert.Equal("1", immediate["median-hours-to-acknowledge"]);
        Assert.Equal("1", immediate["share-acknowledged-in-time"]);
        Assert.Null(immediate["median-hours-to-first-contact"]); // 4 persons: not shown nationally
        Assert.Equal("18", Table(view, "series").Values.Single()["sent"]);
    }

    [Fact]
    public async Task An_organisation_sees_its_own_hand_offs_both_ways_unsuppressed()
    {
        await Seed();
        var view = await Get(Roles.AssociationStaff, Aav93);
        Assert.Equal("organisation", view.Scope);
        Assert.False(view.Suppressed);

        var directions = Table(view, "directions");
        Assert.Equal("2", directions["association-to-iscg"]["sent"]);
        Assert.Equal("0", directions["association-to-iscg"]["received"]);
        Assert.Equal("15", directions["iscg-to-association"]["received"]);
        Assert.Equal("0", directions["to-partner"]["received"]);
        Assert.Equal("17", Table(view, "answers")["total"]["count"]);
        Assert.Equal("3", Table(view, "answers")["declined"]["count"]);
        Assert.Equal("2", Table(view, "overdue")["overdue-now"]["count"]);
        Assert.Equal("3", Table(view, "decline-reasons")["outside-territory"]["count"]);
        Assert.Equal("2", Table(view, "outcomes")["helped"]["count"]);
        Assert.Equal("3", Table(view, "timings")["immediate"]["median-hours-to-first-contact"]);
    }

    [Fact]
    public async Task Filters_by_network_departement_and_period_narrow_the_scope()
    {
        await Seed();
        var partners = await Get(Roles.NationalCoordinator, query: "?network=partner");
        Assert.Equal("< 11", Table(partners, "answers")["total"]["count"]);
        Assert.Equal("< 11", Table(partners, "answers")["redirected"]["count"]);

        var lyon = await Get(Roles.NationalCoordinator, query: "?departement=69");
        Assert.Equal("departement", lyon.Scope);
        Assert.Equal("0", Table(lyon, "answers")["total"]["count"]);

        var before = await Get(Roles.NationalCoordinator, query: $"?period=day&to={Day.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal("0", Table(before, "answers")["total"]["count"]);
        var onTheDay = await Get(Roles.AssociationStaff, Aav93, $"?period=day&from={Day.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal("day", onTheDay.Period);
        Assert.Equal("17", Assert.Single(Table(onTheDay, "series").Values)["sent"]);
    }

    [Fact]
    public async Task Bad_filters_get_a_french_problem_and_strangers_are_refused()
    {
        var problem = await (await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/indicators/referrals?period=fortnight&departement=999"))
            .Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("Période inconnue", Assert.Single(problem.Errors!["period"]));
        Assert.Contains("département", Assert.Single(problem.Errors!["departement"]));

        var notMine = await (await When(() => Client(Roles.AssociationStaff, Aav93).GetAsync($"/api/dashboard/indicators/referrals?organisation={Iscg93}"))
            .Then(HttpStatusCode.Forbidden)).Problem();
        Assert.Contains("votre organisation", notMine.Detail);
        var stranger = await (await When(() => Client("service").GetAsync("/api/dashboard/indicators/referrals")).Then(HttpStatusCode.Forbidden)).Problem();
        Assert.Contains("réservés aux coordinateurs nationaux", stranger.Detail);
        await When(() => factory.CreateClient().GetAsync("/api/dashboard/indicators/referrals")).Then(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_csv_export_carries_the_same_suppressed_values()
    {
        await Seed();
        var response = await (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync("/api/dashboard/indicators/referrals.csv"))
            .HasStatus(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split(["\r\n", "\n"], StringSplitOptions.None);
        Assert.Equal("tableau;cle;libelle;mesure;valeur", lines[0]);
        Assert.Contains("answers;declined;Déclinées;count;< 11", lines);
        Assert.Contains("answers;accepted;Acceptées;rate;0.667", lines);
        Assert.DoesNotContain(lines.Skip(1).Where(l => l.StartsWith("answers;") && l.Contains(";count;")),
            l => int.TryParse(l.Split(';')[^1], out var n) && n is > 0 and < 11);
    }

    [Fact]
    public async Task Rebuilding_by_replay_gives_the_same_view()
    {
        await Seed();
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var association = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Aav93));
        var window = $"?from={Day.AddDays(-1):yyyy-MM-dd}&to={Day.AddDays(2):yyyy-MM-dd}";
        // The hand-offs (days), the national totals (months) and an organisation's totals (months, both its views): the
        // rollup is suspended during the replay and everything it keeps is recounted at the end.
        (HttpClient Client, string Path)[] views =
        [
            (coordinator, "/api/dashboard/indicators/referrals" + window), (coordinator, "/api/dashboard/indicators/referrals"),
            (association, "/api/dashboard/indicators/referrals"), (association, "/api/dashboard/indicators/organisation"),
        ];
        async Task<string[]> Read() =>
            await Task.WhenAll(views.Select(async view =>
                await (await view.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, view.Path) { Headers = { { "Cache-Control", "no-cache" } } }))
                    .Content.ReadAsStringAsync()));
        var before = await Read();
        await Rebuilds.SucceedsAsync(factory.CreateClient().As(TestTokens.For(Roles.Admin)));
        var after = await Read();
        Assert.All(before, view => Assert.Contains("\"accepted\"", view));
        var organisation = System.Text.Json.JsonSerializer.Deserialize<IndicatorView>(before[2], System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal("17", Table(organisation, "answers")["total"]["count"]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_open_data_file_is_national_monthly_suppressed_and_described()
    {
        await Seed();
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var catalogue = await (await When(() => coordinator.GetAsync("/api/dashboard/open-data/")).Then(HttpStatusCode.OK)).Body<OpenDataCatalogue>();
        Assert.Contains("Licence Ouverte", catalogue.Licence);
        Assert.Contains(catalogue.Columns, column => column.Name == "orientations" && column.Description.Contains("une personne"));

        var paris = TimeZoneInfo.ConvertTime(Day, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        var bytes = await (await (await coordinator.GetAsync($"/api/dashboard/open-data/referrals-{paris.Year}.csv")).HasStatus(HttpStatusCode.OK))
            .Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mois;code_departement;nom_departement;orientations;en_attente;acceptees;declinees;reorientees;expirees;retirees", lines[0]);
        Assert.Equal($"{paris:yyyy-MM};93;Seine-Saint-Denis;18;< 11;12;< 11;< 11;0;0", Assert.Single(lines.Skip(1)));

        await (await coordinator.GetAsync("/api/dashboard/open-data/referrals-1990.csv")).HasStatus(HttpStatusCode.BadRequest);
        await (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Aav93)).GetAsync($"/api/dashboard/open-data/referrals-{paris.Year}.csv"))
            .HasStatus(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_open_data_file_is_served_from_the_cache_until_the_next_hand_off_is_stored()
    {
        await Seed();
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        // A year the seed leaves empty (the one before Day's, outside every default 12-month view of this class).
        var year = TimeZoneInfo.ConvertTime(Day, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year - 1;
        async Task<string[]> Rows()
        {
            var file = await (await (await coordinator.GetAsync($"/api/dashboard/open-data/referrals-{year}.csv")).HasStatus(HttpStatusCode.OK))
                .Content.ReadAsByteArrayAsync();
            return Encoding.UTF8.GetString(file.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        }
        Assert.Empty(await Rows());
        Assert.Empty(await Rows()); // now from the cache

        var sentAt = new DateTimeOffset(year, 1, 15, 10, 0, 0, TimeSpan.Zero);
        await factory.Services.GetRequiredService<IBus>().Publish(new ReferralSent(Guid.NewGuid(), Iscg93, Aav93, "93", "standard",
            "intrafamily-violence", [Need], false, false, sentAt.AddDays(5), sentAt.AddDays(30), null, 3, sentAt));

        var rows = await HttpClientExtensions.Eventually(Rows, rows => rows.Length > 0, what: "the new hand-off in the file read without no-cache");
        Assert.Equal($"{year}-01;93;Seine-Saint-Denis;< 11;< 11;0;0;0;0;0", Assert.Single(rows));
    }
}

public sealed record OpenDataCatalogue(string Title, string Licence, IReadOnlyList<OpenDataColumn> Columns);

public sealed record OpenDataColumn(string Name, string Description);

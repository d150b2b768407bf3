using System.Text.Json;
using Npgsql;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// An erasure in Referrals reaches the Dashboard through RabbitMQ: the hand-off still counts, but its situation, needs,
/// outcome and timings leave the views, the facts and the stored events, and a rebuild by replay agrees.
/// </summary>
public class ErasureTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    // Each test its own organisations and hand-offs (xunit makes one instance per test).
    private readonly Guid Iscg = Guid.NewGuid(), Aav = Guid.NewGuid(), Erased = Guid.NewGuid(), Kept = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-2);
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private const string Housing = "logement-hebergement--mal-loges-sans-logis", Family = "famille--violences-intrafamiliales";

    private Task Publish<T>(T message) where T : class =>
        factory.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = Guid.NewGuid());

    private async Task<IndicatorView> AssociationView() =>
        await (await When(() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Aav))
                .GetAsync("/api/dashboard/indicators/referrals", CancellationToken.None))
            .Then(HttpStatusCode.OK)).Body<IndicatorView>();

    /// <summary>
    /// Two hand-offs ISCG → association in 93: one (<paramref name="situation"/>, housing and family needs) accepted,
    /// contacted and completed "helped"; one declined.
    /// </summary>
    private async Task TwoHandOffs(string situation = "sexual-violence", string housing = Housing)
    {
        await Publish(new OrganisationRegistered(Iscg, OrganisationKinds.IscgPost, null, "police", ["93"], [], true, 1, Day.AddDays(-30)));
        await Publish(new OrganisationRegistered(Aav, OrganisationKinds.VictimSupportAssociation, null, null, ["93"], [Housing], true, 1, Day.AddDays(-30)));

        await Publish(new ReferralSent(Erased, Iscg, Aav, "93", "immediate", situation, [housing, Family], true, false,
            Day.AddHours(2), Day.AddDays(30), null, 3, Day.AddMinutes(17)));
        await Publish(new ReferralAccepted(Erased, Iscg, Aav, "93", "immediate", 4, Day.AddHours(1)));
        await Publish(new ReferralFirstContactRecorded(Erased, Iscg, Aav, "93", "immediate", Day.AddHours(3), 5, Day.AddHours(3)));
        await Publish(new ReferralCompleted(Erased, Iscg, Aav, "93", "immediate", "helped", 6, Day.AddHours(20)));

        await Publish(new ReferralSent(Kept, Iscg, Aav, "93", "standard", "intrafamily-violence", [Family], false, false,
            Day.AddDays(5), Day.AddDays(30), null, 3, Day.AddMinutes(30)));
        await Publish(new ReferralDeclined(Kept, Iscg, Aav, "93", "standard", ["no-capacity"], "organisation", 4, Day.AddHours(5)));

        await HttpClientExtensions.Eventually(AssociationView,
            view => view.Table("outcomes").ContainsKey("helped") && view.Table("answers")["declined"]["count"] == "1",
            TimeSpan.FromSeconds(30), "both hand-offs projected");
    }

    private async Task<List<(string Type, string Data)>> StoredEvents(Guid referral)
    {
        await using var db = NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = db.CreateCommand("select type, data::text from dashboard.mt_events where stream_id = $1 order by seq_id");
        command.Parameters.AddWithValue(referral);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(string, string)>();
        while (await reader.ReadAsync()) events.Add((reader.GetString(0), reader.GetString(1)));
        return events;
    }

    [Fact]
    public async Task An_erased_hand_off_still_counts_but_its_situation_needs_outcome_and_timings_are_gone_everywhere()
    {
        await Given(() => TwoHandOffs());
        var before = await AssociationView();
        Assert.Equal("1", before.Table("situations")["sexual-violence"]["count"]);
        Assert.Equal("2.7", before.Table("timings")["immediate"]["median-hours-to-first-contact"]);

        await Publish(new ReferralPersonalDataErased(Erased, Iscg, Aav, "93", "immediate", 7, DateTimeOffset.UtcNow));
        var after = await HttpClientExtensions.Eventually(AssociationView, view => view.Table("situations").ContainsKey("erased"),
            TimeSpan.FromSeconds(30), "erasure applied");

        // Still two hand-offs, the same directions and answers, the same day.
        Assert.Equal("2", after.Table("answers")["total"]["count"]);
        Assert.Equal("1", after.Table("answers")["accepted"]["count"]);
        Assert.Equal("1", after.Table("answers")["declined"]["count"]);
        Assert.Equal("2", after.Table("directions")["iscg-to-association"]["received"]);
        Assert.Equal(before.Table("series"), after.Table("series"));
        // What was said about the person is gone; the other hand-off's stays.
        Assert.Equal(new Dictionary<string, string?> { ["erased"] = "1", ["intrafamily-violence"] = "1", ["total"] = "2" },
            after.Table("situations").ToDictionary(row => row.Key, row => row.Value["count"]));
        Assert.Equal([Family], after.Table("needs").Keys);
        Assert.Equal("1", after.Table("needs")[Family]["count"]);
        Assert.Equal(["total"], after.Table("outcomes").Keys);
        Assert.Equal("1", after.Table("decline-reasons")["no-capacity"]["count"]);
        var immediate = after.Table("timings")["immediate"];
        Assert.Equal("1", immediate["sent"]);
        Assert.Null(immediate["median-hours-to-acknowledge"]);
        Assert.Null(immediate["median-hours-to-first-contact"]);

        // The Dashboard's own stored events of that hand-off no longer hold it either; the other's are untouched.
        var stored = await StoredEvents(Erased);
        Assert.Equal(5, stored.Count);
        Assert.DoesNotContain(stored, e => e.Data.Contains("sexual-violence") || e.Data.Contains(Housing) || e.Data.Contains(Family)
            || e.Data.Contains("helped"));
        // Times no finer than the day (Paris), the minors flag dropped.
        foreach (var (type, data) in stored.Where(e => e.Type != "referrals.ReferralPersonalDataErased"))
        {
            using var json = JsonDocument.Parse(data);
            var occurredAt = TimeZoneInfo.ConvertTime(json.RootElement.GetProperty("occurredAt").GetDateTimeOffset(), Paris);
            Assert.True(occurredAt.TimeOfDay == TimeSpan.Zero, $"{type} still tells the time: {occurredAt:O}");
            if (type == "referrals.ReferralSent") Assert.False(json.RootElement.GetProperty("minorsInvolved").GetBoolean());
        }
        Assert.Contains(await StoredEvents(Kept), e => e.Data.Contains("intrafamily-violence") && e.Data.Contains(Family));
    }

    [Fact]
    public async Task A_message_arriving_after_the_erasure_is_stored_erased_and_a_rebuild_gives_the_same_figures()
    {
        // Codes of its own, so that the totals checked below say nothing about the other test's hand-offs.
        const string Situation = "road-accident", Health = "sante--sante-mentale";
        await Given(() => TwoHandOffs(Situation, Health));
        await Publish(new ReferralPersonalDataErased(Erased, Iscg, Aav, "93", "immediate", 7, DateTimeOffset.UtcNow));
        await HttpClientExtensions.Eventually(AssociationView, view => view.Table("situations").ContainsKey("erased"),
            TimeSpan.FromSeconds(30), "erasure applied");

        // Referrals publishes its history again (a replay): the hand-off's sending arrives once more, after the erasure.
        await Publish(new ReferralSent(Erased, Iscg, Aav, "93", "immediate", Situation, [Health, Family], true, false,
            Day.AddHours(2), Day.AddDays(30), null, 3, Day.AddMinutes(17)));
        await HttpClientExtensions.Eventually(() => StoredEvents(Erased), events => events.Count(e => e.Type == "referrals.ReferralSent") == 2,
            TimeSpan.FromSeconds(30), "the late message stored");
        Assert.DoesNotContain(await StoredEvents(Erased), e => e.Data.Contains(Situation) || e.Data.Contains(Health));
        var live = await AssociationView();
        Assert.False(live.Table("situations").ContainsKey(Situation));
        Assert.Equal("1", live.Table("answers")["accepted"]["count"]);

        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var window = $"?from={Day.AddDays(-1):yyyy-MM-dd}&to={Day.AddDays(2):yyyy-MM-dd}";
        async Task<string> Views() =>
            await (await coordinator.GetAsync("/api/dashboard/indicators/referrals" + window)).Content.ReadAsStringAsync()
            + await (await coordinator.GetAsync("/api/dashboard/indicators/referrals")).Content.ReadAsStringAsync()
            + await (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Aav)).GetAsync("/api/dashboard/indicators/referrals"))
                .Content.ReadAsStringAsync();
        var before = await Views();
        var totalsBefore = await MonthlyCodes();

        await Rebuilds.SucceedsAsync(factory.CreateClient().As(TestTokens.For(Roles.Admin)));

        Assert.Equal(before, await Views());
        // The totals the trigger kept are those the rebuild recounted, and hold nothing said about the erased person.
        Assert.Equal(totalsBefore, await MonthlyCodes());
        Assert.Contains("situation=erased", totalsBefore);
        Assert.DoesNotContain(Situation, totalsBefore);
        Assert.DoesNotContain(Health, totalsBefore);
    }

    private async Task<string> MonthlyCodes()
    {
        await using var db = NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = db.CreateCommand("""
            select string_agg(dimension || '=' || code || ':' || n, ',' order by dimension, code)
            from dashboard.referral_month_codes where grain = 'm' and departement = '*' and network = '*' and n > 0
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

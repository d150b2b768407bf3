using System.Net;
using System.Text;
using Coordination.Contracts.Referrals;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>Indicators against a small dataset computed by hand, through the real RabbitMQ into the Dashboard's streams.</summary>
public class ReferralActivityTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid IscgBobigny = Guid.NewGuid();
    private static readonly Guid AavBobigny = Guid.NewGuid();
    private static readonly Guid AavLyon = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-3);
    private static bool seeded;
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>93: 14 hand-offs ISCG → AAV (12 accepted, 2 declined); 69: 4 sent to AAV Lyon (3 still sent, 1 accepted).</summary>
    private async Task Seed()
    {
        await Gate.WaitAsync();
        try
        {
            if (seeded) return;
            var bus = factory.Services.GetRequiredService<IBus>();
            async Task Send(Guid receiver, string departement, string? then)
            {
                var id = Guid.NewGuid();
                await bus.Publish(new ReferralSent(id, IscgBobigny, receiver, departement, "standard", "intrafamily-violence", ["sante--sante-mentale"],
                    false, false, Day.AddDays(5), Day.AddDays(30), null, 3, Day), c => c.MessageId = Guid.NewGuid());
                if (then == "accepted")
                    await bus.Publish(new ReferralAccepted(id, IscgBobigny, receiver, departement, "standard", 5, Day.AddHours(2)), c => c.MessageId = Guid.NewGuid());
                if (then == "declined")
                    await bus.Publish(new ReferralDeclined(id, IscgBobigny, receiver, departement, "standard", ["no-capacity"], "organisation", 4, Day.AddHours(1)),
                        c => c.MessageId = Guid.NewGuid());
            }
            for (var i = 0; i < 12; i++) await Send(AavBobigny, "93", "accepted");
            for (var i = 0; i < 2; i++) await Send(AavBobigny, "93", "declined");
            for (var i = 0; i < 3; i++) await Send(AavLyon, "69", null);
            await Send(AavLyon, "69", "accepted");
            await HttpClientExtensions.Eventually(async () =>
            {
                var view = await (await factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, IscgBobigny)).GetAsync("/api/dashboard/referral-activity")).ReadJsonElement();
                return view.GetProperty("total").GetString();
            }, total => total == "18", TimeSpan.FromSeconds(30), "all hand-offs projected");
            // The last message published (Lyon's acceptance) shows: everything before it has been stored.
            await HttpClientExtensions.Eventually(async () =>
            {
                var lyon = await (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, AavLyon)).GetAsync("/api/dashboard/referral-activity")).ReadJsonElement();
                return lyon.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("counts").GetProperty("accepted").GetString()).FirstOrDefault();
            }, accepted => accepted == "1", TimeSpan.FromSeconds(30), "the last acceptance projected");
            seeded = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    [Fact]
    public async Task The_national_view_hides_small_counts_and_what_would_give_them_away()
    {
        await Seed();
        var view = await (await (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync("/api/dashboard/referral-activity"))
            .HasStatus(HttpStatusCode.OK)).ReadJsonElement();

        Assert.Equal("national", view.GetProperty("scope").GetString());
        var rows = view.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("departement").GetString()!);
        // 93: 2 declined is small; with the total (14) published, 12 accepted would give it away, so it is hidden too.
        Assert.Equal("< 11", rows["93"].GetProperty("counts").GetProperty("declined").GetString());
        Assert.Equal("secret", rows["93"].GetProperty("counts").GetProperty("accepted").GetString());
        Assert.Equal("< 11", rows["69"].GetProperty("counts").GetProperty("sent").GetString());
        // 69's total (4) is small; the national total (18) is published, so 93's total is hidden too.
        Assert.Equal("< 11", rows["69"].GetProperty("total").GetString());
        Assert.Equal("secret", rows["93"].GetProperty("total").GetString());
        Assert.Equal("18", view.GetProperty("total").GetString());
        Assert.DoesNotContain(rows.Values.SelectMany(r => r.GetProperty("counts").EnumerateObject()),
            c => int.TryParse(c.Value.GetString(), out var n) && n is > 0 and < 11);
    }

    [Fact]
    public async Task An_organisation_sees_its_own_figures_unsuppressed_and_nothing_else()
    {
        await Seed();
        var lyon = await (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, AavLyon)).GetAsync("/api/dashboard/referral-activity")).ReadJsonElement();

        Assert.Equal("organisation", lyon.GetProperty("scope").GetString());
        var row = Assert.Single(lyon.GetProperty("rows").EnumerateArray());
        Assert.Equal("69", row.GetProperty("departement").GetString());
        Assert.Equal("3", row.GetProperty("counts").GetProperty("sent").GetString());
        Assert.Equal("1", row.GetProperty("counts").GetProperty("accepted").GetString());
        Assert.Equal("4", lyon.GetProperty("total").GetString());
    }

    [Fact]
    public async Task The_csv_export_is_what_french_spreadsheets_expect_and_stays_suppressed()
    {
        await Seed();
        var response = await (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync("/api/dashboard/referral-activity.csv"))
            .HasStatus(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.StartsWith("departement;nom;sent;acknowledged", text);
        Assert.Contains("93;Seine-Saint-Denis;", text);
        Assert.Contains("< 11", text);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Rebuilding_by_replay_gives_the_same_figures()
    {
        await Seed();
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var before = await (await coordinator.GetAsync($"/api/dashboard/referral-activity?from={Day.AddDays(-1):O}&to={Day.AddDays(1):O}".Replace("+", "%2B"))).Content.ReadAsStringAsync();
        var organisationsBefore = await (await coordinator.GetAsync("/api/dashboard/organisations-by-departement")).Content.ReadAsStringAsync();

        await (await factory.CreateClient().As(TestTokens.For(Roles.Admin)).PostAsync("/api/dashboard/admin/rebuild", null)).HasStatus(HttpStatusCode.OK);

        var after = await (await coordinator.GetAsync($"/api/dashboard/referral-activity?from={Day.AddDays(-1):O}&to={Day.AddDays(1):O}".Replace("+", "%2B"))).Content.ReadAsStringAsync();
        Assert.Contains("\"total\":\"18\"", before);
        Assert.Equal(before, after);
        Assert.Equal(organisationsBefore, await (await coordinator.GetAsync("/api/dashboard/organisations-by-departement")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Timings_per_urgency_tier_are_hidden_under_11_nationally_and_shown_to_the_organisation()
    {
        await Seed();
        var national = await (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync("/api/dashboard/referral-timings")).ReadJsonElement();
        var standard = national.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("urgency").GetString() == "standard");
        // 18 standard hand-offs; 15 answered (13 accepted after 2 h, 2 declined after 1 h): 15 ≥ 11, so shown.
        Assert.Equal("18", standard.GetProperty("sent").GetString());
        Assert.Equal(2.0, standard.GetProperty("medianHoursToAcknowledge").GetDouble());
        Assert.Equal(Math.Round(15.0 / 18, 3), standard.GetProperty("shareAcknowledgedInTime").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, standard.GetProperty("medianHoursToFirstContact").ValueKind);

        var lyon = await (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, AavLyon)).GetAsync("/api/dashboard/referral-timings")).ReadJsonElement();
        var mine = lyon.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("urgency").GetString() == "standard");
        Assert.Equal("4", mine.GetProperty("sent").GetString());
        Assert.Equal(2.0, mine.GetProperty("medianHoursToAcknowledge").GetDouble());
        Assert.Equal(0.25, mine.GetProperty("shareAcknowledgedInTime").GetDouble());
    }

    [Fact]
    public async Task Nobody_without_a_role_in_the_agreement_reads_indicators()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/dashboard/referral-activity")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await factory.CreateClient().As(TestTokens.For("service")).GetAsync("/api/dashboard/referral-activity")).StatusCode);
    }
}

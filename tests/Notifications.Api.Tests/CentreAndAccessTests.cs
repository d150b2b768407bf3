using System.Net;
using Coordination.Contracts.Referrals;
using Coordination.Testing;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

[Collection(NotificationsCollection.Name)]
public class CentreAndAccessTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;

    [Fact]
    public async Task The_bell_counts_unread_notifications_and_reading_one_is_private_to_its_owner()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Sevran");
        var receiver = await Host.Organisation("France Victimes 93 – Sevran");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var stranger = await Host.Account(receiver);
        await Host.Publish(new ReferralCompleted(Guid.NewGuid(), sender, receiver, "93", "standard", "helped", 8, DateTimeOffset.UtcNow));
        await Host.Publish(new ReferralAccepted(Guid.NewGuid(), sender, receiver, "93", "standard", 5, DateTimeOffset.UtcNow));

        var count = await HttpClientExtensions.Eventually(
            async () => await (await Host.As(worker).GetAsync("/api/notifications/unread-count")).ReadJsonElement(),
            c => c.GetProperty("unread").GetInt32() == 2, what: "two unread");
        var centre = await (await Host.As(worker).GetAsync("/api/notifications")).ReadJsonElement();
        var completed = centre.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "referral-completed");
        Assert.Contains("Issue : personne aidée", completed.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        var id = completed.GetProperty("id").GetGuid();

        var strangersRead = await Host.As(stranger).PostAsync($"/api/notifications/{id}/read", null);
        var unknownRead = await Host.As(stranger).PostAsync($"/api/notifications/{Guid.NewGuid()}/read", null);
        Assert.Equal(HttpStatusCode.NotFound, strangersRead.StatusCode);
        Assert.Equal(await unknownRead.Content.ReadAsStringAsync().ContinueWith(t => Strip(t.Result)),
            Strip(await strangersRead.Content.ReadAsStringAsync()));

        await (await Host.As(worker).PostAsync($"/api/notifications/{id}/read", null)).HasStatus(HttpStatusCode.NoContent);
        count = await (await Host.As(worker).GetAsync("/api/notifications/unread-count")).ReadJsonElement();
        Assert.Equal(1, count.GetProperty("unread").GetInt32());
        await (await Host.As(worker).PostAsync("/api/notifications/read", null)).HasStatus(HttpStatusCode.NoContent);
        count = await (await Host.As(worker).GetAsync("/api/notifications/unread-count")).ReadJsonElement();
        Assert.Equal(0, count.GetProperty("unread").GetInt32());
    }

    /// <summary>The stream an open inbox listens to: the unread count now, then again when something arrives for that person.</summary>
    [Fact]
    public async Task An_open_inbox_is_told_the_unread_count_on_opening_and_again_when_a_notification_arrives()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Bagnolet");
        var receiver = await Host.Organisation("France Victimes 93 – Bagnolet");
        var worker = await Host.Account(sender, role: "iscg_worker");

        using var response = await Host.As(worker).GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        await response.HasStatus(HttpStatusCode.OK);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var opening = await reader.NextEventAsync(timeout.Token);
        Assert.StartsWith("event: keep-alive", opening);
        Assert.Contains("retry: 5000", opening);
        var current = await reader.NextEventAsync(timeout.Token);
        Assert.StartsWith("event: changed", current);
        Assert.Contains("data: {\"unread\":0}", current);
        Assert.Contains("id: 0", current); // nothing arrived yet

        await Host.Publish(new ReferralCompleted(Guid.NewGuid(), sender, receiver, "93", "standard", "helped", 8, DateTimeOffset.UtcNow));

        var next = await reader.NextEventAsync("changed", timeout.Token); // keep-alives meanwhile
        Assert.Contains("data: {\"unread\":1}", next);
        Assert.DoesNotContain("id: 0", next); // the id moved: the page refreshes
    }

    [Fact]
    public async Task Only_the_manager_sets_the_rota_other_organisations_do_not_see_it_and_a_stale_version_is_refused()
    {
        var organisation = await Host.Organisation("CCAS de Bobigny");
        var manager = await Host.Account(organisation, manager: true);
        var staff = await Host.Account(organisation);
        var outsider = await Host.Account(await Host.Organisation("CCAS de Bondy"), manager: true);
        var rota = new { slots = new[] { new { days = new[] { "saturday", "sunday" }, from = "08:00", to = "20:00", userIds = new[] { staff.UserId } } } };

        var byStaff = await Host.As(staff).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}", rota);
        var byOutsider = await Host.As(outsider).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}", rota);
        var first = await Host.As(manager).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}", rota);
        var withoutVersion = await Host.As(manager).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}", rota);
        var stale = await Host.As(manager).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}", rota, ifMatch: "\"7\"");
        var unknownPerson = await Host.As(manager).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{organisation}",
            new { slots = new[] { new { days = new[] { "monday" }, from = "18:00", to = "08:00", userIds = new[] { outsider.UserId } } } },
            ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.Forbidden, byStaff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOutsider.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal("\"1\"", first.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutVersion.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownPerson.StatusCode);
        Assert.Contains("Seuls les membres actifs", await unknownPerson.Content.ReadAsStringAsync());

        var read = await (await (await Host.As(staff).GetAsync($"/api/notifications/rotas/{organisation}")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
        var slot = Assert.Single(read.GetProperty("slots").EnumerateArray());
        Assert.Equal("20:00", slot.GetProperty("to").GetString());
        Assert.Equal(staff.UserId, slot.GetProperty("userIds")[0].GetString());
        // Colleagues see the rota, not names; the manager sees names to choose from.
        Assert.All(read.GetProperty("staff").EnumerateArray(), s => Assert.Equal(System.Text.Json.JsonValueKind.Null, s.GetProperty("displayName").ValueKind));
        Assert.Equal(HttpStatusCode.NotFound, (await Host.As(outsider).GetAsync($"/api/notifications/rotas/{organisation}")).StatusCode);
    }

    [Fact]
    public async Task Urgent_alerts_cannot_be_turned_off()
    {
        var person = await Host.Account(await Host.Organisation("CCAS de Pantin"));

        var response = await Host.As(person).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "urgentReferral", mode = "off" } }, quietHours = new { from = "21:00", to = "07:00" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ne peuvent être ni désactivées", await response.Content.ReadAsStringAsync());
        var preferences = await (await Host.As(person).GetAsync("/api/notifications/preferences")).ReadJsonElement();
        var urgent = preferences.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("category").GetString() == "urgentReferral");
        Assert.Equal("immediate", urgent.GetProperty("mode").GetString());
        Assert.True(urgent.GetProperty("locked").GetBoolean());
    }

    private static string Strip(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, "\"(instance|traceId|correlationId)\":\"[^\"]*\"", "");
}

using Coordination.Contracts.Training;
using Coordination.Notifications.Audience;
using Coordination.Notifications.Preferences;
using Coordination.Notifications.Rules;
using Xunit;

namespace Coordination.Notifications.Tests;

/// <summary>The training row of the rules table: registrants, by account id, at once.</summary>
public class TrainingRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 22, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organisation = Guid.NewGuid(), Elsewhere = Guid.NewGuid();

    private static Member Person(string userId, Guid organisation, bool active = true) =>
        new(Guid.NewGuid(), userId, "iscg_worker", organisation, false, active, userId + "@exemple.test", null, 1, 1, 1, 1);

    private static readonly Member[] People =
        [Person("a", Organisation), Person("b", Elsewhere), Person("c", Organisation), Person("gone", Organisation, active: false)];

    [Theory]
    [InlineData("cancelled")]
    [InlineData("moved")]
    [InlineData("promoted")]
    [InlineData("reminder")]
    public void Each_training_moment_tells_the_named_registrants_across_organisations_and_only_them(string moment)
    {
        var notice = new TrainingRegistrantsNotice(Guid.NewGuid(), moment, ["a", "b", "gone"], Now.AddDays(2), null, 4, Now);

        var alert = NotificationRules.Decide(notice, _ => null)!;

        Assert.Equal(("training-" + moment, Category.Training, "training-session"), (alert.Kind, alert.Category, alert.Subject.Type));
        Assert.Equal(["a", "b"], Recipients.Resolve(alert.Audiences, People, _ => null, Now).Select(r => r.UserId));
    }

    [Fact]
    public void An_unknown_moment_tells_nobody()
    {
        var notice = new TrainingRegistrantsNotice(Guid.NewGuid(), "renamed", ["a"], Now.AddDays(2), null, 4, Now);
        Assert.Null(NotificationRules.Decide(notice, _ => null));
    }

    [Fact]
    public void Training_alerts_skip_the_digest_but_off_holds()
    {
        var alert = NotificationRules.Decide(new TrainingRegistrantsNotice(Guid.NewGuid(), "cancelled", ["a"], Now.AddDays(2), null, 4, Now), _ => null)!;
        var digest = NotificationPreferences.Default("a") with { Categories = [new CategoryPreference(Category.Training, DeliveryMode.DailyDigest)] };
        var off = NotificationPreferences.Default("a") with { Categories = [new CategoryPreference(Category.Training, DeliveryMode.Off)] };

        Assert.Equal(new DeliveryPlan(DeliveryMode.Immediate, Now), Recipients.Schedule(alert, digest, Now));
        Assert.Equal(DeliveryMode.Off, Recipients.Schedule(alert, off, Now).Mode);
    }
}

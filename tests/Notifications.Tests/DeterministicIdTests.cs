using Coordination.Notifications.Rules;
using Xunit;

namespace Coordination.Notifications.Tests;

public class DeterministicIdTests
{
    [Fact]
    public void The_same_event_person_and_channel_always_give_the_same_id_and_any_change_another()
    {
        var a = DeterministicId.From("ReferralSent:1:3", "user-1", "email");

        Assert.Equal(a, DeterministicId.From("ReferralSent:1:3", "user-1", "email"));
        Assert.NotEqual(a, DeterministicId.From("ReferralSent:1:3", "user-2", "email"));
        Assert.NotEqual(a, DeterministicId.From("ReferralSent:1:4", "user-1", "email"));
        // Parts are separated: ("ab","c") is not ("a","bc").
        Assert.NotEqual(DeterministicId.From("ab", "c"), DeterministicId.From("a", "bc"));
    }
}

using System.Net;
using Coordination.Identity.Accounts;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>Progressive delays as pure decisions: when an attempt may be checked, per username and per address.</summary>
public class SignInDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly SignInDelayOptions Options = new()
    {
        FreeFailuresPerAccount = 3, FreeFailuresPerAddress = 20, FirstDelay = TimeSpan.FromSeconds(1),
        MaxDelayPerAccount = TimeSpan.FromMinutes(2), MaxDelayPerAddress = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public void The_delay_is_none_for_the_free_failures_then_doubles_up_to_its_ceiling()
    {
        var delays = Enumerable.Range(0, 14).Select(n => SignInThrottling.DelayAfter(n, 3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2))).ToList();

        Assert.All(delays.Take(4), d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 120, 120, 120], delays.Skip(4).Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(2), SignInThrottling.DelayAfter(int.MaxValue, 3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void An_attempt_waits_for_the_longer_of_the_username_delay_and_the_address_delay()
    {
        var account = new SignInFailures("account:x", 5, Now.AddSeconds(-1)); // 2 s delay, 1 s left
        var address = new SignInFailures("address:y", 25, Now.AddSeconds(-1)); // 16 s delay, 15 s left

        Assert.Equal(Now.AddSeconds(1), SignInThrottling.DelayedUntil(account, null, Options, Now));
        Assert.Equal(Now.AddSeconds(15), SignInThrottling.DelayedUntil(account, address, Options, Now));
        Assert.Equal(Now.AddSeconds(15), SignInThrottling.DelayedUntil(null, address, Options, Now));
        Assert.Null(SignInThrottling.DelayedUntil(account, address, Options, Now.AddSeconds(15)));
        Assert.Null(SignInThrottling.DelayedUntil(new SignInFailures("account:x", 3, Now), new SignInFailures("address:y", 20, Now), Options, Now));
    }

    [Fact]
    public void Failures_add_up_and_old_ones_are_forgotten()
    {
        var first = SignInThrottling.Failed("k", null, Options, Now);
        var second = SignInThrottling.Failed("k", first, Options, Now.AddMinutes(1));
        var muchLater = SignInThrottling.Failed("k", second, Options, Now.AddDays(2));

        Assert.Equal((1, 2, 1), (first.Count, second.Count, muchLater.Count));
        Assert.Null(SignInThrottling.DelayedUntil(new SignInFailures("k", 50, Now), null, Options, Now.AddDays(2)));
    }

    [Fact]
    public void Keys_name_neither_the_person_nor_the_address_and_read_one_username_however_it_is_typed()
    {
        Assert.Equal(SignInThrottling.AccountKey("Louise "), SignInThrottling.AccountKey("louise"));
        Assert.DoesNotContain("louise", SignInThrottling.AccountKey("louise"));
        Assert.DoesNotContain("203.0.113.7", SignInThrottling.AddressKey(IPAddress.Parse("203.0.113.7")));
        Assert.Equal(SignInThrottling.AddressKey(IPAddress.Parse("203.0.113.7")), SignInThrottling.AddressKey(IPAddress.Parse("::ffff:203.0.113.7")));
    }

    [Fact]
    public void Unknown_disabled_delayed_and_wrong_take_the_same_path_one_hash_and_the_same_refusal()
    {
        var hash = PasswordHashing.Hash("Le-bon-mot-de-passe");
        var active = new Account(Guid.NewGuid(), "l", "u", "L.", "iscg_worker", Guid.NewGuid(), hash);

        Assert.Equal(SignInOutcome.Succeeded, SignInDecision.Decide(new SignIn("Le-bon-mot-de-passe", Now, Delayed: false), active).Outcome);
        Assert.All(new[]
        {
            SignInDecision.Decide(new SignIn("Le-bon-mot-de-passe", Now, Delayed: false), null),
            SignInDecision.Decide(new SignIn("Le-bon-mot-de-passe", Now, Delayed: false), active with { Disabled = true }),
            SignInDecision.Decide(new SignIn("Le-bon-mot-de-passe", Now, Delayed: true), active),
            SignInDecision.Decide(new SignIn("faux", Now, Delayed: false), active),
        }, d => Assert.Equal((SignInOutcome.Refused, 0), (d.Outcome, d.Events.Count)));
    }
}

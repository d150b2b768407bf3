using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>ProConnect's decision without a server: the refusals the end-to-end tests do not reach.</summary>
public class ProConnectDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static Account Invited(TimeSpan validFor) =>
        AccountEvolution.Evolve(null, new AccountInvited(Guid.NewGuid(), "u-1", "a@b.test", "A B.", "a@b.test", "association_staff",
            Guid.NewGuid(), false, false, "hash", Now + validFor, "admin", Now))!;

    private static ProConnectSignIn ByEmail(string subject = "sub-1") => new(new ProConnectIdentity(subject, "A@B.test", true, "eidas1"), false, Now, false);

    [Fact]
    public void An_expired_invitation_is_not_accepted_through_ProConnect_either()
    {
        var (outcome, events) = ProConnectSignInDecision.Decide(ByEmail(), Invited(TimeSpan.FromMinutes(-1)));

        Assert.Equal(ProConnectOutcome.Refused, outcome);
        Assert.Empty(events);
    }

    [Fact]
    public void An_account_tied_to_one_ProConnect_identity_is_not_opened_by_another_with_the_same_address()
    {
        var account = AccountEvolution.Evolve(Invited(TimeSpan.FromDays(1)), new ExternalIdentityLinked(Guid.Empty, ExternalProviders.ProConnect, "sub-1", Now))!;

        Assert.Equal(ProConnectOutcome.Refused, ProConnectSignInDecision.Decide(ByEmail("sub-2"), account).Outcome);
        Assert.Equal(ProConnectOutcome.Succeeded, ProConnectSignInDecision.Decide(ByEmail("sub-1") with { FoundBySubject = true }, account).Outcome);
    }

    [Fact]
    public void While_a_delay_runs_even_a_valid_identity_is_refused()
    {
        var (outcome, events) = ProConnectSignInDecision.Decide(ByEmail() with { Delayed = true }, Invited(TimeSpan.FromDays(1)));

        Assert.Equal(ProConnectOutcome.Refused, outcome);
        Assert.Empty(events);
    }

    [Fact]
    public void Only_a_verified_address_finds_an_account()
    {
        Assert.Equal("a@b.test", new ProConnectIdentity("s", " A@B.test ", true, null).UsableEmail);
        Assert.Null(new ProConnectIdentity("s", "a@b.test", false, null).UsableEmail);
        Assert.Equal(ProConnectOutcome.EmailNotVerified,
            ProConnectSignInDecision.Decide(new ProConnectSignIn(new ProConnectIdentity("s", "a@b.test", false, null), false, Now, false), null).Outcome);
    }
}

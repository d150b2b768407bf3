using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.Activating;
using Coordination.Identity.Accounts.Publishing;
using Coordination.Identity.Accounts.ResettingPassword;
using Coordination.ServiceDefaults.Http;
using JasperFx.Events;
using Xunit;
using Published = Coordination.Contracts.Identity;

namespace Coordination.Identity.Tests;

/// <summary>The pure decisions and the published shapes, without a server.</summary>
public class AccountDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static (Account State, string Secret) Invited(TimeSpan validFor)
    {
        var id = Guid.NewGuid();
        var (token, hash) = OneTimeLinks.New(id);
        OneTimeLinks.TryRead(token, out _, out var secret);
        var state = AccountEvolution.Evolve(null, new AccountInvited(id, "u-1", "a@b.test", "A B.", "a@b.test", "association_staff", Guid.NewGuid(),
            false, false, hash, Now + validFor, "admin", Now))!;
        return (state, secret);
    }

    [Fact]
    public void An_invitation_link_works_until_it_expires_and_never_with_another_secret()
    {
        var (state, secret) = Invited(TimeSpan.FromHours(72));

        Assert.IsType<AccountActivated>(Assert.Single(ActivateAccountPage.Decide(new ActivateAccount(secret, "hash", Now.AddHours(71)), state)));
        Assert.Throws<BusinessRuleViolation>(() => ActivateAccountPage.Decide(new ActivateAccount(secret, "hash", Now.AddHours(72)), state));
        Assert.Throws<BusinessRuleViolation>(() => ActivateAccountPage.Decide(new ActivateAccount(secret + "x", "hash", Now.AddHours(1)), state));
    }

    [Fact]
    public void A_reset_link_lasts_thirty_minutes_and_a_newer_request_replaces_it()
    {
        var (invited, secret) = Invited(TimeSpan.FromHours(72));
        var active = AccountEvolution.Evolve(invited, new AccountActivated(invited.Id, invited.Role, invited.OrganisationId, false, "hash", Now))!;
        var (firstToken, firstHash) = OneTimeLinks.New(active.Id);
        var (secondToken, secondHash) = OneTimeLinks.New(active.Id);
        OneTimeLinks.TryRead(firstToken, out _, out var first);
        OneTimeLinks.TryRead(secondToken, out _, out var second);
        var requested = ResetPasswordPages.Decide(new RequestPasswordReset(firstHash, Now.AddMinutes(30), Now), active)
            .Concat(ResetPasswordPages.Decide(new RequestPasswordReset(secondHash, Now.AddMinutes(31), Now.AddMinutes(1)), active))
            .Aggregate(active, (s, e) => AccountEvolution.Evolve(s, e)!);

        Assert.Throws<BusinessRuleViolation>(() => ResetPasswordPages.Decide(new CompletePasswordReset(first, "h", Now.AddMinutes(2)), requested));
        Assert.Throws<BusinessRuleViolation>(() => ResetPasswordPages.Decide(new CompletePasswordReset(second, "h", Now.AddMinutes(31)), requested));
        Assert.Single(ResetPasswordPages.Decide(new CompletePasswordReset(second, "h", Now.AddMinutes(30)), requested));
        Assert.Empty(ResetPasswordPages.Decide(new RequestPasswordReset(firstHash, Now.AddMinutes(30), Now), invited)); // not active yet: no link
        _ = secret;
    }

    [Fact]
    public void Only_the_delivery_address_contract_carries_a_name_or_an_e_mail()
    {
        var id = Guid.NewGuid();
        var invited = new Event<AccountInvited>(new AccountInvited(id, "u-9", "x@y.test", "Nom P.", "x@y.test", "iscg_worker", Guid.NewGuid(), true, false,
            "hash", Now, "admin", Now))
        { Version = 1, StreamId = id };
        var disabled = new Event<AccountDisabled>(new AccountDisabled(id, "admin", Now)) { Version = 4, StreamId = id };

        var address = Assert.IsType<Published.AccountDeliveryAddressChanged>(AccountContractsMapper.Map(invited, "u-9"));
        Assert.Equal(("u-9", "Nom P.", "x@y.test", 1L), (address.UserId, address.DisplayName, address.Email, address.SourceVersion));
        var off = Assert.IsType<Published.AccountDisabled>(AccountContractsMapper.Map(disabled, "u-9"));
        Assert.Equal(("u-9", 4L), (off.UserId, off.SourceVersion));
        Assert.DoesNotContain("x@y.test", System.Text.Json.JsonSerializer.Serialize(off));
    }
}

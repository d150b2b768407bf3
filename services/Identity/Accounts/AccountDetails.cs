using Coordination.Identity.Accounts.SecondFactor;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Identity.Accounts;

public enum AccountStatus { Invited, Active, Disabled }

/// <summary>
/// What "Mon équipe" and the account pages show of an account (inline view, one per stream, with its version for
/// <c>If-Match</c>). Never a password hash nor a link's hash, nor anything of a second factor but when it was enrolled.
/// </summary>
public sealed record AccountDetails(
    Guid Id, string UserId, string Name, string? Email, string Role, Guid? OrganisationId, bool OrganisationManager,
    AccountStatus Status, DateTimeOffset? InvitationExpiresAt, DateTimeOffset? LastSignInAt, DateTimeOffset CreatedAt, long Version,
    DateTimeOffset? MfaEnrolledAt = null);

public sealed partial class AccountDetailsProjection : SingleStreamProjection<AccountDetails, Guid>
{
    public override AccountDetails? Evolve(AccountDetails? snapshot, Guid id, IEvent e)
    {
        var next = (snapshot, e.Data) switch
        {
            (null, AccountRegistered r) => new AccountDetails(r.AccountId, r.UserId, r.Name, null, r.Role, r.OrganisationId, r.OrganisationManager,
                AccountStatus.Active, null, null, r.At, 0),
            (null, AccountInvited i) => new AccountDetails(i.AccountId, i.UserId, i.Name, i.Email, i.Role, i.OrganisationId, i.OrganisationManager,
                AccountStatus.Invited, i.ExpiresAt, null, i.At, 0),
            (null, _) => null,
            (_, AccountInvitationRenewed r) => snapshot with { InvitationExpiresAt = r.ExpiresAt },
            (_, AccountActivated) => snapshot with { Status = AccountStatus.Active, InvitationExpiresAt = null },
            (_, AccountRoleChanged r) => snapshot with { Role = r.Role, OrganisationManager = r.OrganisationManager },
            (_, AccountOrganisationChanged o) => snapshot with { OrganisationId = o.OrganisationId },
            (_, AccountDisabled) => snapshot with { Status = AccountStatus.Disabled },
            (_, AccountReenabled) => snapshot with { Status = snapshot.InvitationExpiresAt is null ? AccountStatus.Active : AccountStatus.Invited },
            (_, SignInSucceeded s) => snapshot with { LastSignInAt = s.At },
            (_, MfaEnrolled m) => snapshot with { MfaEnrolledAt = m.At },
            (_, MfaReset) => snapshot with { MfaEnrolledAt = null },
            _ => snapshot,
        };
        return next is null ? null : next with { Version = e.Version };
    }
}

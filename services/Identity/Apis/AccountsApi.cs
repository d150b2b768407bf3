using Coordination.Identity.Accounts.ChangingOrganisation;
using Coordination.Identity.Accounts.ChangingPassword;
using Coordination.Identity.Accounts.ChangingRole;
using Coordination.Identity.Accounts.Disabling;
using Coordination.Identity.Accounts.Inviting;
using Coordination.Identity.Accounts.ListingTeam;
using Coordination.Identity.Accounts.Reenabling;
using Coordination.Identity.Accounts.Activating;
using Coordination.Identity.Accounts.ResettingPassword;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Sessions;

namespace Coordination.Identity.Apis;

public static class AccountsApi
{
    /// <summary>The accounts API (bearer tokens, through the gateway) and the anonymous pages the e-mails link to.</summary>
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/identity/accounts")
            .WithTags("Accounts")
            .MapInviteAccount()
            .MapRenewInvitation()
            .MapListAccounts()
            .MapChangeAccountRole()
            .MapChangeAccountOrganisation()
            .MapDisableAccount()
            .MapReenableAccount()
            .MapChangePassword()
            .MapResetMfa()
            .MapMySessions();
        app.MapActivateAccountPage();
        app.MapResetPasswordPages();
        app.MapMfaChallengePage();
        app.MapMfaEnrolmentPage();
        return app;
    }
}

using System.Net;
using System.Net.Http.Json;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using static Coordination.Authorization.Tests.Rules;

namespace Coordination.Authorization.Tests;

/// <summary>
/// The authorization matrix of every API endpoint (docs/security.md is its readable form). A new endpoint
/// without a row here fails <see cref="AuthorizationMatrixTests.Every_endpoint_has_a_row_in_the_matrix"/>.
/// </summary>
public static class AuthorizationMatrix
{
    public static readonly MatrixRow[] Rows =
    [
        // Every service: probes.
        .. Probes("directory"), .. Probes("dashboard"), .. Probes("referrals"), .. Probes("identity"), .. Probes("gateway"), .. Probes("training"), .. Probes("projects"), .. Probes("notifications"),

        // Identity: public by nature (its answers are OAuth errors or the sign-in page, never a 401/403).
        new("identity", "POST /connect/token", _ => Access.Allowed, (t, c, _) => Form("/connect/token", JobsClientCredentials)),
        // A valid authorization request without a sign-in: the provider sends the browser to its sign-in page.
        new("identity", "GET /connect/authorize", _ => Access.Allowed, (t, c, _) => Get("/connect/authorize?" + AuthorizeQuery))
            { Answer = new(HttpStatusCode.Found) },
        new("identity", "POST /connect/authorize", _ => Access.Allowed, (t, c, _) => Form("/connect/authorize", AuthorizeParameters))
            { Answer = new(HttpStatusCode.Found) },
        // Signing out without a session: back to the provider's default page.
        new("identity", "GET /connect/logout", _ => Access.Allowed, (t, c, _) => Get("/connect/logout")) { Answer = new(HttpStatusCode.Found) },
        new("identity", "POST /connect/logout", _ => Access.Allowed, (t, c, _) => Form("/connect/logout")) { Answer = new(HttpStatusCode.Found) },
        new("identity", "GET /account/login", _ => Access.Allowed, (t, c, _) => Get("/account/login")),
        // A valid sign-in (antiforgery cookie and field, an existing account): redirected to the local return address.
        new("identity", "POST /account/login", _ => Access.Allowed, async (t, c) => await t.SignInForm(c)) { Answer = new(HttpStatusCode.Found) },

        // Identity: ProConnect's way out and back, off here as by default: absent for everyone (Identity.Tests' ProConnectTests
        // go through both with it switched on, against a local provider playing ProConnect).
        new("identity", "GET /account/proconnect", _ => Access.Hidden, (t, c, _) => Get("/account/proconnect?returnUrl=%2F")),
        new("identity", "GET /connect/proconnect/callback", _ => Access.Hidden, (t, c, _) => Get("/connect/proconnect/callback?code=x&state=y")),
        new("identity", "POST /connect/proconnect/callback", _ => Access.Hidden, (t, c, _) => Form("/connect/proconnect/callback")),

        // Identity: the second step of a sign-in and the enrolment of an app. Without a sign-in in progress (no second-step
        // cookie; a bearer token is not read there) every caller is sent back to the sign-in page; the forms are posted with a
        // valid antiforgery token. Identity.Tests (MfaTests) goes through them with a real sign-in.
        new("identity", "GET /account/mfa", _ => Access.Allowed, (t, c, _) => Get("/account/mfa")) { Answer = new(HttpStatusCode.Found) },
        new("identity", "POST /account/mfa", _ => Access.Allowed, async (t, c) =>
            await t.PageForm(c, "/account/login", "/account/mfa", ("returnUrl", "/"), ("code", "123456"))) { Answer = new(HttpStatusCode.Found) },
        new("identity", "GET /account/mfa/enrolment", _ => Access.Allowed, (t, c, _) => Get("/account/mfa/enrolment"))
            { Answer = new(HttpStatusCode.Found) },
        new("identity", "POST /account/mfa/enrolment", _ => Access.Allowed, async (t, c) =>
            await t.PageForm(c, "/account/login", "/account/mfa/enrolment", ("returnUrl", "/"), ("code", "123456"))) { Answer = new(HttpStatusCode.Found) },

        // Identity: the pages its e-mails link to (anonymous by nature: the one-time link is the credential).
        new("identity", "GET /account/invitation", _ => Access.Allowed, (t, c, _) => Get("/account/invitation?jeton=x")),
        // A fresh invitation's valid link and a valid password: the account is activated.
        new("identity", "POST /account/invitation", _ => Access.Allowed, async (t, c) =>
        {
            var (_, _, token) = await t.NewInvitation();
            return await t.PageForm(c, $"/account/invitation?jeton={token}", "/account/invitation",
                ("jeton", token), ("password", Targets.AccountPassword), ("confirmation", Targets.AccountPassword));
        }),
        new("identity", "GET /account/forgotten-password", _ => Access.Allowed, (t, c, _) => Get("/account/forgotten-password")),
        // A well-formed address: the same answer whether or not it has an account.
        new("identity", "POST /account/forgotten-password", _ => Access.Allowed, async (t, c) =>
            await t.PageForm(c, "/account/forgotten-password", "/account/forgotten-password", ("email", "personne.matrice@association.test"))),
        new("identity", "GET /account/reset-password", _ => Access.Allowed, (t, c, _) => Get("/account/reset-password?jeton=x")),
        // A fresh active account's valid reset link and a valid new password: the password is changed.
        new("identity", "POST /account/reset-password", _ => Access.Allowed, async (t, c) =>
        {
            var token = await t.NewResetLink();
            return await t.PageForm(c, $"/account/reset-password?jeton={token}", "/account/reset-password",
                ("jeton", token), ("password", "Nouveau-Mot-De-Passe-2026!"), ("confirmation", "Nouveau-Mot-De-Passe-2026!"));
        }),
        // Identity: accounts (the "own" organisation is the one the target account works for).
        // Coordinators: a new organisation's first manager; admins: anyone; managers: a colleague of their own organisation (left out: theirs).
        new("identity", "POST /api/identity/accounts/", Inviters, async (t, c) => Post("/api/identity/accounts", c.Role switch
        {
            Roles.NationalCoordinator => Targets.InvitationBody(Roles.AssociationStaff, await t.NewIdentityOrganisation(), manager: true),
            Roles.Admin => Targets.InvitationBody(Roles.AssociationStaff, t.SenderOrganisation, manager: false),
            _ => Targets.InvitationBody(c.Role ?? Roles.AssociationStaff, null, manager: false),
        })),
        new("identity", "GET /api/identity/accounts/", TeamReaders, (t, c, _) => Get($"/api/identity/accounts?organisationId={t.SenderOrganisation}")),
        new("identity", "GET /api/identity/accounts/me", AnySignedInHidden, (t, c, _) => Get("/api/identity/accounts/me")), // test tokens have no account
        new("identity", "GET /api/identity/accounts/{id:guid}", AccountManagers, (t, c, _) => Get($"/api/identity/accounts/{t.Account}")),
        new("identity", "PUT /api/identity/accounts/{id:guid}/role", AccountManagers, (t, c, current) => Versioned(HttpMethod.Put,
            $"/api/identity/accounts/{t.Account}/role", new { role = "partner_staff", organisationManager = false }, null)),
        new("identity", "PUT /api/identity/accounts/{id:guid}/organisation", AdminsOnly, (t, c, current) => Versioned(HttpMethod.Put,
            $"/api/identity/accounts/{t.Account}/organisation", new { organisationId = t.ReceiverOrganisation }, null)),
        new("identity", "POST /api/identity/accounts/{id:guid}/disablement", AccountManagers, async (t, c) => Versioned(HttpMethod.Post,
            $"/api/identity/accounts/{(await t.NewInvitation(mintLink: false)).Id}/disablement", new { }, null)),
        new("identity", "POST /api/identity/accounts/{id:guid}/reenablement", AccountManagers, async (t, c) => Versioned(HttpMethod.Post,
            $"/api/identity/accounts/{await t.NewDisabledAccount()}/reenablement", new { }, null)),
        // Someone's second factor (a fresh active account with one enrolled): admins only, never a manager nor a coordinator.
        new("identity", "POST /api/identity/accounts/{id:guid}/mfa/reset", AdminsOnly, async (t, c) =>
        {
            var id = await t.NewAccountWithMfa();
            return Versioned(HttpMethod.Post, $"/api/identity/accounts/{id}/mfa/reset", new { }, await t.CurrentVersion("identity", $"/api/identity/accounts/{id}"));
        }),
        new("identity", "POST /api/identity/accounts/{id:guid}/invitation-renewal", AccountManagers, (t, c, current) => Versioned(HttpMethod.Post,
            $"/api/identity/accounts/{t.Account}/invitation-renewal", new { }, null)),
        // One's own password: a person's token is that of a fresh active account (the caller's role and organisation), with its current password.
        new("identity", "PUT /api/identity/accounts/me/password", AnySignedIn, async (t, c) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/identity/accounts/me/password")
                { Content = JsonContent.Create(new { currentPassword = Targets.AccountPassword, newPassword = "Nouveau-Mot-De-Passe-2026!" }) };
            if (AnySignedIn(c) == Access.Allowed)
                request.Headers.Authorization = new("Bearer", t.TokenFor(c, (await t.NewAccount()).UserId));
            return request;
        }),
        // One's own sessions: a test token has none (an empty list, nothing else to end); an unknown session is absent.
        new("identity", "GET /api/identity/accounts/me/sessions", AnySignedIn, (t, c, _) => Get("/api/identity/accounts/me/sessions")),
        new("identity", "DELETE /api/identity/accounts/me/sessions/{id}", AnySignedInHidden, (t, c, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/identity/accounts/me/sessions/{Guid.NewGuid()}")),
        new("identity", "DELETE /api/identity/accounts/me/sessions", AnySignedIn, (t, c, _) =>
            new HttpRequestMessage(HttpMethod.Delete, "/api/identity/accounts/me/sessions")),
        new("identity", "POST /api/identity/admin/integration-events/replay", Jobs, (t, c, _) => Post("/api/identity/admin/integration-events/replay", new { })),

        // Training.
        new("training", "POST /api/training/modules", CoordinatorsOnly, (t, c, _) => Post("/api/training/modules", Targets.ModuleBody)),
        new("training", "GET /api/training/modules", AnySignedIn, (t, c, _) => Get("/api/training/modules")),
        new("training", "GET /api/training/modules/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/training/modules/{t.Module}")),
        new("training", "PUT /api/training/modules/{id:guid}", CoordinatorsOnly, (t, c, current) => Versioned(HttpMethod.Put, $"/api/training/modules/{t.Module}",
            new { title = "Module d'essai", objectives = "Essai", audience = "both", durationMinutes = 180, format = "inPerson" }, null)),
        new("training", "POST /api/training/modules/{id:guid}/retirement", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/training/modules/{await t.NewModule()}/retirement", new { reason = "essai" }, null)),
        new("training", "POST /api/training/sessions", CoordinatorsOnly, (t, c, _) => Post("/api/training/sessions", t.SessionBody())),
        new("training", "GET /api/training/sessions", AnySignedIn, (t, c, _) => Get("/api/training/sessions")),
        new("training", "GET /api/training/sessions/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/training/sessions/{t.Session}")),
        new("training", "GET /api/training/sessions/{id:guid}/roster", CoordinatorsOnly, (t, c, _) => Get($"/api/training/sessions/{t.Session}/roster")),
        new("training", "POST /api/training/sessions/{id:guid}/registration-opening", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{await t.NewSession(open: false)}/registration-opening", new { }, null)),
        new("training", "POST /api/training/sessions/{id:guid}/registrations", StaffOnly, async (t, c) =>
            Post($"/api/training/sessions/{await t.NewSession(open: true)}/registrations", new { })),
        new("training", "POST /api/training/sessions/{id:guid}/registrations/on-behalf", CoordinatorsOnly, async (t, c) =>
            Post($"/api/training/sessions/{await t.NewSession(open: true)}/registrations/on-behalf",
                new { userId = "authz-someone", name = "Personne inscrite", organisationId = t.SenderOrganisation, network = "franceVictimes" })),
        new("training", "DELETE /api/training/sessions/{id:guid}/registrations/mine", AnySignedIn, async (t, c) =>
        {
            var session = await t.NewSession(open: true);
            await t.RegisterOnBehalf(session, c.UserId.Length > 0 ? c.UserId : "authz-anonymous");
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/training/sessions/{session}/registrations/mine");
        }),
        new("training", "DELETE /api/training/sessions/{id:guid}/registrations/{userId}", CoordinatorsOnly, async (t, c) =>
        {
            var session = await t.NewSession(open: true);
            await t.RegisterOnBehalf(session, "authz-registered");
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/training/sessions/{session}/registrations/authz-registered");
        }),
        // Attendance, evaluations and closing need a session that has taken place; these sessions are in 20 days, so the
        // allowed call gets the rule that says so (past the access check, with a valid body and the current version).
        new("training", "POST /api/training/sessions/{id:guid}/attendance", CoordinatorsOnly, (t, c, _) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/attendance", new { present = Array.Empty<string>() }, null))
            { Answer = new(HttpStatusCode.Conflict, "La présence se saisit une fois la session commencée.") },
        new("training", "POST /api/training/sessions/{id:guid}/evaluations", AnySignedIn, (t, c, _) =>
            Post($"/api/training/sessions/{t.Session}/evaluations", new { rating = 5 }))
            { Answer = new(HttpStatusCode.Conflict, "L'évaluation s'ouvre une fois la présence saisie.") },
        new("training", "POST /api/training/sessions/{id:guid}/closing", CoordinatorsOnly, (t, c, _) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/closing", new { }, null))
            { Answer = new(HttpStatusCode.Conflict, "Seule une session qui a eu lieu (présence saisie) peut être close.") },
        new("training", "POST /api/training/sessions/{id:guid}/cancellation", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{await t.NewSession(open: false)}/cancellation", new { reason = "essai" }, null)),
        new("training", "POST /api/training/sessions/{id:guid}/rescheduling", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{await t.NewSession(open: false)}/rescheduling",
                new { startsAt = DateTimeOffset.UtcNow.AddDays(60), endsAt = DateTimeOffset.UtcNow.AddDays(60).AddHours(3) }, null)),
        new("training", "GET /api/training/sessions/{id:guid}/certificates/{userId}", AnySignedInHidden, (t, c, _) =>
            Get($"/api/training/sessions/{t.Session}/certificates/someone-else")),
        new("training", "GET /api/training/registrations/mine", AnySignedIn, (t, c, _) => Get("/api/training/registrations/mine")),
        new("training", "POST /api/training/interventions", OwnStaffOrCoordinators, (t, c, _) => Post("/api/training/interventions", new
        {
            date = "2026-11-20", departement = "93", kind = "jointCaseReview", organisationIds = new[] { t.SenderOrganisation, t.IscgPost },
            attendanceCount = 12, description = "Revue de situations commune",
        })),
        new("training", "GET /api/training/interventions", AnySignedIn, (t, c, _) => Get("/api/training/interventions")),

        // Operators' jobs: admins and the service caller (client credentials). The allowed call really runs: harmless (duplicates are
        // dropped, error queues are empty, a rebuild gives the same views, a rotation re-wraps under the same key).
        new("directory", "POST /api/directory/admin/integration-events/replay", Jobs, (t, c, _) => Post("/api/directory/admin/integration-events/replay", new { })),
        new("referrals", "POST /api/referrals/admin/integration-events/replay", Jobs, (t, c, _) => Post("/api/referrals/admin/integration-events/replay", new { })),
        new("training", "POST /api/training/admin/integration-events/replay", Jobs, (t, c, _) => Post("/api/training/admin/integration-events/replay", new { })),
        new("dashboard", "POST /api/dashboard/admin/error-queues/requeue", Jobs, (t, c, _) => Post("/api/dashboard/admin/error-queues/requeue", new { })),
        new("referrals", "POST /api/referrals/admin/error-queues/requeue", Jobs, (t, c, _) => Post("/api/referrals/admin/error-queues/requeue", new { })),
        new("training", "POST /api/training/admin/error-queues/requeue", Jobs, (t, c, _) => Post("/api/training/admin/error-queues/requeue", new { })),
        new("referrals", "POST /api/referrals/admin/key-encryption/rotation", Jobs, (t, c, _) => Post("/api/referrals/admin/key-encryption/rotation", new { })),

        // Projects (the "own" organisation leads the project).
        new("projects", "POST /api/projects/", ProjectCreators, (t, c, _) => Post("/api/projects", Targets.ProjectBody(t.SenderOrganisation))),
        new("projects", "GET /api/projects/", AnySignedIn, (t, c, _) => Get("/api/projects")),
        new("projects", "GET /api/projects/stuck", AnySignedIn, (t, c, _) => Get("/api/projects/stuck")),
        new("projects", "GET /api/projects/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/projects/{t.Project}")),
        new("projects", "GET /api/projects/{id:guid}/timeline", ProjectFollowersElseHidden, (t, c, _) => Get($"/api/projects/{t.Project}/timeline")),
        new("projects", "POST /api/projects/{id:guid}/partners", ProjectChangersElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/partners", new { organisationId = t.SpareOrganisation, role = "essai" }, null)),
        new("projects", "POST /api/projects/{id:guid}/stage", ProjectChangersElseHidden, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/projects/{await t.NewProject()}/stage", new { stage = "diagnosis" }, null)),
        new("projects", "POST /api/projects/{id:guid}/funding-lines", ProjectChangersElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/funding-lines", new { funder = "caf", amountRequested = 1m, fromYear = 2026, toYear = 2026 }, null)),
        new("projects", "POST /api/projects/{id:guid}/funding-lines/{lineId:guid}/decision", ProjectChangersElseHidden, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/funding-lines/{await t.NewProjectItem("funding-lines")}/decision",
                new { decision = "refused", decisionDate = "2026-10-01" }, null)),
        new("projects", "POST /api/projects/{id:guid}/milestones", ProjectChangersElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/milestones", new { title = "x", dueDate = "2027-01-01" }, null)),
        new("projects", "POST /api/projects/{id:guid}/milestones/{milestoneId:guid}/completion", ProjectChangersElseHidden, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/milestones/{await t.NewProjectItem("milestones")}/completion", new { }, null)),
        new("projects", "POST /api/projects/{id:guid}/documents", ProjectChangersElseHidden, (t, c, _) => Document($"/api/projects/{t.Project}/documents?fileName=essai.pdf")),
        // A document that exists: the project's organisations and the coordinators read it, everyone else gets the unknown one's 404.
        new("projects", "GET /api/projects/{id:guid}/documents/{documentId:guid}", ProjectFollowersElseHidden, (t, c, _) =>
            Get($"/api/projects/{t.Project}/documents/{t.ProjectDocument}")),
        new("projects", "POST /api/projects/{projectId:guid}/support-requests", ProjectChangersElseHidden, (t, c, _) =>
            Post($"/api/projects/{t.Project}/support-requests", new { kind = "other", message = "Question" })),
        new("projects", "GET /api/projects/support-requests", AnySignedIn, (t, c, _) => Get("/api/projects/support-requests")),
        new("projects", "GET /api/projects/support-requests/{id:guid}", OwnOrCoordinatorsElseHidden, (t, c, _) => Get($"/api/projects/support-requests/{t.SupportRequest}")),
        new("projects", "POST /api/projects/support-requests/{id:guid}/messages", OwnOrCoordinatorsElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{t.SupportRequest}/messages", new { text = "x" }, null)),
        new("projects", "POST /api/projects/support-requests/{id:guid}/assignment", CoordinatorsOnly, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{t.SupportRequest}/assignment", new { coordinatorUserId = "c" }, null)),
        new("projects", "POST /api/projects/support-requests/{id:guid}/closing", OwnOrCoordinatorsElseHidden, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{await t.NewSupportRequest()}/closing", new { }, null)),
        new("projects", "POST /api/projects/admin/integration-events/replay", Jobs, (t, c, _) => Post("/api/projects/admin/integration-events/replay", new { })),

        // Notifications: each person's own notifications and preferences; rotas are their organisation's (managers set them).
        new("notifications", "GET /api/notifications/", AnySignedIn, (t, c, _) => Get("/api/notifications")),
        new("notifications", "GET /api/notifications/unread-count", AnySignedIn, (t, c, _) => Get("/api/notifications/unread-count")),
        new("notifications", "GET /api/notifications/stream", AnySignedIn, (t, c, _) => Get("/api/notifications/stream")),
        new("notifications", "GET /api/notifications/{id:guid}", AnySignedInHidden, (t, c, _) => Get($"/api/notifications/{Guid.NewGuid()}")),
        new("notifications", "POST /api/notifications/{id:guid}/read", AnySignedInHidden, (t, c, _) => Post($"/api/notifications/{Guid.NewGuid()}/read", new { })),
        new("notifications", "POST /api/notifications/read", AnySignedIn, (t, c, _) => Post("/api/notifications/read", new { })),
        new("notifications", "GET /api/notifications/preferences", AnySignedIn, (t, c, _) => Get("/api/notifications/preferences")),
        new("notifications", "PUT /api/notifications/preferences", AnySignedIn, (t, c) =>
            AsRead(t, c, "notifications", HttpMethod.Put, "/api/notifications/preferences", new { categories = Array.Empty<object>() })),
        new("notifications", "GET /api/notifications/rotas/{organisationId:guid}", OwnStaffElseHidden, (t, c, _) =>
            Get($"/api/notifications/rotas/{t.SenderOrganisation}")),
        new("notifications", "PUT /api/notifications/rotas/{organisationId:guid}", OwnManagerElseHidden, (t, c) =>
            AsRead(t, c, "notifications", HttpMethod.Put, $"/api/notifications/rotas/{t.SenderOrganisation}", new { slots = Array.Empty<object>() })),
        new("notifications", "GET /api/notifications/failed-deliveries", ManagersOnly, (t, c, _) => Get("/api/notifications/failed-deliveries")),
        new("notifications", "POST /api/notifications/admin/error-queues/requeue", Jobs, (t, c, _) => Post("/api/notifications/admin/error-queues/requeue", new { })),

        // Gateway: its own page, and the proxied routes (validated here first, then again by each service).
        new("gateway", "ANY /{**rest}", _ => Access.Allowed, (t, c, _) => Get("/")),
        new("gateway", "ANY /api/directory/{**rest}", AnySignedIn, (t, c, _) => Get("/api/directory/organisations")),
        new("gateway", "ANY /api/dashboard/{**rest}", AnySignedIn, (t, c, _) => Get("/api/dashboard/organisations-by-departement")),
        new("gateway", "ANY /api/referrals/{**rest}", AnySignedIn, (t, c, _) => Get("/api/referrals/inbox")),
        new("gateway", "ANY /api/training/{**rest}", AnySignedIn, (t, c, _) => Get("/api/training/modules")),
        new("gateway", "ANY /api/projects/{**rest}", AnySignedIn, (t, c, _) => Get("/api/projects")),
        new("gateway", "ANY /api/identity/{**rest}", AnySignedIn, (t, c, _) => Get("/api/identity/accounts/me")),
        .. from service in new[] { "directory", "dashboard", "referrals", "training", "projects" }
           select new MatrixRow("gateway", $"ANY /api/{service}/admin/{{**rest}}", Jobs, (t, c, _) => Post($"/api/{service}/admin/integration-events/replay", new { })),
        new("gateway", "ANY /api/notifications/{**rest}", AnySignedIn, (t, c, _) => Get("/api/notifications")),
        new("gateway", "ANY /api/notifications/admin/{**rest}", Jobs, (t, c, _) => Post("/api/notifications/admin/error-queues/requeue", new { })),
        new("gateway", "POST /api/projects/{id}/documents", AnySignedIn, (t, c, _) => Document($"/api/projects/{Guid.NewGuid()}/documents?fileName=essai.pdf")),
        new("gateway", "ANY /connect/{**rest}", _ => Access.Allowed, (t, c, _) => Form("/connect/token")),
        new("gateway", "ANY /account/{**rest}", _ => Access.Allowed, (t, c, _) => Get("/account/login")),
        new("gateway", "ANY /.well-known/{**rest}", _ => Access.Allowed, (t, c, _) => Get("/.well-known/openid-configuration")),

        // Directory.
        new("directory", "POST /api/directory/organisations/", CoordinatorsOnly, (t, c, _) => Post("/api/directory/organisations", new
        {
            name = "CCAS d'essai", kind = "partner", partnerNetwork = "ccas-cias", departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" },
        })),
        new("directory", "GET /api/directory/organisations/", AnySignedIn, (t, c, _) => Get("/api/directory/organisations")),
        new("directory", "GET /api/directory/organisations/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/directory/organisations/{t.Organisation}")),
        new("directory", "PUT /api/directory/organisations/{id:guid}/details", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/details", new { name = "CCAS d'essai", partnerNetwork = "ccas-cias" }, null)),
        new("directory", "PUT /api/directory/organisations/{id:guid}/coverage", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/coverage",
                new { departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" } }, null)),
        new("directory", "PUT /api/directory/organisations/{id:guid}/referral-capacity", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/referral-capacity", new { acceptsReferrals = true }, null)),
        new("directory", "POST /api/directory/organisations/{id:guid}/deactivation", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/organisations/{await t.NewOrganisation()}/deactivation", new { reason = "essai" }, null)),
        new("directory", "GET /api/directory/reference/departements", AnySignedIn, (t, c, _) => Get("/api/directory/reference/departements")),
        new("directory", "GET /api/directory/reference/needs", AnySignedIn, (t, c, _) => Get("/api/directory/reference/needs")),
        new("directory", "GET /api/directory/reference/partner-networks", AnySignedIn, (t, c, _) => Get("/api/directory/reference/partner-networks")),
        // Directory: the guide of aids (read by all, proposed by staff, moderated by coordinators and designated referents; the test callers are not referents).
        new("directory", "POST /api/directory/aids/", AnySignedIn, (t, c, _) => Post("/api/directory/aids", Targets.AidBody())),
        new("directory", "GET /api/directory/aids/", AnySignedIn, (t, c, _) => Get("/api/directory/aids")),
        new("directory", "GET /api/directory/aids/review", CoordinatorsOnly, (t, c, _) => Get("/api/directory/aids/review")),
        new("directory", "GET /api/directory/aids/export.csv", CoordinatorsOnly, (t, c, _) => Get("/api/directory/aids/export.csv")),
        new("directory", "POST /api/directory/aids/import", CoordinatorsOnly, (t, c, _) =>
            new HttpRequestMessage(HttpMethod.Post, "/api/directory/aids/import")
            {
                Content = new StringContent(Targets.AidsCsvFile(), System.Text.Encoding.UTF8, "text/csv"),
            }),
        new("directory", "PUT /api/directory/aids/referents/{departement}", CoordinatorsOnly, async (t, c) =>
        {
            // The first designation of a département says no version; the later ones say the current one.
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/directory/aids/referents/93")
            {
                Content = JsonContent.Create(new { userIds = new[] { "essai" } }, options: HttpClientExtensions.JsonOptions),
            };
            if (await t.AidReferentsVersion("93") is { } version)
                request.Headers.TryAddWithoutValidation("If-Match", version);
            return request;
        }),
        new("directory", "GET /api/directory/aids/referents", AnySignedIn, (t, c, _) => Get("/api/directory/aids/referents")),
        new("directory", "GET /api/directory/aids/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/directory/aids/{t.Aid}")),
        new("directory", "GET /api/directory/aids/{id:guid}/history", AnySignedIn, (t, c, _) => Get($"/api/directory/aids/{t.Aid}/history")),
        new("directory", "POST /api/directory/aids/{id:guid}/validation", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/aids/{await t.NewAid(AidSetup.Proposed)}/validation", new { }, null)),
        new("directory", "POST /api/directory/aids/{id:guid}/rejection", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/aids/{await t.NewAid(AidSetup.Proposed)}/rejection", new { reason = "essai" }, null)),
        new("directory", "POST /api/directory/aids/{id:guid}/verification", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/aids/{await t.NewAid(AidSetup.Published)}/verification", new { }, null)),
        new("directory", "POST /api/directory/aids/{id:guid}/withdrawal", CoordinatorsOnly, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/aids/{await t.NewAid(AidSetup.Published)}/withdrawal", new { reason = "essai" }, null)),
        new("directory", "POST /api/directory/aids/{id:guid}/corrections", AnySignedIn, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/directory/aids/{await t.NewAid(AidSetup.Published)}/corrections", Targets.AidCorrectionBody(), null)),
        new("directory", "POST /api/directory/aids/{id:guid}/corrections/{correctionId:guid}/acceptance", CoordinatorsOnly, async (t, c) =>
        {
            var (aid, correction) = await t.NewAidWithCorrection();
            return Versioned(HttpMethod.Post, $"/api/directory/aids/{aid}/corrections/{correction}/acceptance", new { }, null);
        }),
        new("directory", "POST /api/directory/aids/{id:guid}/corrections/{correctionId:guid}/rejection", CoordinatorsOnly, async (t, c) =>
        {
            var (aid, correction) = await t.NewAidWithCorrection();
            return Versioned(HttpMethod.Post, $"/api/directory/aids/{aid}/corrections/{correction}/rejection", new { reason = "essai" }, null);
        }),

        // Dashboard.
        new("dashboard", "GET /api/dashboard/organisations-by-departement", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/organisations-by-departement")),
        new("dashboard", "GET /api/dashboard/aids-by-departement", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/aids-by-departement")),
        new("dashboard", "POST /api/dashboard/admin/rebuild", Jobs, (t, c, _) => Post("/api/dashboard/admin/rebuild", new { })),
        new("dashboard", "GET /api/dashboard/admin/rebuilds/{id:guid}", Jobs, async (t, c) => Get($"/api/dashboard/admin/rebuilds/{await t.NewRebuild()}")),
        new("dashboard", "GET /api/dashboard/referral-timings", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-timings")),
        new("dashboard", "GET /api/dashboard/referral-activity", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-activity")),
        new("dashboard", "GET /api/dashboard/referral-activity.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-activity.csv")),
        new("dashboard", "GET /api/dashboard/indicators/referrals", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/referrals")),
        new("dashboard", "GET /api/dashboard/indicators/referrals.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/referrals.csv")),
        // Staff read their own organisation's (the caller's: the sender's for "own"), coordinators any organisation's.
        new("dashboard", "GET /api/dashboard/indicators/organisation", OwnStaffOrCoordinators,
            (t, c, _) => Get($"/api/dashboard/indicators/organisation?organisation={t.SenderOrganisation}")),
        new("dashboard", "GET /api/dashboard/indicators/organisation.csv", OwnStaffOrCoordinators,
            (t, c, _) => Get($"/api/dashboard/indicators/organisation.csv?organisation={t.SenderOrganisation}")),
        new("dashboard", "GET /api/dashboard/annual-report/{year:int}", AnySignedIn, (t, c, _) => Get($"/api/dashboard/annual-report/{DateTime.UtcNow.Year - 1}")),
        new("dashboard", "GET /api/dashboard/annual-report/{year:int}.xlsx", AnySignedIn,
            (t, c, _) => Get($"/api/dashboard/annual-report/{DateTime.UtcNow.Year - 1}.xlsx")),
        new("dashboard", "GET /api/dashboard/indicators/training", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/training")),
        new("dashboard", "GET /api/dashboard/indicators/training.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/training.csv")),
        new("dashboard", "GET /api/dashboard/indicators/projects", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/projects")),
        new("dashboard", "GET /api/dashboard/indicators/projects.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/projects.csv")),
        new("dashboard", "GET /api/dashboard/changes", AnySignedIn, (t, c, _) => Get("/api/dashboard/changes")),
        new("dashboard", "GET /api/dashboard/open-data/", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/open-data/")),
        new("dashboard", "GET /api/dashboard/open-data/referrals-{year:int}.csv", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/open-data/referrals-2026.csv")),

        // Referrals.
        new("referrals", "POST /api/referrals/", StaffOnly, (t, c, _) => Post("/api/referrals", new
        {
            // To another organisation than the caller's own (an organisation does not hand a person off to itself).
            receiverOrganisationId = c.Relation == Relation.Receiver ? t.SpareOrganisation : t.ReceiverOrganisation, departement = "93",
            person = new { firstName = "Nadia", ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "sante--sante-mentale" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        })),
        new("referrals", "GET /api/referrals/inbox", StaffOnly, (t, c, _) => Get("/api/referrals/inbox")),
        new("referrals", "GET /api/referrals/sent", StaffOnly, (t, c, _) => Get("/api/referrals/sent")),
        new("referrals", "GET /api/referrals/{id:guid}", ReferralReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}")),
        new("referrals", "GET /api/referrals/{id:guid}/history", ReferralReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}/history")),
        new("referrals", "GET /api/referrals/{id:guid}/chain", ReferralReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}/chain")),
        new("referrals", "GET /api/referrals/{id:guid}/audit", AuditReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}/audit")),
        // Each call on a fresh referral brought to the state the command needs.
        Command("sending", ReferralSetup.Draft, new { }, Relation.Own),
        Command("acknowledgement", ReferralSetup.Sent, new { }, Relation.Receiver),
        Command("hold", ReferralSetup.Acknowledged, new { reason = "En attente d'un justificatif" }, Relation.Receiver),
        Command("resumption", ReferralSetup.OnHold, new { }, Relation.Receiver),
        Command("acceptance", ReferralSetup.Acknowledged, new { }, Relation.Receiver),
        Command("decline", ReferralSetup.Acknowledged, new { reasons = new[] { "noCapacity" }, message = "Complet", declinedBy = "organisation" }, Relation.Receiver),
        new("referrals", "POST /api/referrals/{id:guid}/redirection", ReferralParty(Relation.Receiver), async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{await t.NewReferral(ReferralSetup.Acknowledged)}/redirection",
                new { newReceiverOrganisationId = t.SpareOrganisation, message = "Mieux placé" }, null)),
        new("referrals", "POST /api/referrals/{id:guid}/resending", ReferralParty(Relation.Own), async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{await t.NewReferral(ReferralSetup.Declined)}/resending", new
            {
                receiverOrganisationId = t.SpareOrganisation,
                consent = new { method = "oral", scope = new { identity = false, situation = false, needs = true } },
            }, null)),
        Command("first-contact", ReferralSetup.Accepted, new { }, Relation.Receiver),
        Command("completion", ReferralSetup.InProgress, new { outcome = "helped" }, Relation.Receiver),
        Command("withdrawal", ReferralSetup.Sent, new { reason = "Plus nécessaire" }, Relation.Own),
        Command("entered-in-error", ReferralSetup.Sent, new { reason = "Doublon" }, Relation.Own),
        Command("messages", ReferralSetup.Sent, new { text = "Bonjour" }, Relation.Own, Relation.Receiver),
        new("referrals", "POST /api/referrals/{id:guid}/erasure", ErasureRequesters, async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{await t.NewReferral(ReferralSetup.Sent)}/erasure",
                new { ground = "personRequest", justification = "Demande écrite de la personne concernée" }, null)),
        // Archiving takes years of the server's clock: the allowed caller gets the rule that names a case still active.
        new("referrals", "POST /api/referrals/{id:guid}/archive-access", ArchiveReaders, (t, c, _) =>
            Post($"/api/referrals/{t.Referral}/archive-access", new { reason = "Réquisition judiciaire du 27/11/2026" }))
            { Answer = new(HttpStatusCode.Conflict, "Cette orientation n'est pas archivée : consultez-la normalement.") },
        new("referrals", "POST /api/referrals/{id:guid}/messages/read", ReferralParty(Relation.Own, Relation.Receiver), async (t, c) =>
        {
            var referral = await t.NewReferral(ReferralSetup.WithMessage);
            return Versioned(HttpMethod.Post, $"/api/referrals/{referral}/messages/read", new { upToMessageId = await t.FirstMessageOf(referral) }, null);
        }),
    ];

    private static MatrixRow Command(string action, ReferralSetup state, object body, params Relation[] parties) =>
        new("referrals", $"POST /api/referrals/{{id:guid}}/{action}", ReferralParty(parties), async (t, c) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{await t.NewReferral(state)}/{action}", body, null));

    private static IEnumerable<MatrixRow> Probes(string service) =>
    [
        new(service, "ANY /health", _ => Access.Allowed, (t, c, _) => Get("/health")),
        new(service, "ANY /alive", _ => Access.Allowed, (t, c, _) => Get("/alive")),
    ];

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Document(string path)
    {
        var content = new ByteArrayContent("%PDF-1.7"u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static HttpRequestMessage Form(string path, IEnumerable<KeyValuePair<string, string>>? fields = null) =>
        new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields ?? []) };

    /// <summary>The jobs client of Identity's appsettings.json asking for a token.</summary>
    private static readonly KeyValuePair<string, string>[] JobsClientCredentials =
        [new("grant_type", "client_credentials"), new("client_id", "coordination-jobs"), new("client_secret", "change-me-outside-the-demo")];

    /// <summary>The portal's authorization request (code + PKCE S256), as a browser sends it.</summary>
    private static readonly KeyValuePair<string, string>[] AuthorizeParameters =
    [
        new("client_id", "coordination-portal"), new("response_type", "code"), new("scope", "openid profile"),
        new("redirect_uri", "http://127.0.0.1:8080/signin-oidc"), new("state", "authz-state"),
        new("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), new("code_challenge_method", "S256"),
    ];

    private static string AuthorizeQuery => string.Join("&", AuthorizeParameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, body.GetType(), options: HttpClientExtensions.JsonOptions) };

    /// <summary>
    /// A resource created on its first write (preferences, rotas): no If-Match then, the version the caller reads otherwise
    /// (a caller who may not read it gets no version, and is refused before any version is checked).
    /// </summary>
    private static async Task<HttpRequestMessage> AsRead(Targets t, Caller c, string service, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: HttpClientExtensions.JsonOptions) };
        if (c.Role is null) return request;
        using var current = await t.Client(service, c).GetAsync(path);
        if (current.IsSuccessStatusCode && current.Headers.ETag is { } version)
            request.Headers.TryAddWithoutValidation("If-Match", version.Tag);
        return request;
    }

    /// <summary>If-Match null means "the current version": filled in by the test just before sending.</summary>
    private static HttpRequestMessage Versioned(HttpMethod method, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: HttpClientExtensions.JsonOptions) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? "CURRENT");
        return request;
    }
}

using System.Net.Http.Json;
using Coordination.Testing;
using static Coordination.Authorization.Tests.Rules;

namespace Coordination.Authorization.Tests;

/// <summary>
/// The authorization matrix of every API endpoint (docs/security.md is its readable form). A new endpoint
/// without a row here fails <see cref="AuthorizationMatrixTests.Every_endpoint_has_a_row_in_the_matrix"/>.
/// </summary>
public static class AuthorizationMatrix
{
    private const string Stale = "\"999\"";

    public static readonly MatrixRow[] Rows =
    [
        // Every service: probes.
        .. Probes("directory"), .. Probes("dashboard"), .. Probes("referrals"), .. Probes("identity"), .. Probes("gateway"), .. Probes("training"), .. Probes("projects"), .. Probes("notifications"),

        // Identity: public by nature (its answers are OAuth errors or the sign-in page, never a 401/403).
        new("identity", "POST /connect/token", _ => Access.Allowed, (t, c, _) => Form("/connect/token")),
        new("identity", "GET /connect/authorize", _ => Access.Allowed, (t, c, _) => Get("/connect/authorize")),
        new("identity", "POST /connect/authorize", _ => Access.Allowed, (t, c, _) => Form("/connect/authorize")),
        new("identity", "GET /connect/logout", _ => Access.Allowed, (t, c, _) => Get("/connect/logout")),
        new("identity", "POST /connect/logout", _ => Access.Allowed, (t, c, _) => Form("/connect/logout")),
        new("identity", "GET /account/login", _ => Access.Allowed, (t, c, _) => Get("/account/login")),
        new("identity", "POST /account/login", _ => Access.Allowed, (t, c, _) => Form("/account/login")),

        // Training.
        new("training", "POST /api/training/modules", CoordinatorsOnly, (t, c, _) => Post("/api/training/modules", new { })),
        new("training", "GET /api/training/modules", AnySignedIn, (t, c, _) => Get("/api/training/modules")),
        new("training", "GET /api/training/modules/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/training/modules/{t.Module}")),
        new("training", "PUT /api/training/modules/{id:guid}", CoordinatorsOnly, (t, c, current) => Versioned(HttpMethod.Put, $"/api/training/modules/{t.Module}",
            new { title = "Module d'essai", objectives = "Essai", audience = "both", durationMinutes = 180, format = "inPerson" }, current ? null : Stale)),
        new("training", "POST /api/training/modules/{id:guid}/retirement", CoordinatorsOnly, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/training/modules/{t.Module}/retirement", new { reason = "essai" }, Stale)),
        new("training", "POST /api/training/sessions", CoordinatorsOnly, (t, c, _) => Post("/api/training/sessions", new { })),
        new("training", "GET /api/training/sessions", AnySignedIn, (t, c, _) => Get("/api/training/sessions")),
        new("training", "GET /api/training/sessions/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/training/sessions/{t.Session}")),
        new("training", "GET /api/training/sessions/{id:guid}/roster", CoordinatorsOnly, (t, c, _) => Get($"/api/training/sessions/{t.Session}/roster")),
        new("training", "POST /api/training/sessions/{id:guid}/registration-opening", CoordinatorsOnly, (t, c, _) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/registration-opening", new { }, Stale)),
        new("training", "POST /api/training/sessions/{id:guid}/registrations", StaffOnly, (t, c, _) =>
            Post($"/api/training/sessions/{t.Session}/registrations", new { })),
        new("training", "POST /api/training/sessions/{id:guid}/registrations/on-behalf", CoordinatorsOnly, (t, c, _) =>
            Post($"/api/training/sessions/{t.Session}/registrations/on-behalf", new { })),
        new("training", "DELETE /api/training/sessions/{id:guid}/registrations/mine", AnySignedIn, (t, c, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/training/sessions/{t.Session}/registrations/mine")),
        new("training", "DELETE /api/training/sessions/{id:guid}/registrations/{userId}", CoordinatorsOnly, (t, c, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/training/sessions/{t.Session}/registrations/nobody")),
        new("training", "POST /api/training/sessions/{id:guid}/attendance", CoordinatorsOnly, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/attendance", new { present = Array.Empty<string>() }, current ? null : Stale)),
        new("training", "POST /api/training/sessions/{id:guid}/evaluations", AnySignedIn, (t, c, _) =>
            Post($"/api/training/sessions/{t.Session}/evaluations", new { rating = 5 })),
        new("training", "POST /api/training/sessions/{id:guid}/closing", CoordinatorsOnly, (t, c, _) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/closing", new { }, Stale)),
        new("training", "POST /api/training/sessions/{id:guid}/cancellation", CoordinatorsOnly, (t, c, _) =>
            Versioned(HttpMethod.Post, $"/api/training/sessions/{t.Session}/cancellation", new { reason = "essai" }, Stale)),
        new("training", "GET /api/training/sessions/{id:guid}/certificates/{userId}", CertificateReaders, (t, c, _) =>
            Get($"/api/training/sessions/{t.Session}/certificates/someone-else")),
        new("training", "GET /api/training/registrations/mine", AnySignedIn, (t, c, _) => Get("/api/training/registrations/mine")),
        new("training", "POST /api/training/interventions", AnySignedIn, (t, c, _) => Post("/api/training/interventions", new { })),
        new("training", "GET /api/training/interventions", AnySignedIn, (t, c, _) => Get("/api/training/interventions")),

        // Operators: replay a service's integration events (admins only; the allowed call really replays: harmless, duplicates are dropped).
        new("directory", "POST /api/directory/admin/integration-events/replay", AdminsOnly, (t, c, _) => Post("/api/directory/admin/integration-events/replay", new { })),
        new("referrals", "POST /api/referrals/admin/integration-events/replay", AdminsOnly, (t, c, _) => Post("/api/referrals/admin/integration-events/replay", new { })),
        new("training", "POST /api/training/admin/integration-events/replay", AdminsOnly, (t, c, _) => Post("/api/training/admin/integration-events/replay", new { })),
        // Operators: move error-queue messages back to their queues once the cause is fixed (admins only; harmless when empty).
        new("dashboard", "POST /api/dashboard/admin/error-queues/requeue", AdminsOnly, (t, c, _) => Post("/api/dashboard/admin/error-queues/requeue", new { })),
        new("referrals", "POST /api/referrals/admin/error-queues/requeue", AdminsOnly, (t, c, _) => Post("/api/referrals/admin/error-queues/requeue", new { })),
        new("training", "POST /api/training/admin/error-queues/requeue", AdminsOnly, (t, c, _) => Post("/api/training/admin/error-queues/requeue", new { })),

        // Projects (the "own" organisation leads the project).
        new("projects", "POST /api/projects/", ProjectCreators, (t, c, _) => Post("/api/projects", new { })),
        new("projects", "GET /api/projects/", AnySignedIn, (t, c, _) => Get("/api/projects")),
        new("projects", "GET /api/projects/stuck", AnySignedIn, (t, c, _) => Get("/api/projects/stuck")),
        new("projects", "GET /api/projects/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/projects/{t.Project}")),
        new("projects", "GET /api/projects/{id:guid}/timeline", AnySignedIn, (t, c, _) => Get($"/api/projects/{t.Project}/timeline")),
        new("projects", "POST /api/projects/{id:guid}/partners", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/partners", new { organisationId = Guid.NewGuid(), role = "essai" }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/stage", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/stage", new { stage = "diagnosis" }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/funding-lines", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/funding-lines", new { funder = "caf", amountRequested = 1m, fromYear = 2026, toYear = 2026 }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/funding-lines/{lineId:guid}/decision", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/funding-lines/{t.FundingLine}/decision", new { decision = "refused", decisionDate = "2026-10-01" }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/milestones", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/milestones", new { title = "x", dueDate = "2027-01-01" }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/milestones/{milestoneId:guid}/completion", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/{t.Project}/milestones/{t.Milestone}/completion", new { }, current ? null : Stale)),
        new("projects", "POST /api/projects/{id:guid}/documents", OwnStaffOrCoordinators, (t, c, _) => Document($"/api/projects/{t.Project}/documents?fileName=essai.pdf")),
        new("projects", "GET /api/projects/{id:guid}/documents/{documentId:guid}", AnySignedInHidden, (t, c, _) => Get($"/api/projects/{t.Project}/documents/{Guid.NewGuid()}")),
        new("projects", "POST /api/projects/{projectId:guid}/support-requests", OwnStaffOrCoordinators, (t, c, _) =>
            Post($"/api/projects/{t.Project}/support-requests", new { })),
        new("projects", "GET /api/projects/support-requests", AnySignedIn, (t, c, _) => Get("/api/projects/support-requests")),
        new("projects", "GET /api/projects/support-requests/{id:guid}", OwnOrCoordinatorsElseHidden, (t, c, _) => Get($"/api/projects/support-requests/{t.SupportRequest}")),
        new("projects", "POST /api/projects/support-requests/{id:guid}/messages", OwnOrCoordinatorsElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{t.SupportRequest}/messages", new { text = "x" }, Stale)),
        new("projects", "POST /api/projects/support-requests/{id:guid}/assignment", CoordinatorsOnly, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{t.SupportRequest}/assignment", new { coordinatorUserId = "c" }, Stale)),
        new("projects", "POST /api/projects/support-requests/{id:guid}/closing", OwnOrCoordinatorsElseHidden, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/projects/support-requests/{t.SupportRequest}/closing", new { }, Stale)),
        new("projects", "POST /api/projects/admin/integration-events/replay", AdminsOnly, (t, c, _) => Post("/api/projects/admin/integration-events/replay", new { })),

        // Notifications: each person's own notifications and preferences; rotas are their organisation's (managers set them).
        new("notifications", "GET /api/notifications/", AnySignedIn, (t, c, _) => Get("/api/notifications")),
        new("notifications", "GET /api/notifications/unread-count", AnySignedIn, (t, c, _) => Get("/api/notifications/unread-count")),
        new("notifications", "GET /api/notifications/stream", AnySignedIn, (t, c, _) => Get("/api/notifications/stream")),
        new("notifications", "GET /api/notifications/{id:guid}", AnySignedInHidden, (t, c, _) => Get($"/api/notifications/{Guid.NewGuid()}")),
        new("notifications", "POST /api/notifications/{id:guid}/read", AnySignedInHidden, (t, c, _) => Post($"/api/notifications/{Guid.NewGuid()}/read", new { })),
        new("notifications", "POST /api/notifications/read", AnySignedIn, (t, c, _) => Post("/api/notifications/read", new { })),
        new("notifications", "GET /api/notifications/preferences", AnySignedIn, (t, c, _) => Get("/api/notifications/preferences")),
        new("notifications", "PUT /api/notifications/preferences", AnySignedIn, (t, c, _) =>
            Versioned(HttpMethod.Put, "/api/notifications/preferences", new { categories = Array.Empty<object>() }, Stale)),
        new("notifications", "GET /api/notifications/rotas/{organisationId:guid}", OwnStaffElseHidden, (t, c, _) =>
            Get($"/api/notifications/rotas/{t.SenderOrganisation}")),
        new("notifications", "PUT /api/notifications/rotas/{organisationId:guid}", OwnManagerElseHidden, (t, c, _) =>
            Versioned(HttpMethod.Put, $"/api/notifications/rotas/{t.SenderOrganisation}", new { slots = Array.Empty<object>() }, Stale)),
        new("notifications", "GET /api/notifications/failed-deliveries", ManagersOnly, (t, c, _) => Get("/api/notifications/failed-deliveries")),
        new("notifications", "POST /api/notifications/admin/error-queues/requeue", AdminsOnly, (t, c, _) => Post("/api/notifications/admin/error-queues/requeue", new { })),

        // Gateway: its own page, and the proxied routes (validated here first, then again by each service).
        new("gateway", "ANY /{**rest}", _ => Access.Allowed, (t, c, _) => Get("/")),
        new("gateway", "ANY /api/directory/{**rest}", AnySignedIn, (t, c, _) => Get("/api/directory/organisations")),
        new("gateway", "ANY /api/dashboard/{**rest}", AnySignedIn, (t, c, _) => Get("/api/dashboard/organisations-by-departement")),
        new("gateway", "ANY /api/referrals/{**rest}", AnySignedIn, (t, c, _) => Get("/api/referrals/inbox")),
        new("gateway", "ANY /api/training/{**rest}", AnySignedIn, (t, c, _) => Get("/api/training/modules")),
        new("gateway", "ANY /api/projects/{**rest}", AnySignedIn, (t, c, _) => Get("/api/projects")),
        new("gateway", "ANY /api/notifications/{**rest}", AnySignedIn, (t, c, _) => Get("/api/notifications")),
        new("gateway", "POST /api/projects/{id}/documents", AnySignedIn, (t, c, _) => Document($"/api/projects/{Guid.NewGuid()}/documents?fileName=essai.pdf")),
        new("gateway", "ANY /connect/{**rest}", _ => Access.Allowed, (t, c, _) => Form("/connect/token")),
        new("gateway", "ANY /account/{**rest}", _ => Access.Allowed, (t, c, _) => Get("/account/login")),
        new("gateway", "ANY /.well-known/{**rest}", _ => Access.Allowed, (t, c, _) => Get("/.well-known/openid-configuration")),

        // Directory.
        new("directory", "POST /api/directory/organisations/", CoordinatorsOnly, (t, c, _) => Post("/api/directory/organisations", new { })),
        new("directory", "GET /api/directory/organisations/", AnySignedIn, (t, c, _) => Get("/api/directory/organisations")),
        new("directory", "GET /api/directory/organisations/{id:guid}", AnySignedIn, (t, c, _) => Get($"/api/directory/organisations/{t.Organisation}")),
        new("directory", "PUT /api/directory/organisations/{id:guid}/details", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/details", new { name = "CCAS d'essai" }, current ? null : Stale)),
        new("directory", "PUT /api/directory/organisations/{id:guid}/coverage", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/coverage",
                new { departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" } }, current ? null : Stale)),
        new("directory", "PUT /api/directory/organisations/{id:guid}/referral-capacity", OwnStaffOrCoordinators, (t, c, current) =>
            Versioned(HttpMethod.Put, $"/api/directory/organisations/{t.Organisation}/referral-capacity", new { acceptsReferrals = true }, current ? null : Stale)),
        new("directory", "POST /api/directory/organisations/{id:guid}/deactivation", CoordinatorsOnly, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/directory/organisations/{t.Organisation}/deactivation", new { reason = "essai" }, Stale)),
        new("directory", "GET /api/directory/reference/departements", AnySignedIn, (t, c, _) => Get("/api/directory/reference/departements")),
        new("directory", "GET /api/directory/reference/needs", AnySignedIn, (t, c, _) => Get("/api/directory/reference/needs")),
        new("directory", "GET /api/directory/reference/partner-networks", AnySignedIn, (t, c, _) => Get("/api/directory/reference/partner-networks")),

        // Dashboard.
        new("dashboard", "GET /api/dashboard/organisations-by-departement", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/organisations-by-departement")),
        new("dashboard", "POST /api/dashboard/admin/rebuild", AdminsOnly, (t, c, _) => Post("/api/dashboard/admin/rebuild", new { })),
        new("dashboard", "GET /api/dashboard/referral-timings", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-timings")),
        new("dashboard", "GET /api/dashboard/referral-activity", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-activity")),
        new("dashboard", "GET /api/dashboard/referral-activity.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/referral-activity.csv")),
        new("dashboard", "GET /api/dashboard/indicators/referrals", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/referrals")),
        new("dashboard", "GET /api/dashboard/indicators/referrals.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/referrals.csv")),
        new("dashboard", "GET /api/dashboard/indicators/training", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/training")),
        new("dashboard", "GET /api/dashboard/indicators/training.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/training.csv")),
        new("dashboard", "GET /api/dashboard/indicators/projects", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/projects")),
        new("dashboard", "GET /api/dashboard/indicators/projects.csv", AnySignedIn, (t, c, _) => Get("/api/dashboard/indicators/projects.csv")),
        new("dashboard", "GET /api/dashboard/changes", AnySignedIn, (t, c, _) => Get("/api/dashboard/changes")),
        new("dashboard", "GET /api/dashboard/open-data/", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/open-data/")),
        new("dashboard", "GET /api/dashboard/open-data/referrals-{year:int}.csv", CoordinatorsOnly, (t, c, _) => Get("/api/dashboard/open-data/referrals-2026.csv")),

        // Referrals.
        new("referrals", "POST /api/referrals/", StaffOnly, (t, c, _) => Post("/api/referrals", new { })),
        new("referrals", "GET /api/referrals/inbox", StaffOnly, (t, c, _) => Get("/api/referrals/inbox")),
        new("referrals", "GET /api/referrals/sent", StaffOnly, (t, c, _) => Get("/api/referrals/sent")),
        new("referrals", "GET /api/referrals/{id:guid}", ReferralReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}")),
        new("referrals", "GET /api/referrals/{id:guid}/history", ReferralReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}/history")),
        new("referrals", "GET /api/referrals/{id:guid}/audit", AuditReaders, (t, c, _) => Get($"/api/referrals/{t.Referral}/audit")),
        Command("sending", new { }, Relation.Own),
        Command("acknowledgement", new { }, Relation.Receiver),
        Command("hold", new { reason = "En attente d'un justificatif" }, Relation.Receiver),
        Command("resumption", new { }, Relation.Receiver),
        Command("acceptance", new { }, Relation.Receiver),
        Command("decline", new { reasons = new[] { "noCapacity" }, message = "Complet", declinedBy = "organisation" }, Relation.Receiver),
        new("referrals", "POST /api/referrals/{id:guid}/redirection", ReferralParty(Relation.Receiver), (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{t.Referral}/redirection",
                new { newReceiverOrganisationId = t.SpareOrganisation, message = "Mieux placé" }, current ? null : Stale)),
        Command("first-contact", new { }, Relation.Receiver),
        Command("completion", new { outcome = "helped" }, Relation.Receiver),
        Command("withdrawal", new { reason = "Plus nécessaire" }, Relation.Own),
        Command("entered-in-error", new { reason = "Doublon" }, Relation.Own),
        Command("messages", new { text = "Bonjour" }, Relation.Own, Relation.Receiver),
        new("referrals", "POST /api/referrals/{id:guid}/erasure", ErasureRequesters, (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{t.Referral}/erasure",
                new { ground = "personRequest", justification = "Demande écrite de la personne concernée" }, current ? null : Stale)),
        new("referrals", "POST /api/referrals/{id:guid}/archive-access", ArchiveReaders, (t, c, _) =>
            Post($"/api/referrals/{t.Referral}/archive-access", new { reason = "Réquisition judiciaire du 27/11/2026" })),
        new("referrals", "POST /api/referrals/{id:guid}/messages/read", ReferralParty(Relation.Own, Relation.Receiver), (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{t.Referral}/messages/read", new { upToMessageId = t.Message }, current ? null : Stale)),
    ];

    private static MatrixRow Command(string action, object body, params Relation[] parties) =>
        new("referrals", $"POST /api/referrals/{{id:guid}}/{action}", ReferralParty(parties), (t, c, current) =>
            Versioned(HttpMethod.Post, $"/api/referrals/{t.Referral}/{action}", body, current ? null : Stale));

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

    private static HttpRequestMessage Form(string path) =>
        new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, body.GetType(), options: HttpClientExtensions.JsonOptions) };

    /// <summary>If-Match null means "the current version": filled in by the test just before sending.</summary>
    private static HttpRequestMessage Versioned(HttpMethod method, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: HttpClientExtensions.JsonOptions) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? "CURRENT");
        return request;
    }
}

extern alias directory;
extern alias dashboard;
extern alias referrals;
extern alias identity;
extern alias gateway;
extern alias training;
extern alias projects;
extern alias notifications;
using System.Net;
using System.Net.Http.Headers;
using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Authorization.Tests;

/// <summary>
/// The three services with an API, on the real PostgreSQL and RabbitMQ, and the resources the matrix acts on:
/// an organisation in the Directory, and a referral sent from one organisation to another.
/// </summary>
public sealed class Targets : IAsyncLifetime
{
    public ServiceFactory<directory::Program> Directory { get; } = new("authz_directory");
    public ServiceFactory<dashboard::Program> Dashboard { get; } = new("authz_dashboard");
    public ServiceFactory<referrals::Program> Referrals { get; } = new("authz_referrals");
    public IdentityHost Identity { get; } = new();
    public ServiceFactory<training::Program> Training { get; } = new("authz_training");
    public ServiceFactory<projects::Program> Projects { get; } = new("authz_projects");
    public NotificationsHost Notifications { get; } = new();
    public Guid Project { get; private set; }
    /// <summary>A document attached to <see cref="Project"/> by its lead organisation.</summary>
    public Guid ProjectDocument { get; private set; }
    public Guid SupportRequest { get; private set; }
    public Guid Module { get; private set; }
    public Guid Session { get; private set; }
    public Guid FundingLine { get; private set; }
    public Guid Milestone { get; private set; }
    public GatewayHost Gateway { get; } = new();

    public Guid Organisation { get; private set; }
    public Guid Aid { get; private set; }
    public Guid SenderOrganisation { get; } = Guid.NewGuid();
    public Guid ReceiverOrganisation { get; } = Guid.NewGuid();
    public Guid SpareOrganisation { get; } = Guid.NewGuid();
    /// <summary>The "other" callers' organisation: unrelated to every resource; Identity knows it, so its manager may invite colleagues.</summary>
    public Guid OtherOrganisation { get; } = Guid.NewGuid();
    /// <summary>An ISCG post (with the sender, an association, it makes a joint intervention).</summary>
    public Guid IscgPost { get; } = Guid.NewGuid();
    public Guid Referral { get; private set; }
    /// <summary>An invited staff account of the "own" organisation (the referral sender's), in Identity.</summary>
    public Guid Account { get; private set; }
    public Guid Message { get; private set; }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Directory.InitializeAsync(), Dashboard.InitializeAsync(), Referrals.InitializeAsync(), Identity.InitializeAsync(), Training.InitializeAsync(), Projects.InitializeAsync(), Notifications.InitializeAsync());

        // A project led by the "own" organisation (the referral sender's), with a funding line, a milestone and a support request.
        var lead = Projects.CreateClient().As(TestTokens.For(Roles.AssociationStaff, SenderOrganisation));
        var project = await (await lead.SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Projet d'essai", type = "jointReceptionPoint", departements = new[] { "93" }, leadOrganisationId = SenderOrganisation,
            description = "Essai", budget = 1000m,
        })).HasStatus(HttpStatusCode.Created);
        Project = (await project.ReadJson<ProjectAnswer>()).Project.Id;
        var etag = (await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/funding-lines",
            new { funder = "caf", amountRequested = 100m, fromYear = 2026, toYear = 2026 }, project.Headers.ETag!.Tag)).HasStatus(HttpStatusCode.NoContent)).Headers.ETag!.Tag;
        await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/milestones", new { title = "Étape", dueDate = "2027-01-01" }, etag)).HasStatus(HttpStatusCode.NoContent);
        var state = (await (await lead.GetAsync($"/api/projects/{Project}")).ReadJson<ProjectAnswer>()).Project;
        FundingLine = state.Funding[0].LineId;
        Milestone = state.Milestones[0].MilestoneId;
        var support = await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/support-requests", new { kind = "other", message = "Question" }))
            .HasStatus(HttpStatusCode.Created);
        SupportRequest = await support.CreatedId();
        var pdf = new ByteArrayContent("%PDF-1.7 essai"u8.ToArray());
        pdf.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        var attached = await (await lead.PostAsync($"/api/projects/{Project}/documents?fileName=essai.pdf", pdf)).HasStatus(HttpStatusCode.NoContent);
        ProjectDocument = Guid.Parse(attached.Headers.Location!.OriginalString.Split('/')[^1]);

        var coordinator = Training.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var module = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = "Module d'essai", objectives = "Essai", audience = "both", durationMinutes = 180, format = "inPerson", coDesignedBy = Array.Empty<Guid>(),
        })).HasStatus(HttpStatusCode.Created);
        Module = await module.CreatedId();
        var session = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = Module, startsAt = DateTimeOffset.UtcNow.AddDays(20), endsAt = DateTimeOffset.UtcNow.AddDays(20).AddHours(3),
            place = "Bobigny", departement = "93", capacity = 200,
            trainers = new object[] { new { name = "Formatrice ISCG", network = "aniscg" }, new { name = "Formateur AAV", network = "franceVictimes" } },
        })).HasStatus(HttpStatusCode.Created);
        Session = await session.CreatedId();

        var admin = Directory.CreateClient().As(TestTokens.For(Roles.Admin));
        var registered = await (await admin.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "CCAS d'essai", kind = "partner", partnerNetwork = "ccas-cias",
            departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" },
        })).HasStatus(HttpStatusCode.Created);
        Organisation = await registered.CreatedId();
        var aid = await (await admin.SendJson(HttpMethod.Post, "/api/directory/aids", new
        {
            name = "Aide d'essai", kind = "grant", grantorName = "CAF", scope = "national", needs = new[] { "sante--sante-mentale" },
            eligibility = "Essai", howToApply = "Essai", sourceUrl = "https://www.caf.fr/",
        })).HasStatus(HttpStatusCode.Created);
        Aid = await aid.CreatedId();

        // Referrals, Training and Projects know organisations from the Directory's contracts (their DirectoryView).
        foreach (var (name, services) in new[] { ("Referrals", Referrals.Services), ("Training", Training.Services), ("Projects", Projects.Services) })
        {
            var bus = services.GetRequiredService<IBus>();
            foreach (var (id, kind) in new[] { (SenderOrganisation, OrganisationKinds.VictimSupportAssociation), (ReceiverOrganisation, OrganisationKinds.VictimSupportAssociation),
                         (SpareOrganisation, OrganisationKinds.VictimSupportAssociation), (IscgPost, OrganisationKinds.IscgPost) })
                await bus.Publish(new OrganisationRegistered(id, kind, null, null, ["93"],
                    ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
            var store = services.GetRequiredService<IDocumentStore>();
            await HttpClientExtensions.Eventually(async () =>
            {
                await using var session = store.QuerySession();
                return await session.Query<Coordination.DirectoryView.KnownOrganisation>().CountAsync();
            }, n => n == 4, what: $"organisations known to {name}");
        }

        await using (var identityStore = Identity.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var identityBus = Identity.Services.GetRequiredService<IBus>();
            foreach (var id in new[] { SenderOrganisation, ReceiverOrganisation, OtherOrganisation })
                await identityBus.Publish(new OrganisationRegistered(id, OrganisationKinds.VictimSupportAssociation, null, null, ["93"],
                    ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
            await HttpClientExtensions.Eventually(() => identityStore.Query<Coordination.DirectoryView.KnownOrganisation>().CountAsync(), n => n == 3,
                what: "organisations known to Identity");
        }
        var invited = await (await Identity.CreateClient().As(TestTokens.For(Roles.Admin)).SendJson(HttpMethod.Post, "/api/identity/accounts", new
        {
            email = "matrice@association.test", name = "Matrice R.", role = Roles.AssociationStaff, organisationId = SenderOrganisation,
        })).HasStatus(HttpStatusCode.Created);
        Account = await invited.CreatedId();

        var sender = Referrals.CreateClient().As(TestTokens.For(Roles.AssociationStaff, SenderOrganisation));
        var sent = await (await sender.SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = ReceiverOrganisation, departement = "93",
            person = new { firstName = "Nadia", ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "sante--sante-mentale" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        })).HasStatus(HttpStatusCode.Created);
        Referral = await sent.CreatedId();
        await (await sender.SendJson(HttpMethod.Post, $"/api/referrals/{Referral}/messages", new { text = "Bonjour" }, sent.Headers.ETag!.Tag))
            .HasStatus(HttpStatusCode.NoContent);
        Message = await FirstMessageOf(Referral);
    }

    public async Task<string> CurrentVersion(string service, string path)
    {
        var response = await NewClient(service).As(TestTokens.For(Roles.Admin)).GetAsync(path);
        return response.Headers.ETag!.Tag;
    }

    public IEnumerable<string> EndpointKeys(string service) => service switch
    {
        "directory" => Keys(Directory.Services),
        "dashboard" => Keys(Dashboard.Services),
        "referrals" => Keys(Referrals.Services),
        "identity" => Keys(Identity.Services),
        "gateway" => Keys(Gateway.Services),
        "training" => Keys(Training.Services),
        "projects" => Keys(Projects.Services),
        "notifications" => Keys(Notifications.Services),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    private static IEnumerable<string> Keys(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"));

    public HttpClient Client(string service, Caller caller)
    {
        var client = NewClient(service);
        if (caller.Role is null) return client;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(caller, caller.UserId, service));
        return client;
    }

    /// <summary>The caller's token (its role, organisation, habilitations) under another user id: a fresh account's, to act as its owner.</summary>
    public string TokenFor(Caller caller, string userId, string service = "identity")
    {
        Guid? organisation = caller.Relation switch
        {
            Relation.Own => service == "directory" ? Organisation : SenderOrganisation, // projects: the lead organisation
            Relation.Receiver => ReceiverOrganisation,
            Relation.Other => OtherOrganisation,
            _ => null,
        };
        return TestTokens.For(caller.Role!, organisation, userId, manager: caller.Manager, archiveAccess: caller.ArchiveAccess);
    }

    // Identity: fresh accounts, invited through the API; the one-time link's secret is minted here (the e-mail carrying it is not read).
    public const string AccountPassword = "Essai-Compte-Matrice-2026!";

    public static object InvitationBody(string role, Guid? organisationId, bool manager) => new
    {
        email = $"matrice-{Guid.NewGuid():N}@association.test", name = "Matrice R.", role, organisationId, organisationManager = manager,
    };

    /// <summary>An organisation Identity has just heard of from the Directory, without a manager yet.</summary>
    public async Task<Guid> NewIdentityOrganisation()
    {
        var id = Guid.NewGuid();
        await Identity.Services.GetRequiredService<IBus>().Publish(new OrganisationRegistered(id, OrganisationKinds.VictimSupportAssociation, null, null, ["93"],
            ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = Identity.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.LoadAsync<Coordination.DirectoryView.KnownOrganisation>(id);
        }, o => o is not null, what: "a new organisation known to Identity");
        return id;
    }

    /// <summary>A staff account of the "own" organisation, invited by an admin; returns its id, user id and a valid invitation link.</summary>
    public async Task<(Guid Id, string UserId, string Token)> NewInvitation(bool mintLink = true)
    {
        var invited = await (await As("identity", Roles.Admin).SendJson(HttpMethod.Post, "/api/identity/accounts",
            InvitationBody(Roles.AssociationStaff, SenderOrganisation, false))).HasStatus(HttpStatusCode.Created);
        var (id, userId) = await invited.ReadJson<InvitedAccount>();
        if (!mintLink) return (id, userId, "");
        var (token, hash) = identity::Coordination.Identity.Accounts.OneTimeLinks.New(id);
        var now = DateTimeOffset.UtcNow;
        await AppendToAccount(id, new identity::Coordination.Identity.Accounts.AccountInvitationRenewed(id, hash, now.AddHours(1), "authz-setup", now));
        return (id, userId, token);
    }

    private async Task AppendToAccount(Guid id, object @event)
    {
        await using var session = Identity.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(id, @event);
        await session.SaveChangesAsync();
    }

    /// <summary>An active account (invited, then activated through the invitation page) with <see cref="AccountPassword"/>.</summary>
    public async Task<(Guid Id, string UserId)> NewAccount()
    {
        var (id, userId, token) = await NewInvitation();
        using var form = await PageForm(null, $"/account/invitation?jeton={token}", "/account/invitation",
            ("jeton", token), ("password", AccountPassword), ("confirmation", AccountPassword));
        await (await NewClient("identity").SendAsync(form)).HasStatus(HttpStatusCode.OK);
        return (id, userId);
    }

    /// <summary>A fresh active account with a second factor enrolled (as the enrolment page records it).</summary>
    public async Task<Guid> NewAccountWithMfa()
    {
        var (id, _) = await NewAccount();
        // Through the account's stream (not a quick append), so that its view keeps the version an If-Match names.
        await using var session = Identity.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var stream = await session.Events.FetchForWriting<identity::Coordination.Identity.Accounts.Account>(id);
        stream.AppendOne(new identity::Coordination.Identity.Accounts.SecondFactor.MfaEnrolled(id, "protected-secret", ["hash"], DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>An invited account, disabled by an admin through the API.</summary>
    public async Task<Guid> NewDisabledAccount()
    {
        var (id, _, _) = await NewInvitation(mintLink: false);
        var admin = As("identity", Roles.Admin);
        await (await admin.SendJson(HttpMethod.Post, $"/api/identity/accounts/{id}/disablement", new { },
            await CurrentVersion("identity", $"/api/identity/accounts/{id}"))).HasStatus(HttpStatusCode.NoContent);
        return id;
    }

    /// <summary>A valid password-reset link of a fresh active account (as the forgotten-password page mints it).</summary>
    public async Task<string> NewResetLink()
    {
        var (id, _) = await NewAccount();
        var (token, hash) = identity::Coordination.Identity.Accounts.OneTimeLinks.New(id);
        var now = DateTimeOffset.UtcNow;
        await AppendToAccount(id, new identity::Coordination.Identity.Accounts.PasswordResetRequested(id, hash, now.AddMinutes(30), now));
        return token;
    }

    /// <summary>
    /// A form of Identity's pages as a browser posts it: the page fetched by the same caller (antiforgery tokens are bound to
    /// the signed-in user), its antiforgery cookie and hidden field, then <paramref name="fields"/>.
    /// </summary>
    public async Task<HttpRequestMessage> PageForm(Caller? caller, string page, string action, params (string Name, string Value)[] fields)
    {
        var client = caller is null ? NewClient("identity") : Client("identity", caller);
        var response = await (await client.GetAsync(page)).HasStatus(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var field = System.Text.RegularExpressions.Regex.Match(html, "name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"");
        var request = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent([new(field.Groups[1].Value, System.Net.WebUtility.HtmlDecode(field.Groups[2].Value)),
                .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]),
        };
        request.Headers.Add("Cookie", string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return request;
    }

    // Setups: what one call needs, made fresh so that an allowed call really succeeds and changes nothing shared.

    private HttpClient As(string service, string role, Guid? organisation = null, string? userId = null) =>
        NewClient(service).As(TestTokens.For(role, organisation, userId ?? $"authz-setup-{role}"));

    private HttpClient Sender() => As("referrals", Roles.AssociationStaff, SenderOrganisation, "authz-sender");

    private HttpClient ReceiverStaff() => As("referrals", Roles.AssociationStaff, ReceiverOrganisation, "authz-receiver");

    /// <summary>A referral from the "own" organisation to the "receiver", brought to <paramref name="state"/> through the API.</summary>
    public async Task<Guid> NewReferral(ReferralSetup state)
    {
        var created = await (await Sender().SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = ReceiverOrganisation, departement = "93",
            person = new { firstName = "Nadia", ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "sante--sante-mentale" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
            send = state != ReferralSetup.Draft,
        })).HasStatus(HttpStatusCode.Created);
        var id = await created.CreatedId();
        var etag = created.Headers.ETag!.Tag;
        async Task Act(HttpClient client, string action, object body) =>
            etag = (await (await client.SendJson(HttpMethod.Post, $"/api/referrals/{id}/{action}", body, etag)).HasStatus(HttpStatusCode.NoContent)).Headers.ETag!.Tag;
        if (state is ReferralSetup.Acknowledged or ReferralSetup.Accepted or ReferralSetup.InProgress or ReferralSetup.OnHold or ReferralSetup.Declined)
            await Act(ReceiverStaff(), "acknowledgement", new { });
        if (state == ReferralSetup.Declined)
            await Act(ReceiverStaff(), "decline", new { reasons = new[] { "noCapacity" }, message = "Complet", declinedBy = "organisation" });
        if (state == ReferralSetup.OnHold) await Act(ReceiverStaff(), "hold", new { reason = "En attente d'un justificatif" });
        if (state is ReferralSetup.Accepted or ReferralSetup.InProgress) await Act(ReceiverStaff(), "acceptance", new { });
        if (state == ReferralSetup.InProgress) await Act(ReceiverStaff(), "first-contact", new { });
        if (state == ReferralSetup.WithMessage) await Act(Sender(), "messages", new { text = "Bonjour" });
        return id;
    }

    public async Task<Guid> FirstMessageOf(Guid referral) =>
        (await (await Sender().GetAsync($"/api/referrals/{referral}")).ReadJson<ReferralMessages>()).Messages[0].Id;

    public async Task<Guid> NewOrganisation()
    {
        var registered = await (await As("directory", Roles.Admin).SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "CCAS d'essai", kind = "partner", partnerNetwork = "ccas-cias", departements = new[] { "93" }, needs = new[] { "sante--sante-mentale" },
        })).HasStatus(HttpStatusCode.Created);
        return await registered.CreatedId();
    }

    /// <summary>A valid aid proposal (national, so that only coordinators moderate it).</summary>
    public static object AidBody(string name = "Aide d'essai") => new
    {
        name, kind = "grant", grantorName = "CAF", scope = "national", needs = new[] { "sante--sante-mentale" },
        eligibility = "Essai", howToApply = "Essai", sourceUrl = "https://www.caf.fr/",
    };

    /// <summary>A valid correction of an aid made with <see cref="AidBody"/>: the whole content, renamed.</summary>
    public static object AidCorrectionBody(string name = "Aide d'essai corrigée") => new { content = AidBody(name), comment = "Nom corrigé" };

    /// <summary>
    /// A fresh aid in <paramref name="state"/>: proposed by association staff, or published (proposed by a coordinator).
    /// </summary>
    public async Task<Guid> NewAid(AidSetup state)
    {
        var author = state == AidSetup.Proposed ? As("directory", Roles.AssociationStaff, SenderOrganisation) : As("directory", Roles.NationalCoordinator);
        var created = await (await author.SendJson(HttpMethod.Post, "/api/directory/aids", AidBody())).HasStatus(HttpStatusCode.Created);
        return await created.CreatedId();
    }

    /// <summary>A fresh published aid with a pending correction (proposed by association staff); returns both ids.</summary>
    public async Task<(Guid Aid, Guid Correction)> NewAidWithCorrection()
    {
        var aid = await NewAid(AidSetup.Published);
        var etag = await CurrentVersion("directory", $"/api/directory/aids/{aid}");
        var proposed = await (await As("directory", Roles.AssociationStaff, SenderOrganisation)
            .SendJson(HttpMethod.Post, $"/api/directory/aids/{aid}/corrections", AidCorrectionBody(), etag)).HasStatus(HttpStatusCode.Created);
        return (aid, (await proposed.ReadJson<CorrectionProposed>()).CorrectionId);
    }

    /// <summary>The current version of a département's referents ("93"…), null before its first designation.</summary>
    public async Task<string?> AidReferentsVersion(string departement)
    {
        var all = await (await As("directory", Roles.Admin).GetAsync("/api/directory/aids/referents")).HasStatus(HttpStatusCode.OK);
        var referents = (await all.ReadJson<AidReferents[]>()).SingleOrDefault(r => r.Departement == departement);
        return referents is null ? null : $"\"{referents.Version}\"";
    }

    /// <summary>A one-row French CSV, as the import reads it (the columns of an export of the guide, a new national aid).</summary>
    public static string AidsCsvFile(string name = "Aide importée")
    {
        var header = string.Join(";", directory::Coordination.Directory.Aids.Exchanging.AidsCsv.Columns);
        string[] row = ["", name, "Aide financière", "CAF", "", "Nationale", "", "", "sante--sante-mentale", "", "Essai", "Essai", "", "", "", "", "",
            "https://www.caf.fr/", "", ""];
        return header + "\r\n" + string.Join(";", row) + "\r\n";
    }

    public static object ModuleBody => new
    {
        title = "Module d'essai", objectives = "Essai", audience = "both", durationMinutes = 180, format = "inPerson", coDesignedBy = Array.Empty<Guid>(),
    };

    public object SessionBody(bool openRegistration = true) => new
    {
        moduleId = Module, startsAt = DateTimeOffset.UtcNow.AddDays(20), endsAt = DateTimeOffset.UtcNow.AddDays(20).AddHours(3),
        place = "Bobigny", departement = "93", capacity = 200, openRegistration,
        trainers = new object[] { new { name = "Formatrice ISCG", network = "aniscg" }, new { name = "Formateur AAV", network = "franceVictimes" } },
    };

    public async Task<Guid> NewModule() =>
        (await (await (await As("training", Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/training/modules", ModuleBody))
            .HasStatus(HttpStatusCode.Created)).CreatedId());

    /// <summary>A session scheduled in 20 days, its registration open when <paramref name="open"/>.</summary>
    public async Task<Guid> NewSession(bool open) =>
        (await (await (await As("training", Roles.NationalCoordinator).SendJson(HttpMethod.Post, "/api/training/sessions", SessionBody(open)))
            .HasStatus(HttpStatusCode.Created)).CreatedId());

    /// <summary>The sign-in form as a browser posts it: the antiforgery cookie and field of a page just fetched, a demo account.</summary>
    public Task<HttpRequestMessage> SignInForm(Caller? caller = null) => PageForm(caller, "/account/login", "/account/login",
        ("returnUrl", "/account/login"), ("username", IdentityHost.Username), ("password", IdentityHost.Password));

    /// <summary>A coordinator registers <paramref name="userId"/> (of the "own" organisation) on a session.</summary>
    public async Task RegisterOnBehalf(Guid session, string userId) =>
        await (await As("training", Roles.NationalCoordinator).SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/registrations/on-behalf",
            new { userId, name = "Personne inscrite", organisationId = SenderOrganisation, network = "franceVictimes" })).HasStatus(HttpStatusCode.NoContent);

    public static object ProjectBody(Guid lead) => new
    {
        title = "Projet d'essai", type = "jointReceptionPoint", departements = new[] { "93" }, leadOrganisationId = lead, description = "Essai", budget = 1000m,
    };

    public async Task<Guid> NewProject() =>
        (await (await (await As("projects", Roles.AssociationStaff, SenderOrganisation).SendJson(HttpMethod.Post, "/api/projects", ProjectBody(SenderOrganisation)))
            .HasStatus(HttpStatusCode.Created)).ReadJson<ProjectAnswer>()).Project.Id;

    /// <summary>A funding line or a milestone added to the shared project; returns its id.</summary>
    public async Task<Guid> NewProjectItem(string kind)
    {
        var lead = As("projects", Roles.AssociationStaff, SenderOrganisation);
        var etag = await CurrentVersion("projects", $"/api/projects/{Project}");
        object body = kind == "funding-lines"
            ? new { funder = "caf", amountRequested = 100m, fromYear = 2026, toYear = 2026 }
            : new { title = "Étape", dueDate = "2027-01-01" };
        await (await lead.SendJson(HttpMethod.Post, $"/api/projects/{Project}/{kind}", body, etag)).HasStatus(HttpStatusCode.NoContent);
        var project = (await (await lead.GetAsync($"/api/projects/{Project}")).ReadJson<ProjectAnswer>()).Project;
        return kind == "funding-lines" ? project.Funding[^1].LineId : project.Milestones[^1].MilestoneId;
    }

    /// <summary>A Dashboard rebuild started (or the one running) by an admin; returns its job id.</summary>
    public async Task<Guid> NewRebuild() =>
        (await (await (await As("dashboard", Roles.Admin).PostAsync("/api/dashboard/admin/rebuild", null))
            .HasStatus(HttpStatusCode.Accepted)).CreatedId());

    public async Task<Guid> NewSupportRequest() =>
        (await (await (await As("projects", Roles.AssociationStaff, SenderOrganisation).SendJson(HttpMethod.Post, $"/api/projects/{Project}/support-requests",
            new { kind = "other", message = "Question" })).HasStatus(HttpStatusCode.Created)).CreatedId());

    private HttpClient NewClient(string service) => service switch
    {
        "directory" => Directory.CreateClient(),
        "dashboard" => Dashboard.CreateClient(),
        "referrals" => Referrals.CreateClient(),
        "identity" => Identity.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
        "gateway" => Gateway.CreateClient(),
        "training" => Training.CreateClient(),
        "projects" => Projects.CreateClient(),
        "notifications" => Notifications.CreateClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    public async Task DisposeAsync()
    {
        await Directory.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Referrals.DisposeAsync();
        await Identity.DisposeAsync();
        await Gateway.DisposeAsync();
        await Training.DisposeAsync();
        await Projects.DisposeAsync();
        await Notifications.DisposeAsync();
    }
}

/// <summary>Notifications needs a mail relay setting; nothing is due in the matrix, so nothing is ever sent to it.</summary>
public sealed class NotificationsHost() : ServiceFactory<notifications::Program>("authz_notifications")
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Smtp", "smtp://127.0.0.1:9");
    }
}

/// <summary>The states an aid setup brings a fresh aid to.</summary>
public enum AidSetup { Proposed, Published }

/// <summary>The states a referral setup brings a fresh referral to (WithMessage: sent, with a message from the sender).</summary>
public enum ReferralSetup { Draft, Sent, Acknowledged, Accepted, InProgress, OnHold, WithMessage, Declined }

public sealed class IdentityHost() : ServiceFactory<identity::Program>("authz_identity")
{
    public const string Username = "authz.login";
    public const string Password = "Essai-Autorisation-2026!";

    private readonly string keys = Path.Combine(Path.GetTempPath(), $"coordination-authz-keys-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:Issuer", "http://identity.test/");
        builder.UseSetting("Identity:KeysDirectory", keys);
        // One account, so that the sign-in form can be posted with valid credentials.
        builder.UseSetting("Identity:Accounts:0:Username", Username);
        builder.UseSetting("Identity:Accounts:0:UserId", "authz-login");
        builder.UseSetting("Identity:Accounts:0:Name", "Compte d'essai");
        builder.UseSetting("Identity:Accounts:0:Role", Roles.AssociationStaff);
        builder.UseSetting("Identity:Accounts:0:OrganisationId", Guid.NewGuid().ToString());
        builder.UseSetting("Identity:Accounts:0:Password", Password);
    }
}

/// <summary>The gateway with backends that do not answer: what passes its authorization gets 502/503 from the proxy.</summary>
public sealed class GatewayHost : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<gateway::Program>
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        // Every caller signs in on two rows within a minute from one address: rate limits are Gateway.Tests' subject, not this one's.
        builder.UseSetting("RateLimits:LoginsPerMinutePerIp", "1000");
        foreach (var cluster in new[] { "identity", "directory", "dashboard", "referrals", "training", "projects", "notifications" })
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-1:Address", "http://127.0.0.1:9/");
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }
}

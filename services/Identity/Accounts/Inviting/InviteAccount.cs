using System.Net.Mail;
using Coordination.DirectoryView;
using Coordination.Identity.Mail;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Accounts.Inviting;

public sealed record InviteAccountRequest(string? Email, string? Name, string? Role, Guid? OrganisationId, bool OrganisationManager);

/// <param name="OrganisationKnown">The organisation is registered and active in the Directory (as Identity last heard).</param>
/// <param name="OrganisationHasManager">Someone (active or invited) already manages that organisation.</param>
public sealed record InviteAccount(
    Guid AccountId, string UserId, string Username, string Email, string Name, string Role, Guid? OrganisationId, bool OrganisationManager,
    bool ArchiveAccess, string InvitationHash, DateTimeOffset ExpiresAt, CurrentUser By, DateTimeOffset At,
    bool OrganisationKnown, bool OrganisationHasManager);

public static class InviteAccountEndpoint
{
    public static IReadOnlyList<object> Decide(InviteAccount command, Account? existing)
    {
        if (existing is not null)
            throw new BusinessRuleViolation("Un compte existe déjà pour cette adresse e-mail.");
        var by = command.By;
        if (by.Role == Roles.NationalCoordinator)
        {
            if (!command.OrganisationManager || !Roles.OrganisationStaff.Contains(command.Role))
                throw new AccessDenied("Un coordinateur national crée seulement le premier responsable d'une organisation ; ce responsable invite ensuite ses collègues.");
            if (command.OrganisationHasManager)
                throw new BusinessRuleViolation("Cette organisation a déjà un responsable : c'est à lui d'inviter ses collègues.");
        }
        else if (by.Role != Roles.Admin)
        {
            EnsureMayInvite(by);
            if (command.OrganisationId != by.OrganisationId)
                throw new AccessDenied("Vous ne pouvez inviter que des membres de votre organisation.");
            AccountRules.EnsureMayGive(by, command.Role);
        }
        if (command.OrganisationId is not null && !command.OrganisationKnown)
            throw new BusinessRuleViolation("Cette organisation n'est pas (ou plus) inscrite à l'annuaire.");
        return
        [
            new AccountInvited(command.AccountId, command.UserId, command.Username, command.Name, command.Email, command.Role,
                command.OrganisationId, command.OrganisationManager, command.ArchiveAccess, command.InvitationHash, command.ExpiresAt,
                by.UserId, command.At),
        ];
    }

    private static void EnsureMayInvite(CurrentUser by)
    {
        if (by.Role is not (Roles.Admin or Roles.NationalCoordinator) && !by.IsOrganisationManager)
            throw new AccessDenied("Seuls les responsables d'organisation, les coordinateurs nationaux et les administrateurs créent des comptes.");
    }

    public static RouteGroupBuilder MapInviteAccount(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle)
            .WithName("InviteAccount")
            .WithSummary("Give someone an account: an e-mail with a one-time link (72 h) lets them choose a password (admins; coordinators " +
                         "for an organisation's first manager; managers for their own organisation).");
        return group;
    }

    private static async Task<Results<Created<AccountDetails>, ValidationProblem>> Handle(
        InviteAccountRequest request, HttpContext http, IDocumentSession session, MailOutbox outbox, AccountMails mails,
        IOptions<OneTimeLinkOptions> links, TimeProvider time, CancellationToken ct)
    {
        var actor = CurrentUser.From(http.User);
        EnsureMayInvite(actor); // before the fields: someone who may not invite learns nothing from a 400
        var validation = new FieldValidation();
        var email = Email(validation, request.Email);
        var name = validation.Text(request.Name, "name", 120, required: true);
        // A manager who leaves the organisation out means their own.
        var organisationId = request.OrganisationId ?? (actor.IsOrganisationManager && actor.Role != Roles.Admin ? actor.OrganisationId : null);
        AccountRules.ValidateRoleAndOrganisation(validation, request.Role, organisationId, request.OrganisationManager);
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var at = time.GetUtcNow();
        var id = AccountEvolution.StreamFor(email!);
        var (token, hash) = OneTimeLinks.New(id);
        var command = new InviteAccount(id, Guid.CreateVersion7().ToString(), email!, email!, name!, request.Role!, organisationId,
            request.OrganisationManager, ArchiveAccess: false, hash, at + links.Value.InvitationLifetime, actor, at,
            await OrganisationKnown(session, organisationId, ct), await HasManager(session, organisationId, ct));
        var existing = await session.Events.FetchForWriting<Account>(id, ct);
        var sameEmail = await session.Query<AccountDetails>().AnyAsync(a => a.Email == email, ct);
        var events = Decide(command, existing.Aggregate ?? (sameEmail ? Placeholder : null));
        existing.AppendMany(events);
        outbox.Enqueue(session, mails.Invitation(command.Name, command.Email, token, command.ExpiresAt));
        await session.SaveChangesAsync(ct);
        outbox.Wake();

        var details = await session.LoadAsync<AccountDetails>(id, ct);
        http.Response.SetETag(details!.Version);
        return TypedResults.Created($"/api/identity/accounts/{id}", details);
    }

    /// <summary>An account known by its address but under another username (the demo's): the same refusal as a duplicate.</summary>
    private static readonly Account Placeholder = new(Guid.Empty, "", "", "", "", null, null);

    public static string? Email(FieldValidation validation, string? value)
    {
        var email = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            validation.Add("email", "Indiquez une adresse e-mail valide (ex. prenom.nom@association.fr).");
            return null;
        }
        return email;
    }

    public static async Task<bool> OrganisationKnown(IQuerySession session, Guid? organisationId, CancellationToken ct) =>
        organisationId is { } id && await session.LoadAsync<KnownOrganisation>(id, ct) is { Registered: true, Active: true };

    public static async Task<bool> HasManager(IQuerySession session, Guid? organisationId, CancellationToken ct) =>
        organisationId is { } id && await session.Query<AccountDetails>()
            .AnyAsync(a => a.OrganisationId == id && a.OrganisationManager && a.Status != AccountStatus.Disabled, ct);
}

namespace Coordination.Identity.Accounts.ListingTeam;

/// <summary>
/// "Mon équipe" and the account pages: a manager sees their own organisation's staff; a national coordinator sees who
/// manages an organisation (to give it its first manager); an admin sees everyone.
/// </summary>
public static class ListAccountsEndpoint
{
    public static RouteGroupBuilder MapListAccounts(this RouteGroupBuilder group)
    {
        group.MapGet("/", List)
            .WithName("ListAccounts")
            .WithSummary("Accounts of an organisation (managers: their own; coordinators: its managers; admins: any, or all).");
        group.MapGet("/me", Me)
            .WithName("GetOwnAccount")
            .WithSummary("One's own account.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetAccount")
            .WithSummary("One account, with its version as ETag (admins; managers for their own staff).");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<AccountDetails>>> List(Guid? organisationId, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var actor = CurrentUser.From(http.User);
        var query = session.Query<AccountDetails>();
        IReadOnlyList<AccountDetails> found = actor.Role switch
        {
            Roles.Admin when organisationId is { } org => await query.Where(a => a.OrganisationId == org).OrderBy(a => a.Name).ToListAsync(ct),
            Roles.Admin => await query.OrderBy(a => a.Name).Take(1000).ToListAsync(ct),
            Roles.NationalCoordinator when organisationId is { } org =>
                await query.Where(a => a.OrganisationId == org && a.OrganisationManager).OrderBy(a => a.Name).ToListAsync(ct),
            _ when actor.IsOrganisationManager && (organisationId is null || organisationId == actor.OrganisationId) =>
                await query.Where(a => a.OrganisationId == actor.OrganisationId).OrderBy(a => a.Name).ToListAsync(ct),
            _ => throw new AccessDenied("Seuls les responsables d'organisation, les coordinateurs nationaux et les administrateurs voient des comptes."),
        };
        return TypedResults.Ok(found);
    }

    private static async Task<Ok<AccountDetails>> Me(HttpContext http, IQuerySession session, AccountService accounts, CancellationToken ct)
    {
        var id = await accounts.FindIdByUserIdAsync(session, CurrentUser.From(http.User).UserId, ct) ?? throw new ResourceNotFound();
        var details = await session.LoadAsync<AccountDetails>(id, ct) ?? throw new ResourceNotFound();
        http.Response.SetETag(details.Version);
        return TypedResults.Ok(details);
    }

    private static async Task<Ok<AccountDetails>> Get(Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var actor = CurrentUser.From(http.User);
        var details = await session.LoadAsync<AccountDetails>(id, ct) ?? throw new ResourceNotFound();
        var visible = actor.Role == Roles.Admin
                      || (actor.IsOrganisationManager && details.OrganisationId is { } org && org == actor.OrganisationId && Roles.OrganisationStaff.Contains(details.Role));
        if (!visible)
            throw new ResourceNotFound();
        http.Response.SetETag(details.Version);
        return TypedResults.Ok(details);
    }
}

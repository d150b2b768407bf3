namespace Coordination.Directory.Organisations.Registering;

/// <param name="Id">Optional client-chosen id: retrying the same registration then answers 409 instead of creating a twin.</param>
public sealed record RegisterOrganisationRequest(
    Guid? Id, string? Name, OrganisationKind? Kind, IscgPostDetailsRequest? IscgPost, string? PartnerNetwork,
    ContactRequest? Contact, IReadOnlyList<string>? Departements, IReadOnlyList<string>? Needs, bool? AcceptsReferrals);

public sealed record RegisterOrganisation(
    Guid OrganisationId, string Name, OrganisationKind Kind, IscgPostDetails? IscgPost, string? PartnerNetwork,
    OrganisationContact Contact, IReadOnlyList<string> Departements, IReadOnlyList<string> Needs, bool AcceptsReferrals,
    string RegisteredBy, DateTimeOffset RegisteredAt);

public sealed record OrganisationCreated(Guid Id, long Version);

public static class RegisterOrganisationEndpoint
{
    public static OrganisationRegistered Decide(RegisterOrganisation command) => new(
        command.OrganisationId, command.Name, command.Kind, command.IscgPost, command.PartnerNetwork, command.Contact,
        command.Departements, command.Needs, command.AcceptsReferrals, command.RegisteredBy, command.RegisteredAt);

    public static RouteGroupBuilder MapRegisterOrganisation(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("RegisterOrganisation")
            .WithSummary("Register an association, an ISCG post or a partner (coordinators and admins).");
        return group;
    }

    private static async Task<Results<Created<OrganisationCreated>, ValidationProblem>> Handle(
        RegisterOrganisationRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var validation = new OrganisationValidation();
        var name = validation.Name(request.Name);
        if (request.Kind is null)
            validation.Add("kind", "Précisez le type d'organisation : victimSupportAssociation, iscgPost ou partner.");
        var (iscgPost, partnerNetwork) = request.Kind is { } kind
            ? validation.KindDetails(kind, request.IscgPost, request.PartnerNetwork)
            : (null, null);
        var contact = validation.Contact(request.Contact);
        var departements = validation.Departements(request.Departements);
        var needs = validation.Needs(request.Needs);
        if (request.Id == Guid.Empty)
            validation.Add("id", "L'identifiant ne peut pas être nul.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new RegisterOrganisation(request.Id ?? Guid.CreateVersion7(), name, request.Kind!.Value, iscgPost, partnerNetwork,
            contact, departements, needs, request.AcceptsReferrals ?? true, CurrentUser.From(http.User).UserId, time.GetUtcNow());

        session.Events.StartStream<Organisation>(command.OrganisationId, Decide(command));
        await session.SaveChangesAsync(ct);

        http.Response.SetETag(1);
        return TypedResults.Created($"/api/directory/organisations/{command.OrganisationId}", new OrganisationCreated(command.OrganisationId, 1));
    }
}

namespace Coordination.Directory.Organisations.UpdatingDetails;

public sealed record UpdateOrganisationDetailsRequest(
    string? Name, IscgPostDetailsRequest? IscgPost, string? PartnerNetwork, ContactRequest? Contact);

public sealed record UpdateOrganisationDetails(
    Guid OrganisationId, string Name, IscgPostDetails? IscgPost, string? PartnerNetwork, OrganisationContact Contact,
    string UpdatedBy, DateTimeOffset UpdatedAt);

public static class UpdateOrganisationDetailsEndpoint
{
    public static IReadOnlyList<object> Decide(UpdateOrganisationDetails command, Organisation state)
    {
        state.EnsureActive();
        if (state.Name == command.Name && state.IscgPost == command.IscgPost
            && state.PartnerNetwork == command.PartnerNetwork && state.Contact == command.Contact)
            return [];
        return [new OrganisationDetailsUpdated(command.OrganisationId, command.Name, command.IscgPost, command.PartnerNetwork,
            command.Contact, command.UpdatedBy, command.UpdatedAt)];
    }

    public static RouteGroupBuilder MapUpdateOrganisationDetails(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/details", Handle)
            .WithName("UpdateOrganisationDetails")
            .WithSummary("Change the name and contact details (If-Match required).");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, UpdateOrganisationDetailsRequest request, ExpectedVersion expected,
        HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        OrganisationAccess.EnsureMayChange(user, id);

        return await session.ExecuteCommand<Organisation>(id, expected, http, state =>
        {
            var validation = new OrganisationValidation();
            var name = validation.Name(request.Name);
            var (iscgPost, partnerNetwork) = validation.KindDetails(state.Kind, request.IscgPost, request.PartnerNetwork);
            var contact = validation.Contact(request.Contact);
            if (!validation.IsValid)
                throw new InvalidRequest(validation.Errors);
            return Decide(new UpdateOrganisationDetails(id, name, iscgPost, partnerNetwork, contact, user.UserId, time.GetUtcNow()), state);
        }, ct);
    }
}

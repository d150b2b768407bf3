using Coordination.DirectoryView;

namespace Coordination.Projects.AddingPartner;

public sealed record AddPartnerRequest(Guid? OrganisationId, string? Role, bool? Signatory);

/// <param name="Organisation">The partner as the Directory's events made it known here; null when unknown.</param>
public sealed record AddPartner(Guid OrganisationId, KnownOrganisation? Organisation, string Role, bool Signatory, CurrentUser By, DateTimeOffset At);

public static class AddPartnerEndpoint
{
    /// <summary>Adds a partner, or updates its role; only organisations registered in the Directory take part.</summary>
    public static IReadOnlyList<object> Decide(AddPartner command, Project project)
    {
        // Before the Directory check: whether an id is known is not for someone who may not change the project to learn.
        project.EnsureMayChange(command.By);
        if (command.Organisation is not { Registered: true })
            throw new InvalidRequest(new Dictionary<string, string[]>
            {
                ["organisationId"] = ["Organisation inconnue de l'annuaire : choisissez une organisation enregistrée."],
            });
        var partner = new ProjectPartner(command.OrganisationId, command.Role, command.Signatory);
        return [new PartnerAdded(project.Id, partner, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapAddPartner(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/partners", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddPartnerRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                if (request.OrganisationId is null) validation.Add("organisationId", "Indiquez l'organisation partenaire.");
                var role = validation.Text(request.Role, "role", 200, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var organisationId = request.OrganisationId!.Value;
                var known = await session.LoadAsync<KnownOrganisation>(organisationId, ct);
                return await ProjectCommand.Execute(id, expected, http, session, (project, user) =>
                    Decide(new AddPartner(organisationId, known, role!, request.Signatory ?? false, user, time.GetUtcNow()), project), ct);
            })
            .WithName("AddProjectPartner")
            .WithSummary("Add (or update) a partner known to the Directory, and its role; signatories count for the convention (If-Match).");
        return group;
    }
}

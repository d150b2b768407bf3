using Coordination.DirectoryView;
using Coordination.ReferenceData;
using OrganisationKinds = Coordination.Contracts.Directory.OrganisationKinds;

namespace Coordination.Training.Interventions.Recording;

public sealed record RecordInterventionRequest(
    DateOnly? Date, string? Departement, InterventionKind? Kind, IReadOnlyList<Guid>? OrganisationIds, string? Audience, int? AttendanceCount,
    string? Description);

/// <summary>A validated request: the organisations as the Directory knows them.</summary>
public sealed record RecordJointIntervention(
    Guid InterventionId, DateOnly Date, string Departement, InterventionKind Kind, IReadOnlyList<KnownOrganisation> Organisations,
    string? Audience, int AttendanceCount, string Description, CurrentUser By, DateTimeOffset At);

public static class RecordJointInterventionEndpoint
{
    /// <summary>"Joint" means both networks: at least one ISCG post and one victim-support association took part.</summary>
    public static string? JointRuleViolation(IReadOnlyList<KnownOrganisation> organisations) =>
        organisations.Any(o => o.Kind == OrganisationKinds.IscgPost) && organisations.Any(o => o.Kind == OrganisationKinds.VictimSupportAssociation)
            ? null
            : "Une intervention conjointe associe au moins un poste d'ISCG et une association d'aide aux victimes.";

    /// <summary>Professionals record what their own organisation took part in; the national coordinators record any.</summary>
    public static void EnsureTakesPart(IReadOnlyCollection<Guid> organisationIds, CurrentUser by)
    {
        if (by.IsCoordinatorOrAdmin) return;
        if (!Roles.OrganisationStaff.Contains(by.Role) || by.OrganisationId is not { } own)
            throw new AccessDenied("Réservé aux professionnels des deux réseaux et aux coordinateurs.");
        if (organisationIds.Count > 0 && !organisationIds.Contains(own))
            throw new AccessDenied("Vous enregistrez les interventions auxquelles votre organisation a participé : ajoutez-la aux organisations participantes.");
    }

    public static IReadOnlyList<object> Decide(RecordJointIntervention command)
    {
        var organisations = command.Organisations;
        EnsureTakesPart([.. organisations.Select(o => o.Id)], command.By);
        if (JointRuleViolation(organisations) is { } violation)
            throw new InvalidRequest(new Dictionary<string, string[]> { ["organisationIds"] = [violation] });
        return
        [
            new JointInterventionRecorded(command.InterventionId, command.Date, command.Departement, command.Kind, [.. organisations.Select(o => o.Id)],
                organisations.Count(o => o.Kind == OrganisationKinds.IscgPost),
                organisations.Count(o => o.Kind == OrganisationKinds.VictimSupportAssociation),
                organisations.Count(o => o.Kind == OrganisationKinds.Partner),
                command.Audience, command.AttendanceCount, command.Description, command.By.UserId, command.At),
        ];
    }

    public static RouteGroupBuilder MapRecordJointIntervention(this RouteGroupBuilder group)
    {
        group.MapPost("/interventions", Handle)
            .WithName("RecordJointIntervention").WithSummary("Record a joint intervention (both networks, the caller's organisation among them).");
        return group;
    }

    private static async Task<Results<Created<JointInterventionDetails>, ValidationProblem>> Handle(
        RecordInterventionRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var ids = (request.OrganisationIds ?? []).Distinct().ToArray();
        // Before the fields: whether the caller may record this does not depend on how well the rest is filled in.
        EnsureTakesPart(ids, user);
        var validation = new TrainingValidation();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (request.Date is not { } date || date > today.AddDays(1)) validation.Add("date", "Indiquez la date de l'intervention (pas dans le futur).");
        if (request.Departement is null || !Vocabularies.Departements.ContainsKey(request.Departement))
            validation.Add("departement", "Indiquez le département (code INSEE).");
        if (request.Kind is null)
            validation.Add("kind", "Précisez le type : presentationToPolice, jointCaseReview, colloquium, awarenessSession ou other.");
        if (request.AttendanceCount is not (>= 0 and <= 100_000)) validation.Add("attendanceCount", "Indiquez le nombre de participants.");
        var audience = validation.Text(request.Audience, "audience", 300, required: false);
        var description = validation.Text(request.Description, "description", 2000, required: true);
        var organisations = ids.Length == 0 ? [] : (await session.LoadManyAsync<KnownOrganisation>(ct, ids)).Where(o => o.Registered).ToList();
        if (organisations.Count != ids.Length || ids.Length == 0)
            validation.Add("organisationIds", "Indiquez les organisations participantes, toutes connues de l'annuaire.");
        else if (JointRuleViolation(organisations) is { } violation)
            validation.Add("organisationIds", violation);
        if (!validation.IsValid) return Problems.Invalid(validation.Errors);

        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var events = Decide(new RecordJointIntervention(id, request.Date!.Value, request.Departement!, request.Kind!.Value, organisations,
            audience, request.AttendanceCount!.Value, description!, user, now));
        var recorded = (JointInterventionRecorded)events[0];
        session.Events.StartStream(id, events);
        session.Store(new JointInterventionDetails(id, recorded.Date, recorded.Departement, recorded.Kind, recorded.OrganisationIds, audience,
            recorded.AttendanceCount, recorded.Description, user.UserId, now));
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/training/interventions/{id}", (await session.LoadAsync<JointInterventionDetails>(id, ct))!);
    }
}

using Coordination.DirectoryView;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using OrganisationKinds = Coordination.Contracts.Directory.OrganisationKinds;

namespace Coordination.Training.Interventions;

public enum InterventionKind { PresentationToPolice, JointCaseReview, Colloquium, AwarenessSession, Other }

public sealed record JointInterventionRecorded(
    Guid InterventionId, DateOnly Date, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds,
    int IscgPosts, int Associations, int Partners, string? Audience, int AttendanceCount, string Description, string By, DateTimeOffset At);

/// <summary>A joint intervention as listed: who took part (organisations), where, when, for whom.</summary>
public sealed record JointInterventionDetails(
    Guid Id, DateOnly Date, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds, string? Audience,
    int AttendanceCount, string Description, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record RecordInterventionRequest(
    DateOnly? Date, string? Departement, InterventionKind? Kind, IReadOnlyList<Guid>? OrganisationIds, string? Audience, int? AttendanceCount, string? Description);

public static class InterventionsApi
{
    /// <summary>"Joint" means both networks: at least one ISCG post and one victim-support association took part.</summary>
    public static string? JointRuleViolation(IReadOnlyList<KnownOrganisation> organisations) =>
        organisations.Any(o => o.Kind == OrganisationKinds.IscgPost) && organisations.Any(o => o.Kind == OrganisationKinds.VictimSupportAssociation)
            ? null
            : "Une intervention conjointe associe au moins un poste d'ISCG et une association d'aide aux victimes.";

    public static RouteGroupBuilder MapInterventions(this RouteGroupBuilder group)
    {
        group.MapPost("/interventions", async Task<Results<Created<JointInterventionDetails>, ValidationProblem>> (
                RecordInterventionRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && !Roles.OrganisationStaff.Contains(user.Role))
                    throw new AccessDenied("Réservé aux professionnels des deux réseaux et aux coordinateurs.");
                var validation = new TrainingValidation();
                var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                if (request.Date is not { } date || date > today.AddDays(1)) validation.Add("date", "Indiquez la date de l'intervention (pas dans le futur).");
                if (request.Departement is null || !Vocabularies.Departements.ContainsKey(request.Departement))
                    validation.Add("departement", "Indiquez le département (code INSEE).");
                if (request.Kind is null) validation.Add("kind", "Précisez le type : presentationToPolice, jointCaseReview, colloquium, awarenessSession ou other.");
                if (request.AttendanceCount is not (>= 0 and <= 100_000)) validation.Add("attendanceCount", "Indiquez le nombre de participants.");
                var audience = validation.Text(request.Audience, "audience", 300, required: false);
                var description = validation.Text(request.Description, "description", 2000, required: true);
                var ids = (request.OrganisationIds ?? []).Distinct().ToArray();
                var organisations = ids.Length == 0 ? [] : (await session.LoadManyAsync<KnownOrganisation>(ct, ids)).Where(o => o.Registered).ToList();
                if (organisations.Count != ids.Length || ids.Length == 0)
                    validation.Add("organisationIds", "Indiquez les organisations participantes, toutes connues de l'annuaire.");
                else if (JointRuleViolation(organisations) is { } violation)
                    validation.Add("organisationIds", violation);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);

                var id = Guid.CreateVersion7();
                var now = time.GetUtcNow();
                var recorded = new JointInterventionRecorded(id, request.Date!.Value, request.Departement!, request.Kind!.Value, ids,
                    organisations.Count(o => o.Kind == OrganisationKinds.IscgPost), organisations.Count(o => o.Kind == OrganisationKinds.VictimSupportAssociation),
                    organisations.Count(o => o.Kind == OrganisationKinds.Partner), audience, request.AttendanceCount!.Value, description!, user.UserId, now);
                session.Events.StartStream(id, recorded);
                session.Store(new JointInterventionDetails(id, recorded.Date, recorded.Departement, recorded.Kind, ids, audience,
                    recorded.AttendanceCount, description!, user.UserId, now));
                await session.SaveChangesAsync(ct);
                return TypedResults.Created($"/api/training/interventions/{id}", (await session.LoadAsync<JointInterventionDetails>(id, ct))!);
            })
            .WithName("RecordJointIntervention").WithSummary("Record a joint intervention (both networks must take part).");

        group.MapGet("/interventions", async Task<Results<Ok<List<JointInterventionDetails>>, ValidationProblem>> (
                IQuerySession session, CancellationToken ct, string? departement = null, DateOnly? from = null, DateOnly? to = null) =>
            {
                if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
                    return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });
                IQueryable<JointInterventionDetails> query = session.Query<JointInterventionDetails>();
                if (departement is not null) query = query.Where(i => i.Departement == departement);
                if (from is not null) query = query.Where(i => i.Date >= from);
                if (to is not null) query = query.Where(i => i.Date <= to);
                return TypedResults.Ok((await query.OrderByDescending(i => i.Date).Take(500).ToListAsync(ct)).ToList());
            })
            .WithName("GetJointInterventions").WithSummary("Joint interventions by département and period, latest first.");
        return group;
    }
}

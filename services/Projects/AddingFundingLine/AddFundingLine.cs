namespace Coordination.Projects.AddingFundingLine;

public sealed record AddFundingLineRequest(Funder? Funder, string? FunderName, decimal? AmountRequested, int? FromYear, int? ToYear);

public sealed record AddFundingLine(FundingLine Line, CurrentUser By, DateTimeOffset At);

public static class AddFundingLineEndpoint
{
    public static IReadOnlyList<object> Decide(AddFundingLine command, Project project)
    {
        project.EnsureMayChange(command.By);
        return [new FundingLineAdded(project.Id, command.Line, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapAddFundingLine(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/funding-lines", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddFundingLineRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new ProjectValidation();
                if (request.Funder is null)
                    validation.Add("funder", "Indiquez le financeur : stateFipd, departement, commune, caf, region, ars, foundation ou other.");
                var name = validation.Text(request.FunderName, "funderName", 200, required: request.Funder is Funder.Other or Funder.Foundation);
                validation.Money(request.AmountRequested, "amountRequested", required: true);
                if (request.FromYear is not (>= 2000 and <= 2100) || request.ToYear is not { } to || to < request.FromYear || to > request.FromYear + 10)
                    validation.Add("fromYear", "Indiquez la période (années de début et de fin, 10 ans au plus).");
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var line = new FundingLine(Guid.CreateVersion7(), request.Funder!.Value, name, request.AmountRequested!.Value, request.FromYear!.Value,
                    request.ToYear!.Value, FundingDecision.Pending, null, null, null);
                return await ProjectCommand.Execute(id, expected, http, session,
                    (project, user) => Decide(new AddFundingLine(line, user, time.GetUtcNow()), project), ct);
            })
            .WithName("AddFundingLine").WithSummary("A line of the funding plan: funder, amount requested (euros), years (If-Match).");
        return group;
    }
}

using Coordination.ReferenceData;

namespace Coordination.Directory.Reference;

/// <summary>The vocabularies the directory validates against, for forms and for other services' clients.</summary>
public static class ReferenceApi
{
    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/directory/reference").WithTags("Reference data");
        group.MapGet("/departements", () => TypedResults.Ok(Vocabularies.Departements.Values.OrderBy(d => d.Code, StringComparer.Ordinal)))
            .WithName("ListDepartements").WithSummary("INSEE départements (code, name, région).");
        group.MapGet("/needs", () => TypedResults.Ok(Vocabularies.Needs.Values.OrderBy(n => n.Code, StringComparer.Ordinal)))
            .WithName("ListNeeds").WithSummary("Needs: data·inclusion thematiques plus Coordination's own codes.");
        group.MapGet("/partner-networks", () => TypedResults.Ok(Vocabularies.PartnerNetworks.Values.OrderBy(n => n.Code, StringComparer.Ordinal)))
            .WithName("ListPartnerNetworks").WithSummary("Partner networks (data·inclusion réseaux porteurs).");
        return app;
    }
}

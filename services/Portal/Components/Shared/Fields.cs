using Coordination.Portal.Api;

namespace Coordination.Portal.Components.Shared;

public static class Fields
{
    /// <summary>An HTML id for an API field path: <c>person.ageBand</c> → <c>f-person-ageBand</c>.</summary>
    public static string Id(string field) => "f-" + field.Replace('.', '-').Replace('[', '-').Replace("]", "");

    /// <summary>aria-describedby / aria-invalid for an input whose field has errors.</summary>
    public static Dictionary<string, object> Aria(ApiProblem? problem, string field) =>
        problem?.For(field).Any() == true
            ? new() { ["aria-invalid"] = "true", ["aria-describedby"] = Id(field) + "-erreur" }
            : [];
}

using Coordination.Portal.Api;
using Coordination.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Coordination.Portal.Components.Pages.Projects;

/// <summary>
/// The forms of one part of a project's page: each posts, then either redirects with a confirmation (Post/Redirect/Get)
/// or keeps the problem for the form that failed (field errors) or for the part as a whole.
/// </summary>
public sealed class ProjectForms(PortalApi api, NavigationManager navigation, HttpContext http, Guid projectId)
{
    private ApiProblem? problem;
    private string? failedForm;

    public PortalApi Api => api;

    /// <summary>A problem that is not about one form's fields (a refused transition, a stale version…).</summary>
    public ApiProblem? General => failedForm is null ? problem : null;

    public ApiProblem? ProblemOf(string formName) => failedForm == formName ? problem : null;

    /// <summary>What the person typed in <paramref name="formName"/>, to show it back when it failed.</summary>
    public string? Typed(string name, string formName) => FormData.IsPost(http, formName) ? FormData.Value(http, name) : null;

    public string? Value(string name) => FormData.Value(http, name);

    /// <summary>The version the page was read at, posted back as If-Match.</summary>
    public string? Version => FormData.Value(http, "version");

    public void Fail(ApiProblem? refused) => (problem, failedForm) = (refused, null);

    public async Task Run(string formName, Task<ApiResult<object>> call, string done)
    {
        var result = await call;
        if (result.Ok) { navigation.NavigateTo($"/projets/{projectId}?fait={done}"); return; }
        problem = result.Problem;
        failedForm = result.Problem!.Errors.Count > 0 ? formName : null;
    }
}

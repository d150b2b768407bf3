namespace Coordination.ServiceDefaults.Http;

public static class RequestLimits
{
    /// <summary>No API takes more than this in one request body; larger bodies get 413.</summary>
    public const long MaxBodyBytes = 256 * 1024;
}

namespace Coordination.Contracts;

/// <summary>
/// Declares a contract that is published for consumers outside this repository (another platform, an export),
/// so that no service of ours has to consume it. Without this, a published contract that no service consumes
/// fails <c>tests/Architecture.Tests</c>: it is dead weight on the bus, or a consumer was forgotten.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = false)]
public sealed class PublishedForOutsideConsumersAttribute(string audience) : Attribute
{
    /// <summary>Who reads it, in a few words (e.g. "the national statistics export").</summary>
    public string Audience { get; } = audience;
}

namespace FhirGateway.Testing;

/// <summary>
/// One gate for building in-process hosts. WebApplicationFactory finds a minimal-API app's host through a
/// process-wide DiagnosticListener, so two factories building hosts at the same moment (xunit runs test classes in
/// parallel) can take each other's host; every factory builds its host under this lock.
/// </summary>
public static class HostCreation
{
    /// <summary>Held while a factory builds and starts its host.</summary>
    public static readonly Lock Gate = new();
}

namespace FhirGateway.Core.Platforms;

/// <summary>
/// The platform registry cannot start: a broken platform file or a wrong platform setting. The message names each
/// file and JSON pointer, or each configuration key, so the fix is obvious; nothing is skipped silently.
/// </summary>
public sealed class PlatformRegistryException : Exception
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public PlatformRegistryException(IReadOnlyList<string> problems)
        : base(Format(problems)) => Problems = problems;

    /// <summary>Creates the exception from one problem.</summary>
    public PlatformRegistryException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception from one problem.</summary>
    public PlatformRegistryException(string message, Exception innerException)
        : base(Format([message]), innerException) => Problems = [message];

    /// <summary>Creates the exception with no detail.</summary>
    public PlatformRegistryException()
        : this("The platform registry could not be loaded.")
    {
    }

    /// <summary>Each problem found, one per line of the message.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems) => problems.Count == 1
        ? $"Platform registry: {problems[0]}"
        : $"Platform registry: {problems.Count} problems:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}";
}

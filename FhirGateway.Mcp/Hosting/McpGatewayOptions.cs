namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// Settings of the MCP front-end, from flat keys (environment variables); checked at start by
/// <see cref="ValidateMcpGatewayOptions"/>, which names the key to fix.
/// </summary>
public sealed class McpGatewayOptions
{
    /// <summary>Comma-separated host names <c>/mcp</c> answers to (Host and Origin), besides the defaults.</summary>
    public const string AllowedHostsKey = "FHIR_GATEWAY_MCP_ALLOWED_HOSTS";

    /// <summary>Longest tool answer in characters (default 20,000).</summary>
    public const string MaxResultCharsKey = "FHIR_GATEWAY_MCP_MAX_RESULT_CHARS";

    /// <summary>Hosts always allowed: the loopback names a local client uses.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Host names (no scheme, no port) allowed in Host and Origin; compared case-insensitively.</summary>
    public HashSet<string> AllowedHosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Entries of <see cref="AllowedHostsKey"/> that are not host names, for the validator.</summary>
    public List<string> InvalidHosts { get; } = [];

    /// <summary>Longest tool answer; longer ones are cut with a note.</summary>
    public int MaxResultChars { get; set; } = 20_000;
}

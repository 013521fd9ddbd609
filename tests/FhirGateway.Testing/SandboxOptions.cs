namespace FhirGateway.Testing;

/// <summary>How a test wants the SMART sandbox started.</summary>
public sealed record SandboxOptions
{
    /// <summary>Redirect URIs the auth server accepts (exact strings).</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [SandboxServers.DefaultRedirectUri];

    /// <summary>Access token lifetime; short values let tests exercise refresh.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The FHIR bases, each served at <c>/{name}/fhir</c> with its own data.</summary>
    public IReadOnlyList<string> Bases { get; init; } = ["payer-a", "ehr-b"];

    /// <summary>The gateway's own audience the auth server issues access tokens for (SANDBOX_GATEWAY_AUDIENCE); none when null.</summary>
    public string? GatewayAudience { get; init; }

    /// <summary>Start the FHIR server without token checks.</summary>
    public bool OpenFhir { get; init; }

    /// <summary>
    /// Serve the auth server through a <see cref="TcpGate"/> on its issuer's port, so a test can take it down and
    /// bring it back on the same port (<see cref="SandboxServers.TakeAuthServerDownAsync"/>) with its grants kept.
    /// </summary>
    public bool AuthOutages { get; init; }
}

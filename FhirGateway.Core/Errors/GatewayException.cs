using System.Net;

namespace FhirGateway.Core.Errors;

/// <summary>
/// An error the caller should read: carries the HTTP status and the FHIR issue code. The REST front-end turns
/// it into an <c>OperationOutcome</c>, the MCP front-end into an <c>McpException</c>. The message is shown to
/// the caller as is: never put a token, code, secret or patient data in it.
/// </summary>
public class GatewayException(HttpStatusCode status, string issueCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The FHIR <c>OperationOutcome.issue.code</c> (e.g. <c>not-found</c>, <c>invalid</c>, <c>login</c>).</summary>
    public string IssueCode { get; } = issueCode;
}

/// <summary>No platform has that id or alias (404).</summary>
public sealed class PlatformNotFoundException(string platformId)
    : GatewayException(HttpStatusCode.NotFound, "not-found", $"Unknown platform '{platformId}'.");

/// <summary>The platform cannot be used as configured, e.g. no client id (400); the message names the setting.</summary>
public sealed class PlatformNotConfiguredException(string platformId, string problem)
    : GatewayException(HttpStatusCode.BadRequest, "not-supported", $"Platform '{platformId}' is not usable: {problem}");

/// <summary>
/// The caller has no usable connection to the platform (401): never connected, refresh failed, or the grant
/// was revoked. <see cref="LoginUrl"/> is the gateway route that starts a new authorization.
/// </summary>
public sealed class AuthorizationRequiredException(string platformId, string reason, string loginUrl)
    : GatewayException(HttpStatusCode.Unauthorized, "login", $"Authorization required for platform '{platformId}': {reason} Log in at {loginUrl}.")
{
    /// <summary>The platform the caller must authorize.</summary>
    public string PlatformId { get; } = platformId;

    /// <summary>The gateway's login route for the platform.</summary>
    public string LoginUrl { get; } = loginUrl;
}

/// <summary>An OAuth callback with an unknown, reused or expired state, or from the wrong browser (400).</summary>
public sealed class InvalidAuthorizationStateException(string message)
    : GatewayException(HttpStatusCode.BadRequest, "invalid", message);

/// <summary>The platform's authorization server failed or refused (502), or did not answer in time (504).</summary>
public sealed class AuthorizationServerException(HttpStatusCode status, string message, Exception? inner = null)
    : GatewayException(status, status == HttpStatusCode.GatewayTimeout ? "timeout" : "transient", message, inner);

/// <summary>The token store cannot be reached (503).</summary>
public sealed class TokenStoreUnavailableException(Exception inner)
    : GatewayException(HttpStatusCode.ServiceUnavailable, "transient", "Token store unavailable; try again shortly.", inner);

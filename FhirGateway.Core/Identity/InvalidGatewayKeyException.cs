using System.Net;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Identity;

/// <summary>
/// The request sent an <c>X-FHIR-Gateway-Key</c> that is not one well-formed key (400). The request is refused
/// rather than served under another identity; the message never repeats the value sent.
/// </summary>
public sealed class InvalidGatewayKeyException()
    : GatewayException(HttpStatusCode.BadRequest, "invalid",
        $"The {GatewayKey.HeaderName} header is malformed: a gateway key is '{GatewayKey.Prefix}' followed by 43 base64url characters, " +
        "exactly as start_auth (MCP) or the gateway issued it. Send one key, or leave the header out.")
{
}

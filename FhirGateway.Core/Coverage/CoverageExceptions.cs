using System.Net;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Coverage;

/// <summary>A code or code system the gateway refuses before calling the payer (400); the message states the expected form.</summary>
public sealed class InvalidCoverageCodeException(string message)
    : GatewayException(HttpStatusCode.BadRequest, "invalid", message);

/// <summary>A coverage request the gateway refuses before calling the payer: a missing or contradictory input (400).</summary>
public sealed class CoverageRequestException(string message)
    : GatewayException(HttpStatusCode.BadRequest, "invalid", message);

/// <summary>
/// The payer failed: its service could not be reached (502), did not answer in time (504), or answered with an
/// error or something that is not what the guide defines (502). The message carries the payer's own words when it gave any.
/// </summary>
public sealed class PayerException(HttpStatusCode status, string message, Exception? inner = null)
    : GatewayException(status, status == HttpStatusCode.GatewayTimeout ? "timeout" : "exception", message, inner);

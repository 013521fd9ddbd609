using System.Net;

namespace FhirGateway.Core.Errors;

/// <summary>A FHIR request the gateway refuses before any upstream call: bad type, id, body or paging URL (400).</summary>
public sealed class FhirValidationException(string message)
    : GatewayException(HttpStatusCode.BadRequest, "invalid", message);

/// <summary>The resource type is not an R4 resource type (404, FHIR R4 http.html §3.1.0.4: type not supported).</summary>
public sealed class UnknownResourceTypeException(string resourceType)
    : GatewayException(HttpStatusCode.NotFound, "not-supported", $"'{resourceType}' is not a FHIR R4 resource type.");

/// <summary>The interaction is not offered on that route, or the operation is not allowed for the platform (405).</summary>
public sealed class InteractionNotAllowedException(string message)
    : GatewayException(HttpStatusCode.MethodNotAllowed, "not-supported", message);

/// <summary>The request body is larger than the gateway accepts (413).</summary>
public sealed class PayloadTooLargeException(long limitBytes)
    : GatewayException(HttpStatusCode.RequestEntityTooLarge, "too-costly", $"The request body is larger than {limitBytes} bytes.");

/// <summary>The request body or the requested format is not FHIR JSON (415 or 406).</summary>
public sealed class UnsupportedFormatException(HttpStatusCode status, string message)
    : GatewayException(status, "not-supported", message);

/// <summary>
/// The platform failed: no connection (502), an answer that is not FHIR (502), no answer in time (504), or its
/// circuit is open after repeated failures (503). The message never carries the upstream body or address.
/// </summary>
public sealed class UpstreamException(HttpStatusCode status, string message, Exception? inner = null)
    : GatewayException(status, status switch
    {
        HttpStatusCode.GatewayTimeout => "timeout",
        HttpStatusCode.ServiceUnavailable => "transient",
        _ => "exception",
    }, message, inner);

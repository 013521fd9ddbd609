using FhirGateway.Core.Tokens;
using Microsoft.AspNetCore.Http;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Forwards a FHIR call that needs no work on either body (read, vread, delete) straight from the caller's HTTP
/// request to the platform and the platform's answer straight back, with the same checks, token handling, header
/// rules and audit event as <see cref="IFhirClient"/>: the REST front-end's fast path.
/// </summary>
public interface IFhirProxy
{
    /// <summary>Whether <paramref name="interaction"/> goes through <see cref="ForwardAsync"/>.</summary>
    static bool Forwards(FhirInteraction interaction) => interaction is FhirInteraction.Read or FhirInteraction.VRead or FhirInteraction.Delete;

    /// <summary>
    /// Validates <paramref name="request"/>, sends it to the platform and writes the answer to
    /// <paramref name="context"/>'s response. Every failure before the answer starts is a
    /// <see cref="Errors.GatewayException"/>, as from <see cref="IFhirClient.SendAsync"/>, and nothing is written.
    /// </summary>
    /// <param name="context">The caller's request and the response to write.</param>
    /// <param name="owner">Whose connection authorizes the call; null without a session (open platforms only).</param>
    /// <param name="request">The call: one of the interactions <see cref="Forwards"/> accepts, without a body.</param>
    Task ForwardAsync(HttpContext context, OwnerKey? owner, FhirRequest request);
}

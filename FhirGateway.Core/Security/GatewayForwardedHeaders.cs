using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace FhirGateway.Core.Security;

/// <summary>
/// Behind a TLS-terminating ingress (Azure Container Apps, a load balancer) the client's address and scheme arrive
/// in <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>. They are believed only from the networks in
/// <see cref="GatewaySecurityOptions.TrustedProxiesKey"/>: the chain is read from the right and stops at the first
/// address outside them, so a client cannot pick its own rate-limit partition by sending the header itself. The
/// host is never taken from a header: redirect URIs come from <c>FHIR_GATEWAY_PUBLIC_URL</c>.
/// </summary>
internal static class GatewayForwardedHeaders
{
    public static void Configure(ForwardedHeadersOptions forwarded, GatewaySecurityOptions options)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = null;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in options.TrustedProxies)
        {
            forwarded.KnownIPNetworks.Add(network);
        }
    }
}

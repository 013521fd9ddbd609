using System.Text.Json.Nodes;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>A CDS Hooks 2.0 request for order-select / order-sign with one draft order (CDS Hooks 2.0 §Calling a CDS Service; order-sign 1.1).</summary>
internal static class HookRequest
{
    /// <param name="prefetch">Prefetch values by key, or null.</param>
    /// <param name="fhirServer">With <paramref name="connection"/>: the FHIR base the service may read with the user's token.</param>
    public static JsonObject Build(CdsService service, string userId, string patientId, JsonObject order, JsonObject? prefetch, string? fhirServer, PlatformConnection? connection)
    {
        var context = new JsonObject
        {
            ["userId"] = userId,
            ["patientId"] = patientId,
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }),
            },
        };
        if (service.Hook == "order-select")
        {
            context["selections"] = new JsonArray($"{Json.Text(order, "resourceType")}/{Json.Text(order, "id")}");
        }

        var request = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = service.Hook,
            ["context"] = context,
        };
        if (prefetch is not null)
        {
            request["prefetch"] = prefetch;
        }

        if (connection is not null && fhirServer is not null)
        {
            request["fhirServer"] = fhirServer;
            var authorization = new JsonObject
            {
                ["access_token"] = connection.AccessToken,
                ["token_type"] = "Bearer",
                ["scope"] = connection.Scope ?? "",
                ["subject"] = service.Id,
            };
            if (connection.ExpiresAt is { } expires)
            {
                authorization["expires_in"] = Math.Max(0, (int)(expires - DateTimeOffset.UtcNow).TotalSeconds);
            }

            request["fhirAuthorization"] = authorization;
        }

        return request;
    }

    /// <summary>
    /// The prefetch the service asked for that the gateway can fill: templates for the patient
    /// (<c>Patient/{{context.patientId}}</c>) and for Coverage (<c>Coverage?…</c>). Others are left for the service.
    /// </summary>
    public static JsonObject Prefetch(CdsService service, JsonObject patient, JsonObject coverageBundle)
    {
        var prefetch = new JsonObject();
        foreach (var (key, template) in service.Prefetch)
        {
            if (template.StartsWith("Patient/", StringComparison.Ordinal))
            {
                prefetch[key] = patient.DeepClone();
            }
            else if (template.StartsWith("Coverage", StringComparison.Ordinal))
            {
                prefetch[key] = coverageBundle.DeepClone();
            }
        }

        return prefetch;
    }
}

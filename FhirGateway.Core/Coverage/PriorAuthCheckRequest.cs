namespace FhirGateway.Core.Coverage;

/// <summary>A CRD question: does this order need prior authorization with the patient's coverage at this payer?</summary>
public sealed record PriorAuthCheckRequest
{
    /// <summary>The payer platform's id or alias.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The ordered code.</summary>
    public required string Code { get; init; }

    /// <summary>Its system: cpt, hcpcs, snomed, loinc, rxnorm or the URI.</summary>
    public required string System { get; init; }

    /// <summary>The patient's id at the platform; null for the patient in context of the user's connection.</summary>
    public string? PatientId { get; init; }

    /// <summary>The Coverage id; null for the patient's active coverages.</summary>
    public string? CoverageId { get; init; }

    /// <summary>ServiceRequest, MedicationRequest or DeviceRequest; null to choose from the code system.</summary>
    public string? OrderType { get; init; }

    /// <summary>order-sign (default) or order-select.</summary>
    public string? Hook { get; init; }

    /// <summary>ICD-10-CM codes supporting the order (the order's reasonCode).</summary>
    public IReadOnlyList<string> DiagnosisCodes { get; init; } = [];

    /// <summary>How the payer gets Patient and Coverage: <see cref="PrefetchMode.Prefetch"/> (default) or <see cref="PrefetchMode.FhirAuthorization"/>.</summary>
    public PrefetchMode Mode { get; init; } = PrefetchMode.Prefetch;
}

/// <summary>How a CDS Hooks service gets the data it needs (CDS Hooks 2.0, "Providing FHIR Resources to a CDS Service").</summary>
public enum PrefetchMode
{
    /// <summary>The gateway reads Patient and Coverage with the user's connection and sends them as prefetch.</summary>
    Prefetch,

    /// <summary>The gateway sends <c>fhirServer</c> and the user's access token in <c>fhirAuthorization</c>; the service reads them itself.</summary>
    FhirAuthorization,
}

/// <summary>The names of <see cref="PrefetchMode"/> in requests: <c>prefetch</c> and <c>fhir_authorization</c>.</summary>
public static class PrefetchModes
{
    /// <summary>Parses a mode name; null or empty is <see cref="PrefetchMode.Prefetch"/>.</summary>
    /// <exception cref="CoverageRequestException">Another name.</exception>
    public static PrefetchMode Parse(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null or "" or "prefetch" => PrefetchMode.Prefetch,
        "fhir_authorization" or "fhir-authorization" => PrefetchMode.FhirAuthorization,
        _ => throw new CoverageRequestException("mode must be prefetch or fhir_authorization."),
    };
}

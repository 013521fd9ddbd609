namespace FhirGateway.Core.Fhir;

/// <summary>The FHIR R4 RESTful interactions the gateway forwards (FHIR R4 http.html §3.1.0).</summary>
public enum FhirInteraction
{
    /// <summary><c>GET [base]/metadata</c>.</summary>
    Capabilities,

    /// <summary><c>GET [base]/[type]?...</c>, <c>POST [base]/[type]/_search</c>, or <c>GET [base]?...</c> (system level).</summary>
    Search,

    /// <summary><c>GET [base]/[type]/[id]</c>.</summary>
    Read,

    /// <summary><c>GET [base]/[type]/[id]/_history/[vid]</c>.</summary>
    VRead,

    /// <summary><c>GET [base]/_history</c>, <c>[base]/[type]/_history</c> or <c>[base]/[type]/[id]/_history</c>.</summary>
    History,

    /// <summary><c>POST [base]/[type]</c>.</summary>
    Create,

    /// <summary><c>PUT [base]/[type]/[id]</c>, or conditional <c>PUT [base]/[type]?...</c>.</summary>
    Update,

    /// <summary><c>PATCH [base]/[type]/[id]</c> (JSON Patch or FHIRPath Patch), or conditional.</summary>
    Patch,

    /// <summary><c>DELETE [base]/[type]/[id]</c>, or conditional.</summary>
    Delete,

    /// <summary><c>GET|POST [base]/[[type]/[[id]/]]$[name]</c>.</summary>
    Operation,

    /// <summary><c>POST [base]</c> with a batch or transaction Bundle.</summary>
    Batch,

    /// <summary>A paging (or bulk status) URL the platform gave out, followed through the gateway.</summary>
    Page,
}

using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>What kind of platform a FHIR endpoint belongs to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlatformType>))]
public enum PlatformType
{
    /// <summary>A health plan (CMS Patient Access API).</summary>
    [JsonStringEnumMemberName("payer")]
    Payer,

    /// <summary>An electronic health record system.</summary>
    [JsonStringEnumMemberName("ehr")]
    Ehr,

    /// <summary>A test server.</summary>
    [JsonStringEnumMemberName("sandbox")]
    Sandbox,

    /// <summary>A government service (for example CMS Blue Button, VA).</summary>
    [JsonStringEnumMemberName("government")]
    Government,

    /// <summary>A laboratory.</summary>
    [JsonStringEnumMemberName("lab")]
    Lab,
}

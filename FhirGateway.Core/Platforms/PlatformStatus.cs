using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>Whether a platform's facts were verified.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlatformStatus>))]
public enum PlatformStatus
{
    /// <summary>Verified; loaded by the original project.</summary>
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>Known but unverified, often without endpoints yet.</summary>
    [JsonStringEnumMemberName("draft")]
    Draft,
}

using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>Whether a platform needs an app registered with it before the gateway can connect.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlatformRegistration>))]
public enum PlatformRegistration
{
    /// <summary>Works as is: an open sandbox or a published public client id.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Needs a client id from the platform's developer portal, set in configuration.</summary>
    [JsonStringEnumMemberName("required")]
    Required,
}

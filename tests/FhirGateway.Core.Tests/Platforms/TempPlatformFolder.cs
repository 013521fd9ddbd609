using Microsoft.Extensions.Configuration;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>A throwaway platforms folder for tests of broken and special files.</summary>
internal sealed class TempPlatformFolder : IDisposable
{
    public TempPlatformFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fhir-gateway-platforms-" + Guid.NewGuid().ToString("N"));

    /// <summary>A valid platform file's JSON; <paramref name="extra"/> is spliced in as more properties.</summary>
    public static string Valid(string id, string extra = "") => $$"""
        {
          "id": "{{id}}",
          "name": "Test {{id}}",
          "display_name": "Test {{id}}",
          "type": "payer",
          "status": "active",
          "registration": "required",
          "fhir_base_url": "https://{{id}}.example.test/fhir",
          "oauth": { "authorize_url": "https://{{id}}.example.test/authorize", "token_url": "https://{{id}}.example.test/token" }{{(extra.Length > 0 ? "," : "")}}
          {{extra}}
        }
        """;

    public TempPlatformFolder With(string fileName, string json)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), json);
        return this;
    }

    public PlatformRegistry Load(params (string Key, string Value)[] settings) =>
        PlatformRegistry.Load(Path, Configuration(settings));

    public static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

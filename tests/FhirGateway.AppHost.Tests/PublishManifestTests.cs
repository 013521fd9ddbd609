using System.Diagnostics;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.AppHost.Tests;

/// <summary>
/// The AppHost's publish manifest, as <c>azd</c> generates it (<c>dotnet run -- --publisher manifest</c>): what a
/// deployment gets. The built AppHost runs once as a process, as azd runs it.
/// </summary>
public sealed class PublishManifest : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"fhirgw-manifest-{Guid.NewGuid():N}");

    public JsonElement Resources { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var manifest = Path.Combine(_folder, "manifest.json");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "run", "--no-build", "--configuration", Configuration, "--project", "FhirGateway.AppHost",
            "--", "--publisher", "manifest", "--output-path", manifest,
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost wrote no manifest within {Timeout}:\n{await output}\n{await errors}");
        }

        Assert.True(process.ExitCode == 0 && File.Exists(manifest), $"The AppHost exited with {process.ExitCode}:\n{await output}\n{await errors}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        Resources = document.RootElement.GetProperty("resources").Clone();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}

/// <summary>What the publish manifest holds: the front-ends, Redis, and secret parameters.</summary>
public sealed class PublishManifestTests(PublishManifest manifest) : IClassFixture<PublishManifest>
{
    private readonly JsonElement _resources = manifest.Resources;

    [Fact]
    public void Manifest_Resources_AreTheFrontEndsAndRedisOnly()
    {
        Assert.Equal("project.v0", Type("api"));
        Assert.Equal("project.v0", Type("mcp"));
        Assert.Equal("container.v0", Type("redis"));
        // Development upstreams are not deployed.
        foreach (var name in new[] { "sandbox-fhir", "sandbox-auth", "hapi-fhir", "keycloak" })
        {
            Assert.False(_resources.TryGetProperty(name, out _), $"{name} is in the publish manifest");
        }

        Assert.True(_resources.GetProperty("api").GetProperty("bindings").GetProperty("https").GetProperty("external").GetBoolean());
    }

    [Fact]
    public void Manifest_Secrets_AreSecretParametersWithGeneratedDefaults()
    {
        foreach (var name in new[] { "master-key", "redis-password" })
        {
            Assert.Equal("parameter.v0", Type(name));
            var input = _resources.GetProperty(name).GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean(), $"{name} is not marked secret");
            Assert.True(input.GetProperty("default").TryGetProperty("generate", out _), $"{name} has no generated default");
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("mcp")]
    public void Manifest_FrontEnd_GetsRedisMasterKeyAndHttpsPublicUrl(string name)
    {
        var env = _resources.GetProperty(name).GetProperty("env");

        Assert.Equal("{redis.connectionString}", env.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("{master-key.value}", env.GetProperty("FHIR_GATEWAY_MASTER_KEY").GetString());
        Assert.Equal("{api.bindings.https.url}", env.GetProperty("FHIR_GATEWAY_PUBLIC_URL").GetString());
    }

    [Fact]
    public void Manifest_Mcp_AllowsItsOwnPublicHost()
    {
        var env = _resources.GetProperty("mcp").GetProperty("env");

        Assert.Equal("{mcp.bindings.https.host}", env.GetProperty("FHIR_GATEWAY_MCP_ALLOWED_HOSTS").GetString());
    }

    private string? Type(string name) =>
        _resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString() : null;
}

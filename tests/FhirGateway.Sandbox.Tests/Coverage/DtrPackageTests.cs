using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests.Coverage;

/// <summary>The sandbox payer's DTR Questionnaire/$questionnaire-package.</summary>
public sealed class DtrPackageTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Package_ByCanonical_ReturnsQuestionnaireWithEnableWhenAndItsValueSet()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var input = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "coverage", ["resource"] = JsonNode.Parse((await payer.CoverageAsync(token)).GetRawText()) },
                new JsonObject { ["name"] = "order", ["resource"] = PayerClient.ServiceRequest("72148") },
                new JsonObject { ["name"] = "questionnaire", ["valueCanonical"] = PayerClient.LumbarMriQuestionnaire }),
        };

        using var response = await payer.OperationAsync("Questionnaire/$questionnaire-package", input, token);
        var output = await SmartClient.ReadSuccessAsync(response);

        Assert.Equal("Parameters", output.GetProperty("resourceType").GetString());
        var package = Assert.Single(output.GetProperty("parameter").EnumerateArray());
        Assert.Equal("PackageBundle", package.GetProperty("name").GetString());
        var resources = package.GetProperty("resource").GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        var questionnaire = resources.Single(r => r.GetProperty("resourceType").GetString() == "Questionnaire");
        Assert.Equal(PayerClient.LumbarMriQuestionnaire, $"{questionnaire.GetProperty("url").GetString()}|{questionnaire.GetProperty("version").GetString()}");
        var items = Flatten(questionnaire.GetProperty("item")).ToList();
        Assert.Contains(items, i => i.TryGetProperty("required", out var r) && r.GetBoolean());
        Assert.Contains(items, i => i.TryGetProperty("enableWhen", out _));
        var valueSetUrl = items.Select(i => i.TryGetProperty("answerValueSet", out var v) ? v.GetString() : null).Single(v => v is not null);
        var valueSet = resources.Single(r => r.GetProperty("resourceType").GetString() == "ValueSet");
        Assert.Equal(valueSetUrl, valueSet.GetProperty("url").GetString());
        Assert.NotEmpty(valueSet.GetProperty("expansion").GetProperty("contains").EnumerateArray());
    }

    [Fact]
    public async Task Questionnaire_IsAlsoSearchableByUrl()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        var bundle = await payer.FhirJsonAsync($"Questionnaire?url={Uri.EscapeDataString(PayerClient.LumbarMriQuestionnaire.Split('|')[0])}", token);

        Assert.Equal(1, bundle.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Package_UnknownCanonical_Returns404OperationOutcome()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var input = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(new JsonObject { ["name"] = "questionnaire", ["valueCanonical"] = "https://sandbox.fhir-gateway.local/Questionnaire/nope|1.0.0" }),
        };

        using var response = await payer.OperationAsync("Questionnaire/$questionnaire-package", input, token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("OperationOutcome", (await PayerClient.ReadJsonAsync(response)).GetProperty("resourceType").GetString());
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement items)
    {
        foreach (var item in items.EnumerateArray())
        {
            yield return item;
            if (item.TryGetProperty("item", out var children))
            {
                foreach (var child in Flatten(children))
                {
                    yield return child;
                }
            }
        }
    }
}

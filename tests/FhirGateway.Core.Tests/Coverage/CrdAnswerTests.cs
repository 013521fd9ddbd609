using System.Text.Json.Nodes;
using FhirGateway.Core.Coverage;

namespace FhirGateway.Core.Tests.Coverage;

public sealed class CrdAnswerTests
{
    [Theory]
    [InlineData("covered", "auth-needed", "required")]
    [InlineData("covered", "performpa", "required")]
    [InlineData("covered", "no-auth", "not-required")]
    [InlineData("covered", "satisfied", "not-required")]
    [InlineData("covered", "conditional", "conditional")]
    [InlineData("conditional", "no-auth", "conditional")]
    [InlineData("not-covered", null, "not-covered")]
    [InlineData("covered", null, "unknown")]
    public void Decision_CoveredAndPaNeeded_RestatesThePayer(string covered, string? paNeeded, string expected)
    {
        var parts = new JsonArray(new JsonObject { ["url"] = "covered", ["valueCode"] = covered });
        if (paNeeded is not null)
        {
            parts.Add(new JsonObject { ["url"] = "pa-needed", ["valueCode"] = paNeeded });
        }

        var answer = new JsonObject
        {
            ["systemActions"] = new JsonArray(new JsonObject
            {
                ["type"] = "update",
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "ServiceRequest",
                    ["extension"] = new JsonArray(new JsonObject { ["url"] = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information", ["extension"] = parts }),
                },
            }),
        };

        var info = Assert.Single(CrdAnswer.CoverageInformation(answer));

        Assert.Equal(expected, CrdAnswer.Decision(info));
        Assert.Equal(covered, info.Covered);
    }
}

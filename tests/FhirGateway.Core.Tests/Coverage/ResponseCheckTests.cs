using System.Text.Json.Nodes;
using FhirGateway.Core.Coverage;

namespace FhirGateway.Core.Tests.Coverage;

public sealed class ResponseCheckTests
{
    private static readonly JsonObject Questionnaire = JsonNode.Parse("""
        {"resourceType":"Questionnaire","url":"https://payer.example/Questionnaire/q","version":"1","item":[
          {"linkId":"done","type":"boolean","required":true,"text":"Done?"},
          {"linkId":"kind","type":"choice","required":true,"answerOption":[{"valueCoding":{"system":"urn:s","code":"a","display":"Alpha"}}],
           "enableWhen":[{"question":"done","operator":"=","answerBoolean":true}]},
          {"linkId":"why-not","type":"string","required":true,"enableWhen":[{"question":"done","operator":"!=","answerBoolean":true}]},
          {"linkId":"score","type":"decimal","required":true,"enableWhen":[{"question":"kind","operator":"exists","answerBoolean":true}]},
          {"linkId":"grp","type":"group","required":true,"item":[{"linkId":"note","type":"string"}]}
        ]}
        """)!.AsObject();

    [Fact]
    public void Missing_NothingAnswered_ListsOnlyEnabledRequiredItems()
    {
        var missing = ResponseCheck.Missing(Questionnaire, Response());

        // "why-not" is enabled: != holds when no answer equals true (FHIR R4); "kind" and "score" are not.
        Assert.Equal(["done", "why-not", "grp"], missing.Select(m => m.LinkId));
    }

    [Fact]
    public void Missing_DoneTrueAndKindGiven_AsksForTheScoreThatKindEnables()
    {
        var missing = ResponseCheck.Missing(Questionnaire, Response(
            ("done", """{"valueBoolean":true}"""), ("kind", """{"valueCoding":{"system":"urn:s","code":"a"}}"""), ("note", """{"valueString":"x"}""")));

        Assert.Equal(["score"], missing.Select(m => m.LinkId));
    }

    [Fact]
    public void ToResponse_AnswerMap_ConvertsByItemTypeAndReportsUnknownLinkIds()
    {
        var problems = new List<string>();
        var answers = JsonNode.Parse("""{"done":"yes","kind":"Alpha","score":"12.5","note":"fine","nope":1}""")!.AsObject();

        var response = AnswerMap.ToResponse(Questionnaire, answers, "p1", new Dictionary<string, JsonObject>(), problems);

        Assert.Equal(["'nope': no item with this linkId in the questionnaire."], problems);
        Assert.Equal("https://payer.example/Questionnaire/q|1", response["questionnaire"]!.GetValue<string>());
        Assert.Empty(ResponseCheck.Missing(Questionnaire, response));
        var kind = ResponseCheck.Answers(response)["kind"].Single()["valueCoding"]!;
        Assert.Equal("a", kind["code"]!.GetValue<string>());
        Assert.Equal(12.5m, ResponseCheck.Answers(response)["score"].Single()["valueDecimal"]!.GetValue<decimal>());
    }

    [Fact]
    public void ToResponse_ValueOfTheWrongType_IsRefusedNamingTheItem()
    {
        var problems = new List<string>();

        AnswerMap.ToResponse(Questionnaire, JsonNode.Parse("""{"done":"maybe","kind":"zeta"}""")!.AsObject(), null, new Dictionary<string, JsonObject>(), problems);

        Assert.Equal(["'done': 'maybe' is not true or false.", "'kind': 'zeta' is not one of the options (a)."], problems);
    }

    private static JsonObject Response(params (string LinkId, string Answer)[] answers) => new()
    {
        ["resourceType"] = "QuestionnaireResponse",
        ["item"] = new JsonArray([.. answers.Select(a => (JsonNode)new JsonObject { ["linkId"] = a.LinkId, ["answer"] = new JsonArray(JsonNode.Parse(a.Answer)) })]),
    };
}

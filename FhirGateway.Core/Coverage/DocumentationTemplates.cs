using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// DTR: fetches the payer's questionnaires with <c>Questionnaire/$questionnaire-package</c> (Parameters with the
/// coverage, the order and the questionnaire canonicals; DTR STU2 §Retrieving the Questionnaire package) through the
/// user's connection, and checks answers against them.
/// </summary>
internal sealed class DocumentationTemplates(IPlatformRegistry platforms, PayerFhir fhir, PatientContext patients)
{
    /// <summary>A package as read: Questionnaires, ValueSets by canonical (no version) and Library canonicals.</summary>
    internal sealed record Loaded(IReadOnlyList<JsonObject> Questionnaires, IReadOnlyDictionary<string, JsonObject> ValueSets, IReadOnlyList<string> Libraries);

    public async Task<QuestionnairePackage> PackageAsync(OwnerKey? owner, QuestionnairePackageRequest request, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(owner, request, cancellationToken);
        return new QuestionnairePackage
        {
            PlatformId = PayerEndpoints.Dtr(platforms, request.PlatformId).Id,
            Questionnaires = [.. loaded.Questionnaires.Select(q => QuestionnaireReader.Read(q, loaded.ValueSets))],
            ValueSets = [.. loaded.ValueSets.Values.Select(v => QuestionnaireReader.Canonical(v))],
            Libraries = loaded.Libraries,
        };
    }

    public async Task<(QuestionnaireValidation Result, JsonObject Response)> ValidateAsync(OwnerKey? owner, QuestionnaireAnswers answers, CancellationToken cancellationToken)
    {
        JsonObject? response = null;
        if (answers.QuestionnaireResponse is { ValueKind: JsonValueKind.Object } given)
        {
            response = JsonNode.Parse(given.GetRawText()) as JsonObject;
            if (Json.Text(response, "resourceType") != "QuestionnaireResponse")
            {
                throw new CoverageRequestException("questionnaire_response must be a QuestionnaireResponse resource.");
            }
        }
        else if (answers.Answers is not { ValueKind: JsonValueKind.Object })
        {
            throw new CoverageRequestException("Give the answers: questionnaire_response (a QuestionnaireResponse) or answers (an object of linkId: answer).");
        }

        var canonical = answers.Questionnaire ?? Json.Text(response, "questionnaire")
            ?? throw new CoverageRequestException("Name the questionnaire: give questionnaire (its canonical URL, from check_prior_auth or the package).");
        var loaded = await LoadAsync(owner, new QuestionnairePackageRequest { PlatformId = answers.PlatformId, Questionnaires = [canonical], PatientId = answers.PatientId }, cancellationToken);
        var questionnaire = Matching(loaded.Questionnaires, canonical)
            ?? throw new PayerException(System.Net.HttpStatusCode.BadGateway, $"The payer's package for {canonical} holds no such Questionnaire.");

        var problems = new List<string>();
        if (response is null)
        {
            var patientId = await patients.PatientIdAsync(owner, answers.PlatformId, answers.PatientId, cancellationToken);
            response = AnswerMap.ToResponse(questionnaire, (JsonObject)JsonNode.Parse(answers.Answers!.Value.GetRawText())!, patientId, loaded.ValueSets, problems);
        }

        var missing = ResponseCheck.Missing(questionnaire, response);
        var result = new QuestionnaireValidation
        {
            Questionnaire = QuestionnaireReader.Canonical(questionnaire),
            Complete = missing.Count == 0 && problems.Count == 0,
            Missing = missing,
            Problems = problems,
            QuestionnaireResponse = Json.Element(response),
        };
        return (result, response);
    }

    public async Task<Loaded> LoadAsync(OwnerKey? owner, QuestionnairePackageRequest request, CancellationToken cancellationToken)
    {
        var platform = PayerEndpoints.Dtr(platforms, request.PlatformId);
        var canonicals = request.Questionnaires.SelectMany(q => q.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var code = request.Code is null && request.System is null ? null : CoverageCodes.Parse(request.System, request.Code);
        if (code is null && canonicals.Count == 0)
        {
            throw new CoverageRequestException("Give questionnaire canonicals (from check_prior_auth) or the ordered code and its system.");
        }

        var patientId = await patients.PatientIdAsync(owner, platform.Id, request.PatientId, cancellationToken);
        var (_, coverages) = await patients.CoveragesAsync(owner, platform.Id, patientId, request.CoverageId, cancellationToken);
        var parameters = new JsonArray();
        if (coverages.Count > 0)
        {
            parameters.Add(new JsonObject { ["name"] = "coverage", ["resource"] = coverages[0].DeepClone() });
        }

        if (code is not null)
        {
            var type = DraftOrder.TypeFor(code, request.OrderType);
            var coverageId = coverages.Count > 0 ? Json.Text(coverages[0], "id") : null;
            parameters.Add(new JsonObject { ["name"] = "order", ["resource"] = DraftOrder.Build(type, $"gw-{Guid.NewGuid():N}", code, patientId, coverageId, []) });
        }

        foreach (var canonical in canonicals)
        {
            parameters.Add(new JsonObject { ["name"] = "questionnaire", ["valueCanonical"] = canonical });
        }

        var output = await fhir.OperationAsync(owner, platform.Id, "Questionnaire", "$questionnaire-package",
            new JsonObject { ["resourceType"] = "Parameters", ["parameter"] = parameters }, cancellationToken);
        return Read(output);
    }

    /// <summary>The resources of every PackageBundle in the output Parameters (or of a Bundle answered directly).</summary>
    private static Loaded Read(JsonObject output)
    {
        var bundles = Json.Text(output, "resourceType") == "Bundle"
            ? [output]
            : Json.Objects(output, "parameter").Select(p => Json.Object(p, "resource")).Where(r => Json.Text(r, "resourceType") == "Bundle").OfType<JsonObject>().ToList();
        var resources = bundles.SelectMany(Json.Resources).ToList();
        var questionnaires = resources.Where(r => Json.Text(r, "resourceType") == "Questionnaire")
            .DistinctBy(QuestionnaireReader.Canonical).ToList();
        var valueSets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var set in resources.Where(r => Json.Text(r, "resourceType") == "ValueSet" && Json.Text(r, "url") is not null))
        {
            valueSets.TryAdd(Json.Text(set, "url")!, set);
        }

        var libraries = resources.Where(r => Json.Text(r, "resourceType") == "Library").Select(QuestionnaireReader.Canonical).Distinct(StringComparer.Ordinal).ToList();
        return new Loaded(questionnaires, valueSets, libraries);
    }

    /// <summary>The questionnaire a canonical names (<c>url</c> or <c>url|version</c>).</summary>
    public static JsonObject? Matching(IReadOnlyList<JsonObject> questionnaires, string canonical)
    {
        var parts = canonical.Split('|');
        return questionnaires.FirstOrDefault(q => Json.Text(q, "url") == parts[0] && (parts.Length < 2 || Json.Text(q, "version") == parts[1]))
            ?? (questionnaires.Count == 1 ? questionnaires[0] : null);
    }
}

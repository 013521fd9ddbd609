using System.Diagnostics;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FhirGateway.Api.Apis;

/// <summary>FHIR error answers: an <c>OperationOutcome</c> as <c>application/fhir+json</c>, its id the trace id.</summary>
internal static class FhirResults
{
    public const string ContentType = "application/fhir+json";

    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static JsonHttpResult<OperationOutcome> NotFound(string diagnostics) =>
        Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, diagnostics);

    public static JsonHttpResult<OperationOutcome> BadRequest(string diagnostics) =>
        Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, diagnostics);

    /// <summary>An outcome with one error issue; <paramref name="code"/> is a FHIR issue-type code such as <c>login</c>.</summary>
    public static JsonHttpResult<OperationOutcome> Outcome(int status, string code, string diagnostics) =>
        Outcome(status, Hl7.Fhir.Utility.EnumUtility.ParseLiteral<OperationOutcome.IssueType>(code) ?? OperationOutcome.IssueType.Exception, diagnostics);

    public static JsonHttpResult<OperationOutcome> Outcome(int status, OperationOutcome.IssueType code, string diagnostics)
    {
        var outcome = new OperationOutcome
        {
            Id = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N"),
            Issue =
            [
                new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Error,
                    Code = code,
                    Diagnostics = diagnostics,
                },
            ],
        };
        return TypedResults.Json(outcome, FhirJson, ContentType, status);
    }
}

namespace FhirGateway.Core.Audit;

/// <summary>
/// Carries an audit outcome and reason on the exception that ends a flow, from the check that refused it to the
/// place that writes the one audit event. The reason is a fixed phrase or a sanitized OAuth error code.
/// </summary>
internal static class AuditReason
{
    private const string OutcomeKey = "FhirGateway.Audit.Outcome";
    private const string ReasonKey = "FhirGateway.Audit.Reason";

    public static T Attach<T>(T exception, string outcome, string reason) where T : Exception
    {
        exception.Data[OutcomeKey] = outcome;
        exception.Data[ReasonKey] = reason;
        return exception;
    }

    public static (string Outcome, string Reason) Of(Exception exception, string outcome, string reason) =>
        (exception.Data[OutcomeKey] as string ?? outcome, exception.Data[ReasonKey] as string ?? reason);
}

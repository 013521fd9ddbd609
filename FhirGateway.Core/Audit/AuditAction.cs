using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Audit;

/// <summary>The <c>action</c> field of audit events.</summary>
internal static class AuditAction
{
    /// <summary>A login started: a pending authorization stored, the user sent to the platform.</summary>
    public const string AuthorizeStart = "authorize.start";

    /// <summary>The platform redirected back: the code exchanged, or the callback refused.</summary>
    public const string AuthorizeCallback = "authorize.callback";

    /// <summary>A refresh token used at the platform's token endpoint.</summary>
    public const string TokenRefresh = "token.refresh";

    /// <summary>A logout: tokens revoked at the platform (RFC 7009) where it can, the connection removed.</summary>
    public const string TokenRevoke = "token.revoke";

    /// <summary><c>fhir.read</c>, <c>fhir.search</c>, ... from the interaction.</summary>
    public static string Fhir(FhirInteraction interaction) => interaction switch
    {
        FhirInteraction.Capabilities => "fhir.capabilities",
        FhirInteraction.Search => "fhir.search",
        FhirInteraction.Read => "fhir.read",
        FhirInteraction.VRead => "fhir.vread",
        FhirInteraction.History => "fhir.history",
        FhirInteraction.Create => "fhir.create",
        FhirInteraction.Update => "fhir.update",
        FhirInteraction.Patch => "fhir.patch",
        FhirInteraction.Delete => "fhir.delete",
        FhirInteraction.Operation => "fhir.operation",
        FhirInteraction.Batch => "fhir.batch",
        FhirInteraction.Page => "fhir.page",
        _ => "fhir.other",
    };
}

/// <summary>The <c>outcome</c> field of audit events.</summary>
internal static class AuditOutcome
{
    public const string Success = "success";

    /// <summary>Refused by the platform or the user (an OAuth error, 401/403).</summary>
    public const string Denied = "denied";

    /// <summary>A callback with a missing, unknown, used, expired or foreign state (possible CSRF or replay).</summary>
    public const string InvalidState = "invalid_state";

    /// <summary>Something failed: the platform unreachable, an error status.</summary>
    public const string Failure = "failure";

    public static string ForStatus(int status) => status switch
    {
        < 400 => Success,
        401 or 403 => Denied,
        _ => Failure,
    };
}

using FhirGateway.Api.Apis;
using FhirGateway.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace FhirGateway.Api.Errors;

/// <summary>
/// The one place exceptions become answers: a <see cref="GatewayException"/> becomes an <c>OperationOutcome</c>
/// with its status and message; anything else a 500 with a generic message (the details go to the log, with
/// the trace id the outcome carries).
/// </summary>
internal sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            GatewayException gateway => FhirResults.Outcome((int)gateway.Status, gateway.IssueCode, gateway.Message),
            BadHttpRequestException bad => FhirResults.Outcome(bad.StatusCode, "invalid", "The request is malformed."),
            _ => null,
        };

        if (result is null)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            result = FhirResults.Outcome(StatusCodes.Status500InternalServerError, "exception",
                "The gateway failed to process the request. Quote the outcome id when reporting it.");
        }

        if (exception is AuthorizationRequiredException required)
        {
            // RFC 6750 §3: tell the client which scheme to use; the login URL is in the outcome.
            httpContext.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{required.PlatformId}\"";
            // RFC 8288: where to (re)authorize, for clients that act on headers rather than read the outcome.
            httpContext.Response.Headers.Link = $"<{required.LoginUrl}>; rel=\"login\"";
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}

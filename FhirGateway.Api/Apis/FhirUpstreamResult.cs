using FhirGateway.Core.Fhir;

namespace FhirGateway.Api.Apis;

/// <summary>Relays a platform's answer: status, the headers that matter, and the body streamed to the client.</summary>
internal sealed class FhirUpstreamResult(FhirResponse response) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => response.StatusCode;

    /// <summary>The relayed answer (for a handler that reshapes it, e.g. the capability summary).</summary>
    public FhirResponse Response => response;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        await using (response)
        {
            var answer = httpContext.Response;
            answer.StatusCode = response.StatusCode;
            foreach (var (name, value) in response.Headers)
            {
                answer.Headers.Append(name, value);
            }

            if (response.ContentType is { } contentType)
            {
                answer.ContentType = contentType;
            }

            if (response.ContentLength is { } length)
            {
                answer.ContentLength = length;
            }

            if (response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
            {
                await response.Body.CopyToAsync(answer.Body, httpContext.RequestAborted);
            }
        }
    }
}

using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The envelope every FHIR call runs in, whichever path sends it (<see cref="FhirClient"/>, <see cref="FhirProxy"/>):
/// the platform resolved by id or alias (404 when unknown), and exactly one audit event with the status the caller
/// got: the platform's, the gateway's error status, 499 when the caller went away, 500 for anything else.
/// </summary>
internal sealed class AuditedFhirCalls(IPlatformRegistry platforms, TimeProvider time, GatewayAudit audit)
{
    /// <summary>Runs <paramref name="send"/> for the platform <paramref name="request"/> names, and audits it.</summary>
    /// <param name="owner">Whose connection the call uses (audited as a pseudonym).</param>
    /// <param name="request">The call.</param>
    /// <param name="state">What <paramref name="send"/> needs, so that it can be a static lambda.</param>
    /// <param name="send">Sends the call to the resolved platform.</param>
    /// <param name="statusOf">The HTTP status the caller gets for <paramref name="send"/>'s result.</param>
    /// <param name="callerGone">Signalled when the caller went away.</param>
    public async Task<TResult> RunAsync<TState, TResult>(
        OwnerKey? owner, FhirRequest request, TState state, Func<TState, Platform, Task<TResult>> send, Func<TResult, int> statusOf,
        CancellationToken callerGone)
    {
        var started = time.GetTimestamp();
        var platformId = request.PlatformId;
        var status = 500;
        try
        {
            var platform = platforms.Find(request.PlatformId) ?? throw new PlatformNotFoundException(request.PlatformId);
            platformId = platform.Id;
            var result = await send(state, platform);
            status = statusOf(result);
            return result;
        }
        catch (GatewayException failure)
        {
            status = (int)failure.Status;
            throw;
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested)
        {
            status = 499; // client closed the request
            throw;
        }
        finally
        {
            audit.FhirCall(owner, platformId, request, status, time.GetElapsedTime(started));
        }
    }
}

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
/// <remarks>
/// Each path opens the envelope inside its own async method (<see cref="Begin"/>, <see cref="AuditedFhirCall"/>)
/// rather than being run by one: an async layer of its own would be one more allocation and continuation per call.
/// </remarks>
internal sealed class AuditedFhirCalls(IPlatformRegistry platforms, TimeProvider time, GatewayAudit audit)
{
    /// <summary>Opens the envelope of one call, timed from now; <see cref="AuditedFhirCall.End"/> writes its event.</summary>
    /// <param name="owner">Whose connection the call uses (audited as a pseudonym).</param>
    /// <param name="request">The call.</param>
    public AuditedFhirCall Begin(OwnerKey? owner, FhirRequest request) => new(this, owner, request, time.GetTimestamp());

    internal Platform Find(string platformId) => platforms.Find(platformId) ?? throw new PlatformNotFoundException(platformId);

    internal void Write(OwnerKey? owner, string platformId, FhirRequest request, int status, long started) =>
        audit.FhirCall(owner, platformId, request, status, time.GetElapsedTime(started));
}

/// <summary>
/// One call's envelope, held by the sending async method as a local and used in this shape, so that every way out
/// is audited once:
/// <code>
/// var call = calls.Begin(owner, request);
/// try { var platform = call.Resolve(); ...; call.Succeeded(status); }
/// catch (Exception e) { call.Failed(e, callerGone); throw; }
/// finally { call.End(); }
/// </code>
/// A mutable struct: kept in one variable, never copied.
/// </summary>
internal struct AuditedFhirCall
{
    private readonly AuditedFhirCalls _calls;
    private readonly OwnerKey? _owner;
    private readonly FhirRequest _request;
    private readonly long _started;
    private string _platformId;
    private int _status;

    internal AuditedFhirCall(AuditedFhirCalls calls, OwnerKey? owner, FhirRequest request, long started)
    {
        _calls = calls;
        _owner = owner;
        _request = request;
        _started = started;
        _platformId = request.PlatformId;
        _status = 500;
    }

    /// <summary>The platform the request names, by id or alias; audited under its id from here on.</summary>
    /// <exception cref="PlatformNotFoundException">No such platform (404).</exception>
    public Platform Resolve()
    {
        var platform = _calls.Find(_request.PlatformId);
        _platformId = platform.Id;
        return platform;
    }

    /// <summary>The HTTP status the caller got.</summary>
    public void Succeeded(int status) => _status = status;

    /// <summary>The call failed with <paramref name="failure"/>: its status, or 499 when the caller went away, else 500.</summary>
    public void Failed(Exception failure, CancellationToken callerGone) => _status = failure switch
    {
        GatewayException gateway => (int)gateway.Status,
        OperationCanceledException when callerGone.IsCancellationRequested => 499, // client closed the request
        _ => 500,
    };

    /// <summary>Writes the call's one audit event.</summary>
    public readonly void End() => _calls.Write(_owner, _platformId, _request, _status, _started);
}

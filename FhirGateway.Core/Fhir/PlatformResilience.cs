using System.Net;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// One platform's resilience around a call: its <see cref="PlatformCircuit"/>, and up to <see cref="MaxRetries"/>
/// repeats of a safe request (RFC 9110 §9.2.1) after a transient failure — a connection failure, or a status a server
/// uses for "try again" (408, 429, 502, 503, 504) — after an exponential delay with jitter (200 ms, then 400 ms, each
/// ±50 %). The last outcome is the caller's: the answer, or the connection failure. Per platform, so one platform
/// failing never slows or trips another; the timeout is the sender's. <see cref="FhirProxy"/> applies the same policy
/// (its circuit, <see cref="IsTransient"/>, <see cref="MaxRetries"/>, <see cref="Delay"/>) from its own loop.
/// </summary>
internal sealed class PlatformResilience(PlatformCircuit circuit, TimeProvider time)
{
    public const int MaxRetries = 2;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    public PlatformCircuit Circuit => circuit;

    /// <summary>Sends through the circuit, repeating a <paramref name="safe"/> request on transient failures.</summary>
    /// <exception cref="PlatformPausedException">The circuit is open: nothing was sent.</exception>
    public async Task<HttpResponseMessage> SendAsync<TState>(
        TState state, Func<TState, CancellationToken, Task<HttpResponseMessage>> send, bool safe, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var trial = circuit.Enter();
            HttpResponseMessage response;
            try
            {
                response = await send(state, cancellationToken);
            }
            catch (HttpRequestException)
            {
                circuit.Record(failed: true, trial);
                if (!safe || attempt == MaxRetries || cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                await Task.Delay(Delay(attempt), time, cancellationToken);
                continue;
            }
            catch
            {
                // Cancelled, timed out or refused by the gateway's own checks: not the platform failing.
                circuit.Record(failed: false, trial);
                throw;
            }

            var transient = IsTransient(response.StatusCode);
            circuit.Record(transient, trial);
            if (!transient || !safe || attempt == MaxRetries)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(Delay(attempt), time, cancellationToken);
        }
    }

    /// <summary>The statuses a server uses for "try again" (RFC 9110 §15.6, RFC 6585 §4).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The delay before repeat <paramref name="attempt"/> + 1: <see cref="FirstDelay"/> doubled per attempt, ±50 %.</summary>
    public static TimeSpan Delay(int attempt) => FirstDelay * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
}

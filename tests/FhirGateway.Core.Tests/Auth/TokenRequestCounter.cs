namespace FhirGateway.Core.Tests.Auth;

/// <summary>
/// Sits innermost on the gateway's token endpoint client (after any resilience handler), so it sees every
/// attempt that leaves the process, and keeps what the test needs to check client authentication.
/// </summary>
internal sealed class TokenRequestCounter
{
    private int _tokenRequests;
    private int _revocations;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public int Revocations => Volatile.Read(ref _revocations);

    public bool? LastUsedBasic { get; private set; }

    public bool? LastSentSecretInBody { get; private set; }

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(TokenRequestCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.EndsWith("/revocation", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref counter._revocations);
            }
            else
            {
                Interlocked.Increment(ref counter._tokenRequests);
                var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
                counter.LastUsedBasic = request.Headers.Authorization?.Scheme == "Basic";
                counter.LastSentSecretInBody = body.Contains("client_secret=", StringComparison.Ordinal);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

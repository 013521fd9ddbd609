using System.Net;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class UpstreamReadTests
{
    private static readonly FhirClientOptions Options = new() { MaxBufferedBundleBytes = 100_000 };

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(16_384, false)]
    [InlineData(65_536, true)]
    [InlineData(100_000, false)]
    [InlineData(100_000, true)]
    public async Task ReadBoundedAsync_UpToTheLimit_ReturnsTheWholeBody(int size, bool declared)
    {
        var body = Enumerable.Range(0, size).Select(i => (byte)(i * 31)).ToArray();
        using var response = Response(body, declared);

        using var read = await UpstreamResponses.ReadBoundedAsync(response, "p", Options, CancellationToken.None);

        Assert.Equal(body, read.Span.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadBoundedAsync_OverTheLimit_Throws502(bool declared)
    {
        using var response = Response(new byte[100_001], declared);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => UpstreamResponses.ReadBoundedAsync(response, "p", Options, CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.BadGateway, failure.Status);
    }

    [Theory]
    [InlineData("application/fhir+json", "application/fhir+json")]
    [InlineData("application/fhir+json; charset=utf-8", "application/fhir+json")]
    [InlineData("Application/FHIR+JSON ;fhirVersion=4.0", "application/fhir+json")]
    [InlineData("application/json;charset=UTF-8", "application/json")]
    [InlineData("application/json-patch+json", "application/json-patch+json")]
    [InlineData("text/html; charset=utf-8", "text/html")]
    [InlineData("TEXT/Plain", "text/plain")]
    [InlineData("not a media type", null)]
    [InlineData(null, null)]
    public void MediaType_IsTheTypeOfContentTypeInLowerCase(string? contentType, string? expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        if (contentType is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        Assert.Equal(expected, UpstreamResponses.MediaType(response));
    }

    private static HttpResponseMessage Response(byte[] body, bool declared) =>
        new(HttpStatusCode.OK) { Content = declared ? new ByteArrayContent(body) : new ChunkedContent(body) };

    /// <summary>A body without Content-Length that arrives a few KB at a time, as from a socket.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new TrickleStream(body));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class TrickleStream(byte[] body) : MemoryStream(body, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7_000)], cancellationToken);
    }
}

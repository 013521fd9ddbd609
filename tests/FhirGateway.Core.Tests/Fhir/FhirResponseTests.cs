using System.Buffers;
using System.Text;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

/// <summary>
/// A buffered Bundle's answer holds the platform's bytes and the link edits: written to the client piece by piece, or
/// read as a stream (MCP), it must be the same rewritten Bundle, and the pooled buffer must go back once.
/// </summary>
public sealed class FhirResponseTests
{
    private const string Bundle = """
        {"resourceType":"Bundle","type":"searchset","link":[
          {"relation":"self","url":"http://fhir.example/fhir/Observation?_count=2"},
          {"relation":"other","url":"http://evil.example/x"},
          {"relation":"next","url":"http://fhir.example/fhir/Observation?code=http://loinc.org|1234-5"}],
         "entry":[{"fullUrl":"http://fhir.example/fhir/Observation/1","resource":{"resourceType":"Observation","id":"1"}}]}
        """;

    private static readonly GatewayLinks Links = new(new UpstreamBase("http://fhir.example/fhir"), "https://gw.example/api/fhir/p");

    [Fact]
    public async Task TryWriteBody_RewrittenBundle_WritesWhatTheStreamReads()
    {
        var expected = Encoding.UTF8.GetString(BundleLinkRewriter.Rewrite(Encoding.UTF8.GetBytes(Bundle), Links)!.Span);
        await using var written = Response();
        await using var read = Response();

        var pipe = new ArrayBufferWriter<byte>();
        Assert.True(written.TryWriteBody(pipe));
        using var reader = new StreamReader(read.Body);

        Assert.Equal(expected, Encoding.UTF8.GetString(pipe.WrittenSpan));
        Assert.Equal(expected, await reader.ReadToEndAsync());
        Assert.Equal(expected.Length, written.ContentLength);
        Assert.Contains("\"url\":\"https://gw.example/api/fhir/p/Observation?_count=2\"", expected, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public async Task TryWriteBody_DestinationHandsOutSmallSpans_FillsEachAndAdvancesItOnce(int spanSize)
    {
        var expected = Encoding.UTF8.GetString(BundleLinkRewriter.Rewrite(Encoding.UTF8.GetBytes(Bundle), Links)!.Span);
        await using var response = Response();
        var pipe = new SmallSpans(spanSize);

        Assert.True(response.TryWriteBody(pipe));

        Assert.Equal(expected, Encoding.UTF8.GetString(pipe.Written.WrittenSpan));
        Assert.Equal((expected.Length + spanSize - 1) / spanSize, pipe.Advances);
    }

    [Fact]
    public async Task TryWriteBody_DestinationGivesWhatIsAsked_OneSpanForTheWholeBundle()
    {
        await using var response = Response();
        var pipe = new AsksRecorded();

        Assert.True(response.TryWriteBody(pipe));

        Assert.Equal([(int)response.ContentLength!.Value], pipe.Asked);
        Assert.Equal(response.ContentLength, pipe.Written.WrittenCount);
    }

    [Fact]
    public async Task TryWriteBody_AfterTheStreamWasOpened_LeavesItToTheStream()
    {
        await using var response = Response();
        _ = response.Body;

        Assert.False(response.TryWriteBody(new ArrayBufferWriter<byte>()));
    }

    /// <summary>Hands out spans of at most a given size, as a pipe's segments do, and counts the advances.</summary>
    private sealed class SmallSpans(int size) : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public int Advances { get; private set; }

        public void Advance(int count)
        {
            Assert.InRange(count, 1, size);
            Written.Advance(count);
            Advances++;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Written.GetMemory(size)[..size];

        public Span<byte> GetSpan(int sizeHint = 0) => Written.GetSpan(size)[..size];
    }

    /// <summary>Hands out what is asked for, as Kestrel's response pipe does, and records the asks.</summary>
    private sealed class AsksRecorded : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public List<int> Asked { get; } = [];

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Asked.Add(sizeHint);
            return Written.GetMemory(sizeHint)[..sizeHint];
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Asked.Add(sizeHint);
            return Written.GetSpan(sizeHint)[..sizeHint];
        }
    }

    private static FhirResponse Response()
    {
        var bytes = Encoding.UTF8.GetBytes(Bundle);
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented, 0);
        var body = new PooledBytes(rented, bytes.Length);
        return FhirResponse.FromPooled(200, UpstreamResponses.FhirJson, [], body, BundleLinkRewriter.Edits(body.Span, Links));
    }
}

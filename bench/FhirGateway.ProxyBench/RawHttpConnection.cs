using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace FhirGateway.ProxyBench;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends one canned GET and reads the answer by Content-Length. Far cheaper
/// per request than HttpClient, so the load generator takes less of the shared cores from the servers it measures.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> ContentLength => "content-length:"u8;

    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawHttpConnection(Socket socket, byte[] request)
    {
        _socket = socket;
        _request = request;
    }

    /// <param name="headers">More header lines, each ending in CRLF (<see cref="BenchTarget.Headers"/>).</param>
    public static async Task<RawHttpConnection> OpenAsync(Uri url, string headers)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(url.Host, url.Port);
        var request = new StringBuilder()
            .Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("Accept: application/fhir+json\r\n")
            .Append(headers)
            .Append("\r\n");
        return new RawHttpConnection(socket, Encoding.ASCII.GetBytes(request.ToString()));
    }

    /// <summary>Sends the request and reads the whole answer; returns the status code.</summary>
    public async ValueTask<int> SendAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(_request, SocketFlags.None, cancellationToken);
        var filled = 0;
        int headerEnd;
        while ((headerEnd = HeadEnd(filled)) < 0)
        {
            filled += Received(await _socket.ReceiveAsync(Unfilled(filled), SocketFlags.None, cancellationToken));
        }

        var (status, remaining) = Body(headerEnd, filled);
        while (remaining > 0)
        {
            remaining -= Received(await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancellationToken));
        }

        return Checked(status, remaining);
    }

    /// <summary>Sends the request, blocking, and returns at once (the open loop's pacer; see <see cref="ReadAnswer"/>).</summary>
    public void Send() => _socket.Send(_request);

    /// <summary>Whether an answer's first bytes arrive within <paramref name="timeout"/>.</summary>
    public bool WaitForAnswer(TimeSpan timeout) => _socket.Poll(timeout, SelectMode.SelectRead);

    /// <summary>Reads one whole answer, blocking; returns the status code.</summary>
    public int ReadAnswer()
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = HeadEnd(filled)) < 0)
        {
            filled += Received(_socket.Receive(Unfilled(filled).Span));
        }

        var (status, remaining) = Body(headerEnd, filled);
        while (remaining > 0)
        {
            remaining -= Received(_socket.Receive(_buffer));
        }

        return Checked(status, remaining);
    }

    private int HeadEnd(int filled) => _buffer.AsSpan(0, filled).IndexOf(HeaderEnd);

    private Memory<byte> Unfilled(int filled) => filled < _buffer.Length
        ? _buffer.AsMemory(filled)
        : throw new InvalidOperationException("The response head is larger than the buffer.");

    /// <summary>The status and the body bytes still to read once the head ends at <paramref name="headerEnd"/>.</summary>
    private (int Status, long Remaining) Body(int headerEnd, int filled)
    {
        var (status, length) = ParseHead(_buffer.AsSpan(0, headerEnd));
        return (status, length - (filled - headerEnd - HeaderEnd.Length));
    }

    private static int Received(int read) => read > 0 ? read : throw new IOException("The server closed the connection.");

    private static int Checked(int status, long remaining) =>
        remaining == 0 ? status : throw new InvalidOperationException("The server sent more than Content-Length.");

    private static (int Status, long Length) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !Utf8Parser.TryParse(head[9..12], out int status, out _))
        {
            throw new InvalidOperationException("Not an HTTP/1.1 status line.");
        }

        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            if (line.Length > ContentLength.Length && Ascii.EqualsIgnoreCase(line[..ContentLength.Length], ContentLength)
                && Utf8Parser.TryParse(line[ContentLength.Length..].Trim((byte)' '), out long length, out _))
            {
                return (status, length);
            }
        }

        throw new InvalidOperationException($"HTTP {status} without Content-Length (chunked answers are not supported by this load generator).");
    }

    public void Dispose() => _socket.Dispose();
}

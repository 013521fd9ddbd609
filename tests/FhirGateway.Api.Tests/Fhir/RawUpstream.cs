using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// A bare TCP server standing in for an upstream whose behaviour the sandbox cannot show: it counts the
/// connections it accepts, keeps the request heads it reads, and either never answers (a hanging platform),
/// answers every request with a fixed body (to see which headers reached the upstream), or is always busy (503, at
/// once or slowly).
/// </summary>
public sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ConcurrentDictionary<string, int> _seenPaths = new(StringComparer.Ordinal);
    private readonly bool _answer;
    private readonly bool _busy;
    private readonly TimeSpan _delay;
    private int _connections;

    private RawUpstream(bool answer, bool busy = false, TimeSpan delay = default)
    {
        _answer = answer;
        _busy = busy;
        _delay = delay;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Accepts connections and never answers.</summary>
    public static RawUpstream Hanging() => new(answer: false);

    /// <summary>
    /// Answers each request: <c>/html-error</c> paths with an HTML 500, a <c>/busy-once</c> path with a 503
    /// OperationOutcome the first time and normally after, a target with <c>bundle</c> in it with a searchset Bundle whose
    /// self link is that target, anything else with a JSON Patient as <c>application/json</c>. The body is compressed
    /// when the target says so and the request accepts it: gzip for <c>gzipped</c>, Brotli for <c>brotli</c>; a target
    /// with <c>unasked-coding</c> gets <c>Content-Encoding: compress</c> and one with <c>corrupt-gzip</c> a plain body
    /// said to be gzip, whatever was asked.
    /// </summary>
    public static RawUpstream Answering() => new(answer: true);

    /// <summary>Answers every request with a 503 OperationOutcome (each <paramref name="after"/> its request): a platform that keeps failing.</summary>
    public static RawUpstream Busy(TimeSpan after = default) => new(answer: true, busy: true, after);

    /// <summary>How many requests reached <paramref name="pathPart"/> (matched in the request line).</summary>
    public int RequestsTo(string pathPart) => Requests.Count(r => r.Split("\r\n")[0].Contains(pathPart, StringComparison.Ordinal));

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BaseUrl => $"http://127.0.0.1:{Port}/fhir";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Request heads (request line and headers) read so far.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[65536];
            var head = new StringBuilder();
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var end = head.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                var request = head.ToString()[..end];
                head.Clear();
                _requests.Enqueue(request);
                if (_answer)
                {
                    await Task.Delay(_delay, _stop.Token);
                    await stream.WriteAsync(Answer(request), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The gateway or the test closed the connection.
        }
    }

    private byte[] Answer(string request)
    {
        var target = request.Split(' ', 3)[1];
        var busy = _busy || (target.Contains("/busy-once", StringComparison.Ordinal) && _seenPaths.AddOrUpdate(target, 1, (_, n) => n + 1) == 1);
        var (status, type, text) = busy
            ? ("503 Service Unavailable", "application/fhir+json", """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}""")
            : request.Contains("/html-error", StringComparison.Ordinal)
            ? ("500 Internal Server Error", "text/html", "<html><body>Stack trace: secret-upstream-detail</body></html>")
            : target.Contains("bundle", StringComparison.Ordinal)
            ? ("200 OK", "application/fhir+json", $$$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"http://127.0.0.1:{{{Port}}}{{{target}}}"}],"entry":[{"resource":{"resourceType":"Patient","id":"raw-1"}}]}""")
            : ("200 OK", "application/json", """{"resourceType":"Patient","id":"raw-1"}""");
        var body = Encoding.UTF8.GetBytes(text);
        var accepted = System.Text.RegularExpressions.Regex.Match(request, "(?im)^Accept-Encoding:(.*)$").Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
        var encoding = "";
        if (target.Contains("gzipped", StringComparison.Ordinal) && accepted.Contains("gzip", StringComparer.OrdinalIgnoreCase))
        {
            // A platform that compresses when asked to.
            body = Compress(body, output => new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest));
            encoding = "Content-Encoding: gzip\r\n";
        }
        else if (target.Contains("brotli", StringComparison.Ordinal) && accepted.Contains("br", StringComparer.OrdinalIgnoreCase))
        {
            body = Compress(body, output => new System.IO.Compression.BrotliStream(output, System.IO.Compression.CompressionLevel.Fastest));
            encoding = "Content-Encoding: br\r\n";
        }
        else if (target.Contains("unasked-coding", StringComparison.Ordinal))
        {
            encoding = "Content-Encoding: compress\r\n";
        }
        else if (target.Contains("corrupt-gzip", StringComparison.Ordinal))
        {
            encoding = "Content-Encoding: gzip\r\n";
        }

        return [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\n{encoding}Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    private static byte[] Compress(byte[] body, Func<Stream, Stream> compressor)
    {
        using var compressed = new MemoryStream();
        using (var stream = compressor(compressed))
        {
            stream.Write(body);
        }

        return compressed.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }
}

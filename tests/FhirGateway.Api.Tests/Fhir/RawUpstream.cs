using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// A bare TCP server standing in for an upstream whose behaviour the sandbox cannot show: it counts the
/// connections it accepts, keeps the request heads it reads, and either never answers (a hanging platform),
/// answers every request with a fixed body (to see which headers reached the upstream), or is always busy (503).
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
    private int _connections;

    private RawUpstream(bool answer, bool busy = false)
    {
        _answer = answer;
        _busy = busy;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Accepts connections and never answers.</summary>
    public static RawUpstream Hanging() => new(answer: false);

    /// <summary>
    /// Answers each request: <c>/html-error</c> paths with an HTML 500, a <c>/busy-once</c> path with a 503
    /// OperationOutcome the first time and normally after, anything else with a JSON Patient as <c>application/json</c>
    /// (gzip-compressed on a <c>/gzipped</c> path when the request accepts gzip).
    /// </summary>
    public static RawUpstream Answering() => new(answer: true);

    /// <summary>Answers every request with a 503 OperationOutcome: a platform that keeps failing.</summary>
    public static RawUpstream Busy() => new(answer: true, busy: true);

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
            : ("200 OK", "application/json", """{"resourceType":"Patient","id":"raw-1"}""");
        var body = Encoding.UTF8.GetBytes(text);
        var encoding = "";
        if (target.Contains("/gzipped", StringComparison.Ordinal) && request.Contains("Accept-Encoding: gzip", StringComparison.OrdinalIgnoreCase))
        {
            // A platform that compresses when asked to.
            using var compressed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
            {
                gzip.Write(body);
            }

            body = compressed.ToArray();
            encoding = "Content-Encoding: gzip\r\n";
        }

        return [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\n{encoding}Content-Length: {body.Length}\r\n\r\n"), .. body];
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

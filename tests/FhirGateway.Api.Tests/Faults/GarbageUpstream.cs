using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>
/// A bare TCP server answering like a broken FHIR server, chosen by the request path: <c>Patient/text</c> plain
/// text with 200, <c>Patient/truncated</c> a JSON resource cut short (honest length), <c>Patient?</c> a search Bundle
/// cut short, <c>Observation?</c> a search whose connection closes before the promised length, <c>Patient/html</c>
/// an HTML 500.
/// </summary>
public sealed class GarbageUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public GarbageUpstream()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fhir";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _ = ServeAsync(await _listener.AcceptTcpClientAsync(_stop.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[65536];
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var path = head.ToString().Split(' ', 3)[1];
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Answer(path)), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The gateway or the test closed the connection.
            }
        }
    }

    private static string Answer(string path)
    {
        if (path.StartsWith("/fhir/Observation", StringComparison.Ordinal))
        {
            // Promises 5000 bytes, sends a few, then the connection closes.
            return "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{\"resourceType\":\"Bundle\",\"ty";
        }

        var (status, type, body) = path switch
        {
            _ when path.StartsWith("/fhir/Patient/text", StringComparison.Ordinal) => ("200 OK", "text/plain", "this is not FHIR"),
            _ when path.StartsWith("/fhir/Patient/truncated", StringComparison.Ordinal) => ("200 OK", "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"trun"),
            _ when path.StartsWith("/fhir/Patient/html", StringComparison.Ordinal) => ("500 Internal Server Error", "text/html", "<html><body>upstream stack trace</body></html>"),
            _ => ("200 OK", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[{\"relation\":\"next\",\"url\":\"http"),
        };
        return $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }
}

using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FhirGateway.AppHost.Redis;

/// <summary>Healthy once the server answers <c>PING</c> with <c>+PONG</c> (RESP), so dependants start only then.</summary>
internal sealed class RedisPingHealthCheck(RedisServerResource resource) : IHealthCheck
{
    private static readonly byte[] Ping = "PING\r\n"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var endpoint = resource.PrimaryEndpoint;
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(Ping, cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("redis-server did not answer PING.");
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy("redis-server is not accepting connections.", ex);
        }
    }
}

using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Hosting;

internal static class RedisConfiguration
{
    private const string ConnectionStringKey = "ConnectionStrings:" + GatewayCoreExtensions.RedisConnectionName;

    /// <summary>
    /// Makes <c>ConnectionStrings:redis</c> the one place the Redis address lives: Aspire sets it, and
    /// <c>FHIR_GATEWAY_REDIS_URL</c> (a <c>redis://</c> URL or a StackExchange.Redis string) fills it when absent.
    /// </summary>
    /// <returns>Whether Redis is configured.</returns>
    public static bool Apply(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]))
        {
            return true;
        }

        var url = configuration[GatewayCoreExtensions.RedisUrlVariable];
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        configuration[ConnectionStringKey] = ToConnectionString(url);
        return true;
    }

    /// <summary>Turns <c>redis://[:password@]host[:port][/db]</c> into StackExchange.Redis syntax.</summary>
    internal static string ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            return url;
        }

        var parts = new List<string> { $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}" };
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        var password = userInfo.Contains(':', StringComparison.Ordinal) ? userInfo[(userInfo.IndexOf(':', StringComparison.Ordinal) + 1)..] : userInfo;
        if (password.Length > 0)
        {
            parts.Add($"password={password}");
        }

        if (uri.Scheme == "rediss")
        {
            parts.Add("ssl=true");
        }

        var db = uri.AbsolutePath.Trim('/');
        if (int.TryParse(db, out var database))
        {
            parts.Add($"defaultDatabase={database}");
        }

        return string.Join(',', parts);
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.AppHost;

/// <summary>
/// How many Api processes run (the <c>api-replicas</c> parameter or argument, default 1). Replicas share the
/// token store, pending authorizations and Data Protection keys through Redis, so a login started on one may finish
/// on another. Locally DCP puts one proxy port in front of them; the publish manifest does not carry the count
/// (the container platform scales the deployed Api by its own rules).
/// </summary>
internal static class ApiReplicas
{
    /// <summary>Configuration keys read, first match wins: <c>--api-replicas</c> on the command line or the <c>api-replicas</c> parameter.</summary>
    internal static readonly string[] Keys = ["api-replicas", "Parameters:api-replicas"];

    internal const int Default = 1;

    public static int Resolve(IConfiguration configuration)
    {
        var value = Keys.Select(k => configuration[k]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        if (value is null)
        {
            return Default;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas >= 1
            ? replicas
            : throw new InvalidOperationException(
                $"The AppHost setting 'api-replicas' is '{value}'; use a whole number of at least 1 (e.g. --api-replicas 2).");
    }
}

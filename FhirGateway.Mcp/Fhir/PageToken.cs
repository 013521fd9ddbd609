using System.Buffers.Text;
using System.Text;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// Page tokens: the platform's next link, as the shared client rewrote it under <see cref="LinkBase"/>, made opaque
/// (<c>pg1.</c> + base64url of the part after the platform). Decoded only into a path under that platform's FHIR
/// base, which the shared client checks again; never an arbitrary URL, and only ever sent with the caller's own
/// connection.
/// </summary>
internal static class PageToken
{
    /// <summary>Where the shared client puts paging links for MCP answers (not a reachable address).</summary>
    public const string LinkBase = "urn:fhir-gateway:mcp";

    private const string Version = "pg1.";
    private const int MaxLength = 8192;

    /// <summary>The token for a rewritten link of <paramref name="platformId"/>; null for any other link.</summary>
    public static string? From(string? link, string platformId)
    {
        var prefix = $"{LinkBase}/{Uri.EscapeDataString(platformId)}/";
        return link is not null && link.StartsWith(prefix, StringComparison.Ordinal)
            ? Version + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(link[prefix.Length..]))
            : null;
    }

    /// <summary>The request that follows <paramref name="token"/> at <paramref name="platform"/>.</summary>
    public static FhirRequest ToRequest(string token, Platform platform)
    {
        var relative = Decode(token);
        string pageUrl;
        if (relative.StartsWith($"{FhirNames.PageRoute}?url=", StringComparison.Ordinal))
        {
            pageUrl = Uri.UnescapeDataString(relative[(FhirNames.PageRoute.Length + 5)..]);
        }
        else
        {
            var path = relative.Split('?', 2)[0];
            if (path.Contains("..", StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal) || !FhirNames.IsRestPath(path))
            {
                throw Invalid();
            }

            pageUrl = $"{(platform.Definition.FhirBaseUrl ?? throw Invalid()).TrimEnd('/')}/{relative}";
        }

        return new FhirRequest { PlatformId = platform.Id, Interaction = FhirInteraction.Page, Method = HttpMethod.Get, PageUrl = pageUrl };
    }

    private static string Decode(string token)
    {
        if (token.Length > MaxLength || !token.StartsWith(Version, StringComparison.Ordinal) || !Base64Url.IsValid(token.AsSpan(Version.Length)))
        {
            throw Invalid();
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Version.Length)));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static McpException Invalid() =>
        new("That page token is not valid for this platform: pass the next_page value a search answered, unchanged, with the same platform_id.");
}

using System.Text.Json;
using FhirGateway.Core.Fhir;
using FhirGateway.Mcp.Hosting;
using FhirGateway.Mcp.Identity;
using Microsoft.Extensions.Options;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// The MCP front-end's use of the shared FHIR upstream client: the caller's owner (never a token from the MCP
/// client), paging links kept under <see cref="PageToken.LinkBase"/> so they become page tokens, the answer read
/// whole (within a bound), and a platform's error turned into its OperationOutcome text.
/// </summary>
public sealed class McpFhir(IFhirClient client, McpCaller caller, IOptions<McpGatewayOptions> options)
{
    /// <summary>The longest answer a tool gives, in characters.</summary>
    public int Budget => options.Value.MaxResultChars;

    /// <summary>Largest answer the MCP front-end reads; a bigger one asks the agent to narrow the query.</summary>
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public Task<FhirAnswer> SendAsync(FhirRequest request, CancellationToken cancellationToken) =>
        SendAsync(request, PageToken.LinkBase, cancellationToken);

    /// <summary>
    /// Sends with links rewritten under <paramref name="linkBase"/> instead of page tokens: the Api's FHIR routes,
    /// for URLs the agent hands to another client (bulk export files).
    /// </summary>
    public async Task<FhirAnswer> SendAsync(FhirRequest request, string linkBase, CancellationToken cancellationToken)
    {
        await using var response = await client.SendAsync(caller.Owner, request with { LinkBase = linkBase }, cancellationToken);
        var bytes = await ReadAsync(response.Body, request.PlatformId, cancellationToken);
        JsonDocument? body = null;
        if (bytes.Length > 0)
        {
            try
            {
                body = JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
                throw new McpException($"Platform '{request.PlatformId}' answered {response.StatusCode} with a body that is not JSON.");
            }
        }

        if (response.StatusCode >= 400)
        {
            using (body)
            {
                throw new McpException($"Platform '{request.PlatformId}' answered {response.StatusCode}: {OutcomeText.Of(body?.RootElement) ?? "no details given."}");
            }
        }

        return new FhirAnswer(response.StatusCode, response.Headers, body);
    }

    private static async Task<byte[]> ReadAsync(Stream body, string platformId, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new McpException($"Platform '{platformId}' answered more than {MaxBodyBytes / (1024 * 1024)} MB; ask for less (a smaller count, elements, narrower parameters).");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FhirGateway.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit.Abstractions;

namespace FhirGateway.AppHost.Tests;

/// <summary>
/// Two Api replicas and the Mcp behind one Redis (issue 7): whichever process a request reaches, it sees the same
/// pending authorizations and connections. Requests go to each replica's own port, not DCP's round-robin proxy, so
/// every step is pinned to the process the test names.
/// </summary>
public sealed class ReplicatedStackTests(ReplicatedStackFixture stack, ITestOutputHelper output) : IClassFixture<ReplicatedStackFixture>, IDisposable
{
    private const string Platform = "local-sandbox";
    private const string SessionCookie = "fhirgw_session";
    private const string GatewayKeyHeader = "X-FHIR-Gateway-Key";

    /// <summary>How long another process may serve a logged-out connection from its token cache (see <see cref="UntilAsync"/>).</summary>
    private static readonly TimeSpan InvalidationWithin = TimeSpan.FromSeconds(1);

    private static readonly string PatientPath = $"/api/fhir/{Platform}/Patient/{SandboxServers.PatientId}";

    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    private ApiReplica A => stack.ApiReplicas[0];

    private ApiReplica B => stack.ApiReplicas[1];

    /// <summary>The Api's public address: DCP's proxy, the redirect URI's origin.</summary>
    private Uri Proxy => stack.App.GetEndpoint("api", "http");

    [Fact]
    public async Task ApiReplicas_Started_AreTwoHealthyProcessesOnTheirOwnPortsBehindTheProxy()
    {
        output.WriteLine($"Stack with {ReplicatedStackFixture.Replicas} Api replicas healthy after {stack.StartDuration.TotalSeconds:F1} s.");
        foreach (var replica in stack.ApiReplicas)
        {
            output.WriteLine($"{replica.ResourceId}: pid {replica.ProcessId}, {replica.Address}");
        }

        Assert.Equal(ReplicatedStackFixture.Replicas, stack.ApiReplicas.Count);
        Assert.NotEqual(A.ProcessId, B.ProcessId);
        Assert.NotEqual(A.Address.Port, B.Address.Port);
        Assert.DoesNotContain(Proxy.Port, stack.ApiReplicas.Select(r => r.Address.Port));
        foreach (var replica in stack.ApiReplicas)
        {
            using var process = System.Diagnostics.Process.GetProcessById(replica.ProcessId);
            Assert.False(process.HasExited, $"{replica.ResourceId} (pid {replica.ProcessId}) has exited");
            // Healthy, not Degraded: the replica's token store is the AppHost's Redis, not its in-memory fallback.
            Assert.Equal("Healthy", await _http.GetStringAsync(new Uri(replica.Address, "/health")));
        }
    }

    [Fact]
    public async Task Login_StartedOnOneReplicaCallbackOnTheOther_BothReadThePatientAndLogoutOnOneIsSeenByTheOther()
    {
        using var login = await _http.GetAsync(new Uri(A.Address, $"/auth/{Platform}/login"));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = SessionCookieOf(login);

        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, new Uri(Proxy, "/oauth/callback").AbsoluteUri);
        using var page = await SendAsync(HttpMethod.Get, new Uri(B.Address, callback.PathAndQuery), cookie);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"callback on {B.ResourceId} answered {(int)page.StatusCode}: {html}");
        Assert.Contains("Connected to", html, StringComparison.Ordinal);

        foreach (var replica in stack.ApiReplicas)
        {
            await AssertReadsPatientAsync(replica, cookie, null);
        }

        using var logout = await SendAsync(HttpMethod.Post, new Uri(B.Address, $"/auth/{Platform}/logout"), cookie);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.True(JsonDocument.Parse(await logout.Content.ReadAsStringAsync()).RootElement.GetProperty("removed").GetBoolean());

        using var afterLogout = await UntilAsync(
            () => SendAsync(HttpMethod.Get, new Uri(A.Address, PatientPath), cookie), response => response.StatusCode != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        Assert.Contains($"/auth/{Platform}/login", afterLogout.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpStartAuth_CallbackOnAnApiReplica_McpAndBothReplicasShareTheConnection()
    {
        var mcpEndpoint = new Uri(stack.App.GetEndpoint("mcp", "http"), "/mcp");
        string key;
        await using (var anonymous = await ConnectMcpAsync(mcpEndpoint, key: null))
        {
            var started = await CallAsync(anonymous, "start_auth", new() { ["platform_id"] = Platform });
            key = Field(started, "gateway_key");
            using var sandbox = new SandboxLogin();
            var callback = await sandbox.AuthorizeAsync(new Uri(Field(started, "authorize_url")), new Uri(Proxy, "/oauth/callback").AbsoluteUri);
            // A key-owned flow has no browser binding: the callback needs no cookie, only the pending state in Redis.
            using var page = await _http.GetAsync(new Uri(B.Address, callback.PathAndQuery));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        await using var agent = await ConnectMcpAsync(mcpEndpoint, key);
        var read = await CallAsync(agent, "read", new() { ["platform_id"] = Platform, ["resource_type"] = "Patient", ["id"] = SandboxServers.PatientId });
        Assert.Contains(SandboxServers.PatientId, read, StringComparison.Ordinal);
        foreach (var replica in stack.ApiReplicas)
        {
            await AssertReadsPatientAsync(replica, null, key);
        }

        // Revoked through replica A, the connection is gone for the Mcp too.
        using var logout = await SendAsync(HttpMethod.Post, new Uri(A.Address, $"/auth/{Platform}/logout"), null, key);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var refused = await UntilAsync(
            () => agent.CallToolAsync("read", new Dictionary<string, object?> { ["platform_id"] = Platform, ["resource_type"] = "Patient", ["id"] = SandboxServers.PatientId }).AsTask(),
            result => result.IsError == true);
        Assert.True(refused.IsError, $"read after logout answered: {Text(refused)}");
        Assert.Contains("start_auth", Text(refused), StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Calls <paramref name="call"/> until <paramref name="done"/> holds or <see cref="InvalidationWithin"/> has passed,
    /// and returns the last result. Another process drops its cached connection when the invalidation the logout
    /// published reaches it over Redis pub/sub, milliseconds after the logout's answer, not before it (one CI run read
    /// the Patient once more in between). The bound is a fifth of the token cache's lifetime (5 s, the default), so
    /// only the invalidation explains a refusal within it.
    /// </summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> call, Func<T, bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var result = await call();
            if (done(result) || waited.Elapsed > InvalidationWithin)
            {
                return result;
            }

            (result as IDisposable)?.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task AssertReadsPatientAsync(ApiReplica replica, string? cookie, string? key)
    {
        using var response = await SendAsync(HttpMethod.Get, new Uri(replica.Address, PatientPath), cookie, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica.ResourceId} answered {(int)response.StatusCode}: {body}");
        var patient = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Patient", patient.GetProperty("resourceType").GetString());
        Assert.Equal(SandboxServers.PatientId, patient.GetProperty("id").GetString());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string? cookie, string? key = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (cookie is not null)
        {
            // What a browser sends behind a load balancer: the one origin's cookie, whichever replica answers.
            request.Headers.Add("Cookie", cookie);
        }

        if (key is not null)
        {
            request.Headers.Add(GatewayKeyHeader, key);
        }

        return await _http.SendAsync(request);
    }

    private static string SessionCookieOf(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal));

    private static Task<McpClient> ConnectMcpAsync(Uri endpoint, string? key) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            AdditionalHeaders = key is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [GatewayKeyHeader] = key },
        }));

    private static async Task<string> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.False(result.IsError == true, $"{tool} answered an error: {Text(result)}");
        return Text(result);
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static string Field(string text, string name)
    {
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}: (?<v>\S+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{name}:' line in: {text}");
        return match.Groups["v"].Value;
    }
}

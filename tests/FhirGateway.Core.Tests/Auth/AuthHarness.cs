using FhirGateway.Core.Auth;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>
/// One gateway "process": the real SMART authorization service and in-memory token store from DI, configured
/// like the AppHost configures it, with the local-sandbox platform pointed at a running sandbox.
/// </summary>
internal sealed class AuthHarness : IAsyncDisposable
{
    public const string PublicUrl = "http://127.0.0.1:5999";
    public const string RedirectUri = PublicUrl + SmartAuthOptions.CallbackPath;
    public const string PlatformId = "local-sandbox";
    public const string ConfidentialSecret = "sandbox-confidential-secret-not-for-production";

    private readonly ServiceProvider _services;

    private AuthHarness(ServiceProvider services, TokenRequestCounter counter)
    {
        _services = services;
        Counter = counter;
    }

    public ISmartAuthorization Auth => _services.GetRequiredService<ISmartAuthorization>();

    public ITokenStore Store => _services.GetRequiredService<ITokenStore>();

    public TokenRequestCounter Counter { get; }

    public IServiceProvider Services => _services;

    /// <summary>The settings the AppHost would give the gateway for this sandbox.</summary>
    public static Dictionary<string, string?> Settings(SandboxServers sandbox)
    {
        var issuer = sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');
        return new()
        {
            [SmartAuthOptions.PublicUrlKey] = PublicUrl,
            [PlatformSettings.Key(PlatformId, PlatformSettings.FhirBaseUrl)] = sandbox.FhirBase(),
            [PlatformSettings.Key(PlatformId, PlatformSettings.AuthorizeUrl)] = issuer + "/auth",
            [PlatformSettings.Key(PlatformId, PlatformSettings.TokenUrl)] = issuer + "/token",
            [PlatformSettings.Key(PlatformId, PlatformSettings.RevokeUrl)] = issuer + "/token/revocation",
            [PlatformSettings.Key(PlatformId, PlatformSettings.ClientId)] = SandboxServers.PublicClientId,
        };
    }

    /// <summary>
    /// Builds a gateway. <paramref name="shareStoreWith"/> makes it a second replica of that one's (in-memory) store,
    /// lock and events; <paramref name="configureServices"/> runs after the gateway's registrations; with
    /// <paramref name="redis"/> the store is the Redis one (each harness its own connection, as separate processes).
    /// </summary>
    public static AuthHarness Create(
        IDictionary<string, string?> settings, TimeProvider? time = null, AuthHarness? shareStoreWith = null, Action<IServiceCollection>? configureServices = null,
        IConnectionMultiplexer? redis = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (shareStoreWith is not null)
        {
            services.AddSingleton(shareStoreWith.Store);
            services.AddSingleton(shareStoreWith._services.GetRequiredService<IConnectionLock>());
            services.AddSingleton(shareStoreWith._services.GetRequiredService<IConnectionEvents>());
        }

        services.AddPlatformRegistry();
        if (redis is not null)
        {
            services.AddSingleton(redis);
        }

        services.AddTokenStore(redis is null ? TokenStoreBackend.InMemory : TokenStoreBackend.Redis);
        services.AddSmartAuthorization();
        var counter = new TokenRequestCounter();
        services.AddHttpClient("smart-token").AddHttpMessageHandler(counter.CreateHandler);
        configureServices?.Invoke(services);
        return new AuthHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), counter);
    }

    /// <summary>Plays the user's browser through the sandbox's login form; returns the callback's parameters.</summary>
    public static async Task<AuthorizationCallback> BrowseAsync(AuthorizationStart start, string username = "patient")
    {
        using var browser = new SandboxLogin();
        return Callback(await browser.AuthorizeAsync(start.AuthorizeUrl, RedirectUri, username));
    }

    /// <summary>The whole login: start, browser, complete, as <paramref name="owner"/>.</summary>
    public async Task<AuthorizationCompleted> LoginAsync(OwnerKey owner, IReadOnlyList<string>? scopes = null)
    {
        var start = await Auth.StartAsync(owner, PlatformId, scopes);
        return await Auth.CompleteAsync(await BrowseAsync(start), owner);
    }

    public static AuthorizationCallback Callback(Uri redirect)
    {
        var query = QueryHelpers.ParseQuery(redirect.Query);
        string? Get(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        return new AuthorizationCallback(Get("code"), Get("state"), Get("iss"), Get("error"), Get("error_description"));
    }

    public static OwnerKey NewOwner() => OwnerKey.ForSession(Guid.NewGuid().ToString("N"));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

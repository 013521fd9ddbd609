using FhirGateway.Api.Identity;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FhirGateway.Api.Apis;

/// <summary>
/// SMART authorization over REST, in the original project's route shapes: log in to a platform, the OAuth
/// callback, status, waiting for a login to finish, and logout.
/// </summary>
internal static class AuthApi
{
    /// <summary>Longest a <c>wait</c> may hold the request open.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Authorization");

        auth.MapGet("/{platform_id}/login", Login)
            .WithName("Login")
            .WithSummary("Start a SMART authorization: 302 to the platform's login, or the URL as JSON with redirect=false.");

        auth.MapGet("/status", Status)
            .WithName("AuthStatus")
            .WithSummary("The session's platform connections (never a token).");

        auth.MapGet("/{platform_id}/wait", Wait)
            // A long poll bounded by its own timeout (MaxWait), not by FHIR_GATEWAY_REQUEST_TIMEOUT_SECONDS.
            .DisableRequestTimeout()
            .WithName("WaitForAuth")
            .WithSummary("Long poll: answers as soon as the platform's login completes or fails, or at the timeout (seconds).");

        auth.MapPost("/{platform_id}/logout", Logout)
            .AddEndpointFilter<SameOriginFilter>()
            .WithName("Logout")
            .WithSummary("Revoke at the platform where it can, and forget the connection.");

        app.MapGet("/oauth/callback", Callback)
            .WithTags("Authorization")
            .WithName("OAuthCallback")
            .WithSummary("The OAuth 2.0 redirect URI: completes the authorization and shows the result.")
            .ExcludeFromDescription();

        return app;
    }

    public static async Task<Results<RedirectHttpResult, Ok<LoginStarted>>> Login(
        [FromRoute(Name = "platform_id")] string platformId, bool? redirect, string? scopes, [FromQuery(Name = "return_to")] string? returnTo,
        HttpContext context, GatewaySession session, ISmartAuthorization authorization, CancellationToken cancellationToken)
    {
        var owner = RequestOwner.Resolve(context) ?? session.GetOrStart(context);
        var requested = string.IsNullOrWhiteSpace(scopes) ? null : scopes.Split(' ', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var start = await authorization.StartAsync(owner, platformId, requested, returnTo, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return redirect == false
            ? TypedResults.Ok(new LoginStarted(start.PlatformId, start.AuthorizeUrl.AbsoluteUri, start.ExpiresAt))
            : TypedResults.Redirect(start.AuthorizeUrl.AbsoluteUri);
    }

    public static async Task<IResult> Callback(
        string? code, string? state, string? iss, string? error, [FromQuery(Name = "error_description")] string? errorDescription,
        HttpContext context, ISmartAuthorization authorization, IPlatformRegistry platforms, CancellationToken cancellationToken)
    {
        try
        {
            var completed = await authorization.CompleteAsync(
                new AuthorizationCallback(code, state, iss, error, errorDescription), GatewaySession.Current(context), cancellationToken);
            if (completed.ReturnUrl is { } returnUrl)
            {
                return TypedResults.Redirect($"{returnUrl}{(returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}connected={Uri.EscapeDataString(completed.PlatformId)}");
            }

            var name = platforms.TryGet(completed.PlatformId, out var platform) ? platform.Definition.DisplayName : completed.PlatformId;
            return CallbackPage.Connected(name, completed.Status);
        }
        catch (GatewayException failure)
        {
            return CallbackFailureRedirect.For(failure) ?? CallbackPage.Failed((int)failure.Status, failure.Message);
        }
    }

    public static async Task<Ok<ConnectionList>> Status(
        [FromQuery(Name = "platform_id")] string? platformId, HttpContext context, ITokenStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (RequestOwner.Resolve(context) is not { } owner)
        {
            return TypedResults.Ok(new ConnectionList([]));
        }

        var now = time.GetUtcNow();
        var connections = await store.ListAsync(owner, cancellationToken);
        return TypedResults.Ok(new ConnectionList(connections
            .Where(c => platformId is null || string.Equals(c.PlatformId, platformId, StringComparison.OrdinalIgnoreCase))
            .Select(c => ConnectionStatus.From(c, now))
            .OrderBy(c => c.PlatformId, StringComparer.Ordinal)
            .ToList()));
    }

    public static async Task<Results<Ok<WaitResult>, JsonHttpResult<OperationOutcome>>> Wait(
        [FromRoute(Name = "platform_id")] string platformId, double? timeout, HttpContext context,
        IPlatformRegistry platforms, ITokenStore store, IConnectionEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        var platform = platforms.Find(platformId) ?? throw new PlatformNotFoundException(platformId);
        if (timeout is < 0 or > 300 || timeout is double.NaN)
        {
            return FhirResults.BadRequest($"timeout must be between 0 and {MaxWait.TotalSeconds} seconds.");
        }

        if (RequestOwner.Resolve(context) is not { } owner)
        {
            return TypedResults.Ok(WaitResult.NotStarted(platform.Id));
        }

        // Listen before looking, so a callback landing in between still wakes this request.
        await using var listener = await events.ListenAsync(owner, platform.Id, cancellationToken);
        if (await store.GetAsync(owner, platform.Id, cancellationToken) is { ReauthorizationReason: null } existing)
        {
            return TypedResults.Ok(WaitResult.From(ConnectionStatus.From(existing, time.GetUtcNow())));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultWait);
        while (true)
        {
            ConnectionEvent next;
            try
            {
                next = await listener.NextAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TypedResults.Ok(WaitResult.Pending(platform.Id));
            }

            switch (next.Kind)
            {
                case ConnectionEventKind.Connected when await store.GetAsync(owner, platform.Id, cancellationToken) is { } connected:
                    return TypedResults.Ok(WaitResult.From(ConnectionStatus.From(connected, time.GetUtcNow())));
                case ConnectionEventKind.Failed:
                    return TypedResults.Ok(WaitResult.Failed(platform.Id, next.Message));
            }
        }
    }

    public static async Task<Ok<LogoutResult>> Logout(
        [FromRoute(Name = "platform_id")] string platformId, HttpContext context, IPlatformRegistry platforms,
        ISmartAuthorization authorization, CancellationToken cancellationToken)
    {
        var platform = platforms.Find(platformId) ?? throw new PlatformNotFoundException(platformId);
        var removed = RequestOwner.Resolve(context) is { } owner && await authorization.LogoutAsync(owner, platform.Id, cancellationToken);
        return TypedResults.Ok(new LogoutResult(platform.Id, removed));
    }
}

/// <summary>A started login, for clients that open the URL themselves.</summary>
internal sealed record LoginStarted(string PlatformId, string AuthorizationUrl, DateTimeOffset ExpiresAt);

/// <summary>The session's connections.</summary>
internal sealed record ConnectionList(IReadOnlyList<ConnectionStatus> Connections);

/// <summary>The outcome of a logout.</summary>
internal sealed record LogoutResult(string PlatformId, bool Removed);

/// <summary>What a wait ended with: <c>connected</c>, <c>failed</c>, <c>pending</c> (timeout) or <c>not_started</c>.</summary>
internal sealed record WaitResult(string PlatformId, string Status, ConnectionStatus? Connection, string? Message)
{
    public static WaitResult From(ConnectionStatus status) => new(status.PlatformId, "connected", status, null);

    public static WaitResult Failed(string platformId, string? message) => new(platformId, "failed", null, message);

    public static WaitResult Pending(string platformId) => new(platformId, "pending", null, "No login completed before the timeout.");

    public static WaitResult NotStarted(string platformId) => new(platformId, "not_started", null, "This client has no gateway session: start with /auth/{platform_id}/login.");
}

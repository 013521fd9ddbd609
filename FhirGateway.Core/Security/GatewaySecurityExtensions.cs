using FhirGateway.Core.Hosting;
using FhirGateway.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Security;

/// <summary>Who may use the gateway, and the limits and headers both front-ends apply (issue 7).</summary>
public static class GatewaySecurityExtensions
{
    /// <summary>
    /// Bearer-token identity, rate limits, request timeouts, CORS, HSTS and Data Protection, with settings checked at
    /// start. <typeparamref name="TRefusal"/> words the refusals in the front-end's format. Call after
    /// <c>AddGatewayCore</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGatewaySecurity<TRefusal>(this IHostApplicationBuilder builder)
        where TRefusal : class, IGatewayRefusal
    {
        var services = builder.Services;
        services.AddSingleton<IGatewayRefusal, TRefusal>();
        GatewayAuthentication.Add(builder);

        services.AddOptions<GatewaySecurityOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<GatewaySecurityOptions>, ConfigureGatewaySecurityOptions>();
        services.AddSingleton<IValidateOptions<GatewaySecurityOptions>, ValidateGatewaySecurityOptions>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayRateLimits>();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<GatewaySecurityOptions>>((cors, options) => GatewayCors.Configure(cors, options.Value));
        services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<GatewaySecurityOptions>>((forwarded, options) =>
            GatewayForwardedHeaders.Configure(forwarded, options.Value));

        GatewayDataProtection.Add(services, RedisConfiguration.Apply(builder.Configuration));
        return builder;
    }

    /// <summary>
    /// The middleware, in order: forwarded headers from trusted proxies only (when any are configured), security headers (on every answer), HSTS over https outside Development, CORS
    /// (answers preflights, on requests with an Origin), bearer authentication, rate limits (by user, else by IP), the
    /// identity guard (bad token or required-and-anonymous: 401), request timeouts; authentication and the guard only
    /// when an identity provider is configured. Call before mapping endpoints.
    /// </summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewaySecurityOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // CORS concerns only what a browser sends with an Origin header; without one it would only resolve its
        // policy provider, and with it the request's service scope.
        app.UseWhen(static context => context.Request.Headers.Origin.Count > 0, static cors => cors.UseCors());

        // Without an identity provider there is no bearer scheme to run and nothing for the guard to refuse.
        var identity = GatewayAuthentication.IsConfigured(app.Configuration);
        if (identity)
        {
            app.UseAuthentication();
        }

        app.UseMiddleware<GatewayRateLimitMiddleware>();
        if (identity)
        {
            app.UseMiddleware<GatewayIdentityGuard>();
        }

        app.UseMiddleware<GatewayRequestTimeout>();
        return app;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FhirGateway.Core.Identity;

/// <summary>Bearer-token authentication (JwtBearer) against the configured identity provider.</summary>
internal static class GatewayAuthentication
{
    /// <summary>
    /// Registers the settings, and the JwtBearer scheme when <see cref="GatewayAuthOptions.IssuerKey"/> is set: issuer,
    /// audience, lifetime and signature (keys from the provider's JWKS, refetched when a new key id appears). Without
    /// it, no authentication at all: registering the services alone would make the host run the authentication
    /// middleware on every request, with no scheme to run.
    /// </summary>
    public static void Add(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayAuthOptions>().ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<GatewayAuthOptions>, ConfigureGatewayAuthOptions>();
        builder.Services.AddSingleton<IValidateOptions<GatewayAuthOptions>, ValidateGatewayAuthOptions>();
        if (IsConfigured(builder.Configuration))
        {
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IOptions<GatewayAuthOptions>, IHostEnvironment>(Configure);
        }
    }

    /// <summary>Whether an identity provider is configured (<see cref="GatewayAuthOptions.IssuerKey"/>), so bearer tokens are checked.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[GatewayAuthOptions.IssuerKey]);

    private static void Configure(JwtBearerOptions jwt, IOptions<GatewayAuthOptions> settings, IHostEnvironment environment)
    {
        var options = settings.Value;
        jwt.Authority = options.Issuer;
        if (options.MetadataUrl is { } metadata)
        {
            jwt.MetadataAddress = metadata;
        }

        jwt.RequireHttpsMetadata = !environment.IsDevelopment();
        // Claims keep their JWT names (sub, realm_access), not the WS-* URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudiences = options.Audiences,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = options.ClockSkew,
            NameClaimType = GatewayUser.SubjectClaim,
            RoleClaimType = KeycloakRoles.RoleClaim,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                KeycloakRoles.AddTo(context.Principal!);
                return Task.CompletedTask;
            },
        };
    }
}

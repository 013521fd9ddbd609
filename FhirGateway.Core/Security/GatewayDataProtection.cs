using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Security;

/// <summary>
/// ASP.NET Core Data Protection (what protects framework cookies and antiforgery tokens) under one application
/// name for both front-ends, its key ring in Redis when Redis is configured, so every replica reads what another
/// protected. Without Redis the keys stay in the process's default location, as for one development process.
/// </summary>
internal static class GatewayDataProtection
{
    public const string ApplicationName = "FhirGateway";
    public const string RedisKey = "fhirgw:data-protection-keys";

    public static void Add(IServiceCollection services, bool redis)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        if (redis)
        {
            services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
                options.XmlRepository = new RedisXmlRepository(() => provider.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), RedisKey));
        }
    }
}

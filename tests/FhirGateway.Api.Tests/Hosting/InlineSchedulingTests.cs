using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FhirGateway.Api.Tests.Hosting;

/// <summary>
/// Kestrel runs a request on the socket thread that read it exactly when the runtime inlines socket completions, the
/// switch the AppHost deploys the Api with (its model test checks that side): the two go together or not at all.
/// </summary>
public sealed class InlineSchedulingTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData(null, false)]
    public void Kestrel_SchedulesInline_OnlyWithTheRuntimesInlineCompletions(string? inlineCompletions, bool expected)
    {
        using var factory = new PlatformsApiFactory().WithWebHostBuilder(builder =>
        {
            if (inlineCompletions is not null)
            {
                builder.UseSetting("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", inlineCompletions);
            }
        });

        var transport = factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(expected, transport.UnsafePreferInlineScheduling);
    }
}

using FhirGateway.Api.Tests.Auth;

namespace FhirGateway.Api.Tests.Pages;

/// <summary>The real sandbox and the Api on Kestrel (as for the auth tests), plus a headless Chromium.</summary>
public sealed class ConnectionsPageFixture : GatewayFixture
{
    private Chromium? _chromium;

    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

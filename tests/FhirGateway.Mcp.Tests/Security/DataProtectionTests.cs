extern alias api;

using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.Mcp.Tests.Security;

/// <summary>Data Protection keys live in the shared Redis: what one process protects, another (a replica) reads.</summary>
public sealed class DataProtectionTests(SecureMcpFixture fixture) : IClassFixture<SecureMcpFixture>
{
    [Fact]
    public void Unprotect_ProtectedByTheOtherProcess_ReadsTheSameKeyRing()
    {
        const string purpose = "fhirgw-tests";
        var protectedByApi = fixture.Api.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("shared secret");

        var readByMcp = fixture.Limited.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(protectedByApi);

        Assert.Equal("shared secret", readByMcp);
    }
}

using Microsoft.Extensions.Configuration;

namespace FhirGateway.AppHost.Tests;

public sealed class StackModeResolverTests
{
    [Theory]
    [InlineData(null, true, "Container")]
    [InlineData(null, false, "Local")]
    [InlineData("auto", true, "Container")]
    [InlineData("auto", false, "Local")]
    [InlineData("local", true, "Local")]
    [InlineData("container", false, "Container")]
    [InlineData("LOCAL", true, "Local")]
    public void Resolve_ModeAndRuntime_PicksTheStack(string? mode, bool runtimeAnswers, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["mode"] = mode }).Build();

        Assert.Equal(Enum.Parse<StackMode>(expected), StackModeResolver.Resolve(configuration, () => runtimeAnswers));
    }

    [Fact]
    public void Resolve_ParameterSetting_IsHonoured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Parameters:mode"] = "local" }).Build();

        Assert.Equal(StackMode.Local, StackModeResolver.Resolve(configuration, () => true));
    }
}

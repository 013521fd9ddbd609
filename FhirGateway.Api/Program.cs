using System.Text.Json;
using FhirGateway.Api.Apis;
using FhirGateway.Core.Hosting;
using FhirGateway.Core.Platforms;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayCore();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    // Answers use the snake_case names of the original project and of the platform files.
    options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, PlatformJsonContext.Default);
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPlatformsApi();

app.Run();

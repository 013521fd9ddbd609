using System.Text.Json;
using FhirGateway.Api.Apis;
using FhirGateway.Api.Errors;
using FhirGateway.Api.Hosting;
using FhirGateway.Api.Identity;
using FhirGateway.Api.Security;
using FhirGateway.Api.OpenApi;
using FhirGateway.Api.Pages;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Hosting;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddInlineScheduling();
builder.AddGatewayCore();
builder.Services.AddFhirApi();
builder.AddGatewaySecurity<OutcomeRefusal>();
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.Services.AddSingleton<GatewaySession>();
builder.Services.AddGatewayOpenApi();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    // Answers use the snake_case names of the original project and of the platform files.
    options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, PlatformJsonContext.Default);
});

var app = builder.Build();

// GatewayExceptionHandler answers every exception; the empty fallback branch is never reached.
app.UseExceptionHandler(_ => { });
app.UseGatewaySecurity();
app.MapDefaultEndpoints();
app.MapPlatformsApi();
app.MapAuthApi();
app.MapFhirApi();
app.MapCoverageApi();
app.MapConnectionsPage();
app.MapGatewayOpenApi();

app.Run();

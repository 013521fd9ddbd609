using FhirGateway.Core.Hosting;
using FhirGateway.Mcp.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayCore();
builder.AddGatewayMcp();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGatewayMcp();

app.Run();

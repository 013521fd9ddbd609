using FhirGateway.Core.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayCore();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();

using FhirGateway.Core.Hosting;
using FhirGateway.Core.Security;
using FhirGateway.Mcp.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayCore();
builder.AddGatewayMcp();
builder.AddGatewaySecurity<McpRefusal>();

var app = builder.Build();

app.UseGatewaySecurity();
app.MapDefaultEndpoints();
app.MapGatewayMcp();

app.Run();

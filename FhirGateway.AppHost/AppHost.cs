var builder = DistributedApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();

using Yarp.ReverseProxy.Configuration;

// Bare YARP: one catch-all route to the backend named by BACKEND (default http://127.0.0.1:5901/).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var backend = builder.Configuration["BACKEND"] ?? "http://127.0.0.1:5901/";
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["d1"] = new() { Address = backend } } }]);
var app = builder.Build();
app.MapReverseProxy();
app.Run();

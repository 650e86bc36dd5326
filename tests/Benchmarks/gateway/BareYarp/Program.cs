using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

// Bare YARP: one catch-all route to the backend named by BACKEND (default http://127.0.0.1:5901/). BACKEND_HTTP2=1
// talks cleartext HTTP/2 to it, and Kestrel:Sockets takes the same transport settings as the gateway, so the
// reference proxy runs with the same transport as the gateway it is compared with.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(o => builder.Configuration.GetSection("Kestrel:Sockets").Bind(o));
var backend = builder.Configuration["BACKEND"] ?? "http://127.0.0.1:5901/";
var http2 = builder.Configuration["BACKEND_HTTP2"] == "1";
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "backend",
        Destinations = new Dictionary<string, DestinationConfig> { ["d1"] = new() { Address = backend } },
        HttpRequest = http2 ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact } : null,
    }]);
var app = builder.Build();
app.MapReverseProxy();
app.Run();

using DialerCluster.Host;
using DialerCluster.Host.Auth;
using DialerCluster.Host.Live;
using DialerCluster.Host.Metrics;
using DialerCluster.Host.Tracing;
using DialerCluster.Host.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddDialerCluster();
builder.AddDialerApi();
builder.AddDialerMetrics();
builder.AddDialerTracing();
builder.Services.AddDialerAuth(builder.Configuration);
builder.Services.AddLiveStream();
var app = builder.Build();
app.UseSecurityHeaders();
app.UseDialerApi();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseDialerAuth();
app.MapGet("/healthz", () => "ok");
app.MapDialerMetrics();
app.MapDialerAuth();
app.MapLiveStream();
app.MapDialerApi();
app.Run();

public partial class Program;

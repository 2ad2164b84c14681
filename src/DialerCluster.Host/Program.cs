using DialerCluster.Host.Metrics;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPrometheusMetrics();
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.MapPrometheusMetrics();
app.Run();

public partial class Program;

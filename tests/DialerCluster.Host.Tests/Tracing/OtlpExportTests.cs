using System.Net;
using System.Text;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace DialerCluster.Host.Tests.Tracing;

/// <summary>
/// OTLP export runs exactly when OTEL_EXPORTER_OTLP_ENDPOINT is set: the host posts its spans (OTLP over HTTP,
/// protobuf) to a collector stand-in listening on loopback, and registers no exporter at all without the variable.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact(Timeout = 60_000)]
    public async Task With_an_OTLP_endpoint_the_dialers_spans_are_exported_there()
    {
        using var collector = new OtlpCollector();
        await using var factory = new OtlpFactory(collector.Endpoint);
        using var admin = await factory.AdminAsync();

        await admin.ImportAsync("exported import", "name,phone\nExported Lead," + ApiCalls.Phones(1)[0]);

        Assert.NotNull(factory.Services.GetService<TracerProvider>());
        var body = await collector.WaitForAsync("import", TimeSpan.FromSeconds(30));
        Assert.Contains("DialerCluster", body, StringComparison.Ordinal);
        Assert.Contains("dialer.import.accepted", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_no_tracer_is_registered()
    {
        await using var factory = new OtlpFactory(null);
        using var client = factory.CreateClient();
        (await client.GetAsync("/healthz")).Dispose();

        Assert.Null(factory.Services.GetService<TracerProvider>());
    }

    private sealed class OtlpFactory(Uri? endpoint) : DialerHostFactory
    {
        protected override void ConfigureHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Demo:Enabled", "false");
            if (endpoint is not null)
            {
                builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.ToString().TrimEnd('/'));
                builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
                builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "200");
            }
        }
    }

    /// <summary>A stand-in OTLP/HTTP collector: keeps the bodies posted to /v1/traces (protobuf; span names and tags are plain UTF-8 inside).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<string> _bodies = [];
        private readonly Task _loop;

        public OtlpCollector()
        {
            Endpoint = new Uri($"http://127.0.0.1:{PrometheusTools.FreeLoopbackPort()}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri Endpoint { get; }

        public async Task<string> WaitForAsync(string text, TimeSpan limit)
        {
            var deadline = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < deadline)
            {
                lock (_bodies)
                {
                    if (_bodies.FirstOrDefault(b => b.Contains(text, StringComparison.Ordinal)) is { } body)
                    {
                        return body;
                    }
                }

                await Task.Delay(100);
            }

            lock (_bodies)
            {
                throw new Xunit.Sdk.XunitException($"no OTLP export containing '{text}' within {limit}; {_bodies.Count} posts received");
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    lock (_bodies)
                    {
                        _bodies.Add(Encoding.UTF8.GetString(buffer.ToArray()));
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}

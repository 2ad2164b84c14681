using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Host.Api;
using DialerCluster.Host.Auth;
using DialerCluster.Host.Cluster;
using DialerCluster.Host.Demo;
using DialerCluster.Host.Imports;
using DialerCluster.Host.Json;
using DialerCluster.Host.OpenApi;
using DialerCluster.Host.Telephony;
using DialerCluster.Storage;
using DialerCluster.Telephony.DialLog;
using DialerCluster.Telephony.Simulation;
using DialerCluster.Telephony.Sip;
using Orleans.Configuration;

namespace DialerCluster.Host;

/// <summary>The composition root, one concern per method, so Program.cs reads as a table of contents.</summary>
internal static class HostingExtensions
{
    /// <summary>Storage (SQLite file by default, PostgreSQL when configured), the Orleans silo and the dialer's grains.</summary>
    public static WebApplicationBuilder AddDialerCluster(this WebApplicationBuilder builder)
    {
        // Storage first: its hosted service migrates the schema before the silo (a hosted service too) starts.
        builder.Services.AddDialerStorage(builder.Configuration);
        builder.AddDialerSilo();
        builder.AddClusterView();
        builder.Services.AddDialingGrains();
        builder.AddTelephony();
        builder.Services.AddDialer(DialerSettings(builder.Configuration.GetSection("Dialer")));
        builder.AddDialerDemo();
        return builder;
    }

    /// <summary>
    /// The Orleans silo in this process (the co-hosted client calls it with no network hop), its grain state and
    /// reminders on the dialer's database. On the embedded SQLite file: one node, localhost clustering. With
    /// PostgreSQL: membership in the database, so any node started on it joins the cluster (<see cref="ClusterSettings"/>).
    /// A call to a grain on a node that is dying is sent again while it provably never arrived (<see cref="RetryUndeliveredCallsFilter"/>);
    /// the campaigns that dial are woken at start and when a node dies (<see cref="CampaignWakeUp"/>).
    /// </summary>
    public static WebApplicationBuilder AddDialerSilo(this WebApplicationBuilder builder)
    {
        var cluster = ClusterSettings.From(builder.Configuration);
        var storage = StorageOptions.FromConfiguration(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            if (storage.Dialect == StorageDialect.Sqlite)
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: ClusterSettings.DefaultId, clusterId: cluster.Id);
            }
            else
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.Id, ClusterSettings.DefaultId));
                silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
                silo.Configure<ClusterMembershipOptions>(ClusterSettings.DetectFailuresFast);
            }

            silo.UseDialerStorage(storage);
            silo.AddDialerDashboard();
            silo.AddOutgoingGrainCallFilter<RetryUndeliveredCallsFilter>();
        });
        builder.Services.AddHostedService<CampaignWakeUp>();
        return builder;
    }

    /// <summary>
    /// The telephony gateway (<c>Telephony:Gateway</c>): <c>simulated</c>, the seeded simulated carrier on real time
    /// (<c>Telephony:Simulated:*</c>), or <c>sip</c>, the SIP user agent toward the carrier trunk
    /// (<c>Telephony:Sip:*</c>, see <see cref="SipSettings"/>), bound at start and closed at stop, its trunk ping on /healthz.
    /// <c>Telephony:Simulated:DialLog</c> names a file the simulated carrier appends every dial to (<see cref="DialLogGateway"/>),
    /// so a test can read what every node of a cluster dialed.
    /// </summary>
    public static WebApplicationBuilder AddTelephony(this WebApplicationBuilder builder)
    {
        var health = builder.Services.AddHealthChecks();
        var gateway = builder.Configuration["Telephony:Gateway"] is { Length: > 0 } configured ? configured.Trim().ToLowerInvariant() : "simulated";
        switch (gateway)
        {
            case "simulated":
                var options = SimulatedCarrierSettings(builder.Configuration.GetSection("Telephony:Simulated"));
                var dialLog = builder.Configuration["Telephony:Simulated:DialLog"];
                var node = ClusterSettings.From(builder.Configuration).Node;
                builder.Services.AddSingleton<ITelephonyGateway>(sp =>
                {
                    var time = sp.GetRequiredService<TimeProvider>();
                    var carrier = new SimulatedCarrier(options, time);
                    return string.IsNullOrWhiteSpace(dialLog) ? carrier : new DialLogGateway(carrier, dialLog, node, time);
                });
                break;
            case "sip":
                var sip = SipSettings.Read(builder.Configuration.GetSection("Telephony:Sip"));
                builder.Services.AddSingleton(sp => new SipGateway(sip, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SipGateway>>()));
                builder.Services.AddSingleton<ITelephonyGateway>(sp => sp.GetRequiredService<SipGateway>());
                builder.Services.AddHostedService<SipGatewayService>();
                health.AddCheck<SipTrunkHealthCheck>("sip-trunk");
                break;
            default:
                throw new InvalidOperationException($"Telephony:Gateway must be simulated or sip, not '{gateway}'.");
        }

        return builder;
    }

    /// <summary>The HTTP API's plumbing: JSON wire names, problem details for every error, OpenAPI.</summary>
    public static WebApplicationBuilder AddDialerApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => DialerJson.Configure(options.SerializerOptions));

        // Binding failures throw, so the exception handler can name the field instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddDialerOpenApi();
        var imports = ImportSettings.FromConfiguration(builder.Configuration.GetSection(ContactImportOptions.Section));
        builder.Services.AddSingleton(imports);
        builder.Services.AddSingleton(new ContactImportReader(imports.Reader));
        builder.Services.AddSingleton<CaseHolders>();
        builder.Services.AddSingleton<Audit.AuditTrail>();
        builder.Services.AddSingleton<Reports.ReportBuilder>();
        return builder;
    }

    /// <summary>Errors first in the pipeline: nothing below it can answer with a stack trace.</summary>
    public static WebApplication UseDialerApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiProblems.WriteStatusCodePageAsync);
        return app;
    }

    /// <summary>Every /api route, grouped per resource so authorization can be added per group in one place.</summary>
    public static WebApplication MapDialerApi(this WebApplication app)
    {
        app.MapDialerOpenApi(app.Services.GetRequiredService<AuthOptions>().OpenApiAnonymous);
        var api = app.MapGroup("/api").CheckDisplayedText();
        api.MapCampaigns();
        api.MapAgents();
        api.MapCases();
        api.MapContacts();
        api.MapDoNotCall();
        api.MapMonitor();
        api.MapCluster();
        api.MapReports();
        api.MapCallLog();
        api.MapReminders();
        api.MapSupervisorActions();
        return app;
    }

    /// <summary>
    /// The dialing engine's node-wide settings (<c>Dialer:*</c>): <c>CallerId</c> (E.164), <c>RingTimeoutSeconds</c>,
    /// <c>PacingIntervalMilliseconds</c>, <c>MaxLinesPerAgent</c>. A bad value stops the start-up naming the key.
    /// </summary>
    private static DialerOptions DialerSettings(IConfigurationSection section)
    {
        var defaults = new DialerOptions();
        DialerOptions options;
        try
        {
            options = defaults with
            {
                CallerId = section["CallerId"] is { Length: > 0 } callerId ? callerId.Trim() : defaults.CallerId,
                RingTimeout = section.GetValue<double?>("RingTimeoutSeconds") is { } ring ? TimeSpan.FromSeconds(ring) : defaults.RingTimeout,
                PacingInterval = section.GetValue<double?>("PacingIntervalMilliseconds") is { } pacing ? TimeSpan.FromMilliseconds(pacing) : defaults.PacingInterval,
                MaxLinesPerAgent = section.GetValue("MaxLinesPerAgent", defaults.MaxLinesPerAgent),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException($"Dialer: {ex.Message}", ex);
        }

        var keys = new Dictionary<string, string>
        {
            [nameof(DialerOptions.CallerId)] = "CallerId",
            [nameof(DialerOptions.RingTimeout)] = "RingTimeoutSeconds",
            [nameof(DialerOptions.PacingInterval)] = "PacingIntervalMilliseconds",
            [nameof(DialerOptions.MaxLinesPerAgent)] = "MaxLinesPerAgent",
        };
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"Dialer:{keys[e.Setting]} {e.Reason}")));
        }

        return options;
    }

    /// <summary>
    /// Rates as fractions (AnswerRate 0.3), times in seconds (RingSeconds, TalkSeconds: means); a bad value stops the
    /// start-up with the key named rather than dial with a silently different carrier.
    /// </summary>
    private static SimulatedCarrierOptions SimulatedCarrierSettings(IConfigurationSection section)
    {
        var defaults = new SimulatedCarrierOptions();
        var ring = section.GetValue<double?>("RingSeconds");
        var talk = section.GetValue<double?>("TalkSeconds");
        var options = defaults with
        {
            Seed = section.GetValue("Seed", defaults.Seed),
            AnswerRate = section.GetValue("AnswerRate", defaults.AnswerRate),
            MachineRate = section.GetValue("MachineRate", defaults.MachineRate),
            BusyRate = section.GetValue("BusyRate", defaults.BusyRate),
            FailureRate = section.GetValue("FailureRate", defaults.FailureRate),
            RingTime = ring is { } r ? DurationDistribution.LogNormal(Seconds("RingSeconds", r), 0.5) : defaults.RingTime,
            TalkTime = talk is { } t ? DurationDistribution.LogNormal(Seconds("TalkSeconds", t), 0.8) : defaults.TalkTime,
            PostDialDelay = section.GetValue<double?>("PostDialSeconds") is { } p
                ? DurationDistribution.Fixed(TimeSpan.FromSeconds(Math.Max(0, p)))
                : defaults.PostDialDelay,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Telephony:Simulated: {ex.Message}", ex);
        }

        return options;

        static TimeSpan Seconds(string key, double value) => value > 0 && value < 3600
            ? TimeSpan.FromSeconds(value)
            : throw new InvalidOperationException($"Telephony:Simulated:{key} must be more than 0 and less than 3600 seconds, not {value}.");
    }
}

# syntax=docker/dockerfile:1
# DialerCluster node: build with the .NET SDK, run on the ASP.NET Core runtime image as a non-root user.
#
#   docker build -t dialercluster .
#   docker run -p 8080:8080 -v dialercluster-data:/data -e DIALER_ADMIN_PASSWORD=... dialercluster
#
# Configuration is by environment variable only (nothing baked into the image):
#   DIALER_POSTGRES        PostgreSQL connection string; unset = the embedded SQLite file under /data
#   DIALER_ADMIN_PASSWORD  password of the first administrator, created on first start
#   Storage__DataFolder where the SQLite file lives (default /data, a volume)
#   Metrics__ScrapeToken   bearer token Prometheus sends to /metrics (without it, or Metrics__Url, only the
#                          container itself may read /metrics)
#   OTEL_EXPORTER_OTLP_ENDPOINT  where to send traces over OTLP (unset: none are sent)
#   any other setting as Section__Key, the ASP.NET Core convention (e.g. Logging__LogLevel__Default=Debug)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore from the project files alone first: this layer is reused until a package or a project
# reference changes, not on every source edit. A new project under src/ that the host references
# needs its .csproj line here too.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/DialerCluster.Host/DialerCluster.Host.csproj src/DialerCluster.Host/
COPY src/DialerCluster.Dialing/DialerCluster.Dialing.csproj src/DialerCluster.Dialing/
COPY src/DialerCluster.Storage/DialerCluster.Storage.csproj src/DialerCluster.Storage/
COPY src/DialerCluster.Telephony/DialerCluster.Telephony.csproj src/DialerCluster.Telephony/
RUN dotnet restore src/DialerCluster.Host/DialerCluster.Host.csproj

COPY src/ src/
RUN dotnet publish src/DialerCluster.Host/DialerCluster.Host.csproj \
        --configuration Release --no-restore --output /app \
        -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime

# The ASP.NET Core image ships neither curl nor wget, and the host has no self-probe mode. curl is a few
# hundred kilobytes and makes the health check one readable line; a hand-written HTTP request over
# bash's /dev/tcp would avoid the package but parse the response by hand and break quietly.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# The SQLite file (embedded default store) lives on a volume owned by the non-root 'app' user
# (APP_UID, 1654 in Microsoft's images), so data survives container replacement.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data

WORKDIR /app
COPY --from=build --chown=root:root /app ./

# ASPNETCORE_URLS takes precedence over the image's ASPNETCORE_HTTP_PORTS (same port; Kestrel logs that once).
# Cluster__*: with DIALER_POSTGRES set, every container on that database joins one cluster (README "Run a cluster").
# Each container must also set Cluster__AdvertisedAddress to its own IP address, the one the other nodes reach it on
# (left unset, it is 127.0.0.1, which only a one-node cluster can use). Tokens open on every node: the key ring that
# seals them is kept in the database.
ENV ASPNETCORE_URLS=http://+:8080 \
    Storage__DataFolder=/data \
    Cluster__Id=dialer \
    Cluster__SiloPort=11111 \
    Cluster__GatewayPort=30000 \
    DOTNET_NOLOGO=1
EXPOSE 8080 11111 30000

USER $APP_UID

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl --fail --silent --show-error --max-time 2 http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["dotnet", "DialerCluster.Host.dll"]

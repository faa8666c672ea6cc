# The controller and receive-adapter images, from one multi-stage file. Pick one with --target:
#
#   docker build --target controller -t rocketmqsource-controller .
#   docker build --target adapter    -t rocketmqsource-adapter .
#
# hack/release.sh runs these with the image names and base images recorded in ko.yaml.
# The adapter is a Native AOT executable on the runtime-deps chiseled image (one per source and
# replica, so its memory and cold start multiply); the controller, one per cluster, stays a
# framework-dependent publish on the ASP.NET Core chiseled image (README "Packaging").
# For arm64: --platform linux/arm64 --build-arg RID=linux-arm64 (Native AOT compiles for the
# build stage's own architecture).

# The runtime image of each final stage (ko.yaml: baseImageOverrides; hack/release.sh passes <ID>_BASE).
ARG CONTROLLER_BASE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
ARG ADAPTER_BASE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
# The runtime identifier the executables are published for; each stage that uses it declares it.
ARG RID=linux-x64

# The AOT variant of the SDK image carries the native toolchain (clang, lld, zlib) ILC links with.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
ARG RID
WORKDIR /src
# Restore first from only the files restore reads, so the package layer stays cached until a
# project file or a package version changes. Every project the two executables reference is here.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/RocketMqSource.CloudEvents.RocketMq/RocketMqSource.CloudEvents.RocketMq.csproj src/RocketMqSource.CloudEvents.RocketMq/
COPY src/RocketMqSource.RocketMq/RocketMqSource.RocketMq.csproj src/RocketMqSource.RocketMq/
COPY src/RocketMqSource.Kubernetes/RocketMqSource.Kubernetes.csproj src/RocketMqSource.Kubernetes/
COPY src/RocketMqSource.Contract/RocketMqSource.Contract.csproj src/RocketMqSource.Contract/
COPY src/RocketMqSource.Logging/RocketMqSource.Logging.csproj src/RocketMqSource.Logging/
COPY src/RocketMqSource.Controller/RocketMqSource.Controller.csproj src/RocketMqSource.Controller/
COPY src/RocketMqSource.Adapter/RocketMqSource.Adapter.csproj src/RocketMqSource.Adapter/
RUN dotnet restore src/RocketMqSource.Controller/RocketMqSource.Controller.csproj -r $RID
RUN dotnet restore src/RocketMqSource.Adapter/RocketMqSource.Adapter.csproj -r $RID
# The sources (.dockerignore keeps bin/ and obj/ out); .editorconfig is part of the build's rules.
COPY .editorconfig ./
COPY src/ src/

FROM build AS publish-controller
ARG RID
RUN dotnet publish src/RocketMqSource.Controller/RocketMqSource.Controller.csproj --no-restore -c Release -r $RID --self-contained false -o /app

FROM build AS publish-adapter
ARG RID
# PublishAot (in the project) makes this a self-contained native executable; no runtime in the image.
RUN dotnet publish src/RocketMqSource.Adapter/RocketMqSource.Adapter.csproj --no-restore -c Release -r $RID -o /app

# Final stages: no shell, no package manager; a numeric non-root user, as Kubernetes'
# runAsNonRoot can only verify a numeric one (config/ runs it as 65532 too).
FROM ${CONTROLLER_BASE} AS controller
WORKDIR /app
COPY --from=publish-controller /app/ ./
# Kestrel listens on the ports the code configures (HEALTH_PORT, METRICS_PORT), not the base image's 8080.
ENV ASPNETCORE_HTTP_PORTS=
USER 65532:65532
ENTRYPOINT ["/app/RocketMqSource.Controller"]

FROM ${ADAPTER_BASE} AS adapter
WORKDIR /app
COPY --from=publish-adapter /app/ ./
# runtime-deps sets ASPNETCORE_HTTP_PORTS=8080 too; the adapter binds HEALTH_PORT and METRICS_PORT.
ENV ASPNETCORE_HTTP_PORTS=
USER 65532:65532
ENTRYPOINT ["/app/RocketMqSource.Adapter"]

# The controller and receive-adapter images, from one multi-stage file. Pick one with --target:
#
#   docker build --target controller -t rocketmqsource-controller .
#   docker build --target adapter    -t rocketmqsource-adapter .
#
# hack/release.sh runs these with the image names and base images recorded in ko.yaml.
# Both are framework-dependent publishes on the ASP.NET Core chiseled image: the two images
# share that base layer, and neither executable trims warning-free (README "Packaging").
# For arm64: --platform linux/arm64 --build-arg RID=linux-arm64.

# The runtime image of both final stages (ko.yaml: defaultBaseImage / baseImageOverrides).
ARG RUNTIME_BASE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
# The runtime identifier the executables are published for; each stage that uses it declares it.
ARG RID=linux-x64

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG RID
WORKDIR /src
# Restore first from only the files restore reads, so the package layer stays cached until a
# project file or a package version changes. Every project the two executables reference is here.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/RocketMqSource.CloudEvents.RocketMq/RocketMqSource.CloudEvents.RocketMq.csproj src/RocketMqSource.CloudEvents.RocketMq/
COPY src/RocketMqSource.RocketMq/RocketMqSource.RocketMq.csproj src/RocketMqSource.RocketMq/
COPY src/RocketMqSource.Kubernetes/RocketMqSource.Kubernetes.csproj src/RocketMqSource.Kubernetes/
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
RUN dotnet publish src/RocketMqSource.Adapter/RocketMqSource.Adapter.csproj --no-restore -c Release -r $RID --self-contained false -o /app

# Final stages: no shell, no package manager; a numeric non-root user, as Kubernetes'
# runAsNonRoot can only verify a numeric one (config/ runs it as 65532 too).
FROM ${RUNTIME_BASE} AS controller
WORKDIR /app
COPY --from=publish-controller /app/ ./
# Kestrel listens on the ports the code configures (HEALTH_PORT, METRICS_PORT), not the base image's 8080.
ENV ASPNETCORE_HTTP_PORTS=
USER 65532:65532
ENTRYPOINT ["/app/RocketMqSource.Controller"]

FROM ${RUNTIME_BASE} AS adapter
WORKDIR /app
COPY --from=publish-adapter /app/ ./
ENV ASPNETCORE_HTTP_PORTS=
USER 65532:65532
ENTRYPOINT ["/app/RocketMqSource.Adapter"]

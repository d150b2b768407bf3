# syntax=docker/dockerfile:1
# One image recipe for every .NET process of the platform; the build argument SERVICE names which one, by its
# project name without the "Coordination." prefix (services/*/Coordination.<SERVICE>.csproj or
# gateway/Coordination.<SERVICE>/): Identity, Directory, Dashboard, Referrals, Training, Projects, Portal, Gateway…
#   docker build --build-arg SERVICE=Referrals -t coordination/referrals .
# docker-compose.yml builds each service this way. Not built on the dev machines: they have no Docker engine.

# ---- build -------------------------------------------------------------------------------------------
# global.json pins the SDK with rollForward latestFeature: the sdk:10.0 tag follows the latest 10.0 feature band.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
# .dockerignore keeps tests, docs, infra and every bin/ and obj/ out of the context.
COPY . .
# The NuGet folder is a BuildKit cache: packages are downloaded once, whatever source file changed.
RUN --mount=type=cache,id=coordination-nuget,target=/root/.nuget/packages \
    test -n "$SERVICE" || { echo "Name the service: --build-arg SERVICE=Referrals" >&2; exit 1; }; \
    project="$(find services gateway -name "Coordination.$SERVICE.csproj" | head -n 1)"; \
    test -n "$project" || { echo "No project Coordination.$SERVICE.csproj under services/ or gateway/" >&2; exit 1; }; \
    dotnet publish "$project" --configuration "$BUILD_CONFIGURATION" --output /app/publish -p:UseAppHost=false

# ---- runtime -----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG SERVICE
# The one place that sets the port in containers: an environment variable outranks appsettings.json's Urls
# (local development), and every container of the platform listens on this port on every interface.
ARG PORT=8080
ENV Urls=http://+:${PORT} \
    APP_ASSEMBLY=Coordination.${SERVICE}.dll
EXPOSE ${PORT}
WORKDIR /app
COPY --from=build /app/publish .

# A folder the non-root user may write, for a service that keeps files (Identity's keys: Identity__KeysDirectory).
# A named volume mounted here takes this owner on its first use.
RUN mkdir /data && chown "$APP_UID" /data && chmod 700 /data

# Probes: GET /alive (liveness) and GET /health (readiness). No HEALTHCHECK: the aspnet image has no curl or
# wget; the gateway's active health checks and the orchestrator probe those endpoints instead.
# Non-root user (uid 1654) defined by the official .NET images.
USER $APP_UID
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]

#!/usr/bin/env bash
# The trace and metrics viewer of the local platform: the standalone Aspire dashboard (NuGet package
# Aspire.Dashboard.Sdk.linux-x64 13.6.5, a self-contained binary: web UI + OTLP/gRPC + OTLP/HTTP).
#   infra/trace-viewer.sh install    restore infra/TraceViewer into .tools/trace-viewer (once; the binary is inside)
#   infra/trace-viewer.sh start      start it in the background (installs first if needed); prints its URL
#   infra/trace-viewer.sh stop | status | env
# `./coordination up` starts it and points every service's OTLP exporter at it (OTEL_EXPORTER_OTLP_ENDPOINT).
# Ports: COORDINATION_TRACES_PORT (UI, 18888), COORDINATION_OTLP_GRPC_PORT (18889), COORDINATION_OTLP_HTTP_PORT (18890).
# Local only: the UI and the OTLP endpoints listen on loopback without authentication.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${COORDINATION_DATA_DIR:-$REPO/.data}"
VERSION=13.6.5
PACKAGES="$REPO/.tools/trace-viewer"
BINARY="$PACKAGES/aspire.dashboard.sdk.linux-x64/$VERSION/tools/Aspire.Dashboard"
UI_PORT="${COORDINATION_TRACES_PORT:-18888}"
GRPC_PORT="${COORDINATION_OTLP_GRPC_PORT:-18889}"
HTTP_PORT="${COORDINATION_OTLP_HTTP_PORT:-18890}"
PIDFILE="$DATA/run/trace-viewer.pid"
LOG="$DATA/logs/trace-viewer.log"

install() {
  [[ -x $BINARY ]] && return 0
  echo "trace-viewer: restoring Aspire.Dashboard.Sdk.linux-x64 $VERSION into $PACKAGES"
  dotnet restore "$REPO/infra/TraceViewer/TraceViewer.csproj" --packages "$PACKAGES" -nologo -v quiet >&2
  [[ -x $BINARY ]] || { chmod +x "$BINARY" 2>/dev/null || true; }
  [[ -x $BINARY ]] || { echo "trace-viewer: $BINARY missing after the restore" >&2; exit 1; }
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  install
  mkdir -p "$(dirname "$PIDFILE")" "$(dirname "$LOG")"
  if running; then echo "trace-viewer: already running (pid $(cat "$PIDFILE")): http://127.0.0.1:$UI_PORT"; return 0; fi
  (cd "$(dirname "$BINARY")" && exec env ASPNETCORE_URLS="http://127.0.0.1:$UI_PORT" \
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$GRPC_PORT" \
      ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$HTTP_PORT" \
      ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
      Dashboard__Frontend__AuthMode=Unsecured Dashboard__Otlp__AuthMode=Unsecured \
      DOTNET_CLI_TELEMETRY_OPTOUT=1 "$BINARY" >"$LOG" 2>&1 </dev/null) &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$UI_PORT/" 2>/dev/null; do
    running || { tail -n 20 "$LOG" >&2; echo "trace-viewer: exited during start (log: $LOG)" >&2; exit 1; }
    (( SECONDS < deadline )) || { tail -n 20 "$LOG" >&2; echo "trace-viewer: no answer after 60 s" >&2; exit 1; }
    sleep 0.5
  done
  echo "trace-viewer: http://127.0.0.1:$UI_PORT (OTLP gRPC :$GRPC_PORT, HTTP :$HTTP_PORT; log $LOG)"
}

stop() {
  running || { rm -f "$PIDFILE"; return 0; }
  local pid; pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  echo "trace-viewer: stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "trace-viewer: running: http://127.0.0.1:$UI_PORT"; else echo "trace-viewer: not running"; exit 1; fi ;;
  # What a service needs to export to it (gRPC, the exporter's default protocol).
  env) echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$GRPC_PORT"; echo "OTEL_EXPORTER_OTLP_PROTOCOL=grpc" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

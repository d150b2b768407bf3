#!/usr/bin/env bash
# The gateway's cost per proxied request, against the RUNNING platform (./coordination up -d first: Identity signs the
# benchmark in, Directory answers). Starts this tree's gateway (Release) on a port of its own, with the platform's
# settings except the per-user rate limit (one benchmark account sends thousands of requests a second; the platform's
# limit would answer 429), and runs `Coordination.Benchmarks gateway` through it and straight to Directory. Traces go to
# the trace viewer when it runs, as the platform's do. Results: docs/benchmarks/gateway-<date>[-LABEL].{md,json}.
#
#   infra/bench-gateway.sh                          3 rounds × 3,000 requests at 1 and 8 clients
#   infra/bench-gateway.sh --label after --rounds 9 every other argument goes to the benchmark (--help lists them)
#   COORDINATION_BENCH_GATEWAY_BEFORE=DIR infra/bench-gateway.sh --label before-after
#                                                   also measures the gateway built in DIR (another commit's
#                                                   bin/Release/net10.0), named "before", in the same rounds
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=8180 BEFORE_PORT=8181
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
die() { printf 'bench-gateway: %s\n' "$*" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
for arg in "$@"; do
  if [[ $arg == -h || $arg == --help ]]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
  fi
done

curl -fsS -m 5 -o /dev/null http://127.0.0.1:5101/alive 2>/dev/null && curl -fsS -m 5 -o /dev/null http://127.0.0.1:5102/health 2>/dev/null \
  || die "Identity (5101) or Directory (5102) does not answer: start the platform with ./coordination up -d."

say "Building the gateway and the benchmark (Release)"
dotnet build "$REPO/gateway/Coordination.Gateway/Coordination.Gateway.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$REPO/infra/Benchmarks/Coordination.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
BEFORE_DIR="${COORDINATION_BENCH_GATEWAY_BEFORE:-}"
[[ -z $BEFORE_DIR || -f $BEFORE_DIR/Coordination.Gateway.dll ]] || die "no Coordination.Gateway.dll in $BEFORE_DIR"

telemetry=()
if "$REPO/infra/trace-viewer.sh" status >/dev/null 2>&1; then
  mapfile -t telemetry < <("$REPO/infra/trace-viewer.sh" env)
fi
mkdir -p "$REPO/.data/logs"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
# Replaces the subshell by the gateway, so that $! is the gateway's pid.
run_gateway() { # DIR PORT
  cd "$1" && exec env "${telemetry[@]}" ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$2" \
    RateLimits__PerUserPerSecond=1000000 dotnet Coordination.Gateway.dll --contentRoot "$REPO/gateway/Coordination.Gateway"
}
(run_gateway "$REPO/gateway/Coordination.Gateway/bin/Release/net10.0" "$PORT") >"$REPO/.data/logs/bench-gateway.log" 2>&1 &
pids+=($!)
also=()
if [[ -n $BEFORE_DIR ]]; then
  (run_gateway "$BEFORE_DIR" "$BEFORE_PORT") >"$REPO/.data/logs/bench-gateway-before.log" 2>&1 &
  pids+=($!)
  also=(--also "before=http://127.0.0.1:$BEFORE_PORT")
fi
for port in "$PORT" ${BEFORE_DIR:+"$BEFORE_PORT"}; do
  for _ in $(seq 1 120); do curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/health" || die "the gateway on $port did not start (.data/logs/bench-gateway*.log)"
done

say "Measuring — $(uptime)"
cd "$REPO"
dotnet "$REPO/infra/Benchmarks/bin/Release/net10.0/Coordination.Benchmarks.dll" gateway --gateway "http://127.0.0.1:$PORT" "${also[@]}" "$@"

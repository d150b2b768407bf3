#!/usr/bin/env bash
# Dashboard ingestion pace on the national volume: copies the volume database that infra/bench-dashboard.sh loaded
# (dashboard_volume; run that once first), starts a Dashboard (Release) on the copy with a RabbitMQ virtual host of its
# own, publishes whole hand-offs to it as fast as one publisher goes (infra/Synthetic bench-ingestion: sent,
# acknowledged, accepted, first contact, completed, between the volume's 100 busiest pairs of organisations), and prints
# the events it stored per second and its peak resident memory. The copy is dropped at the end. The local servers must
# run (./coordination servers start); the platform need not.
#
#   infra/bench-ingestion.sh                 6,000 hand-offs (30,000 events)
#   infra/bench-ingestion.sh --hand-offs N
#   infra/bench-ingestion.sh --out FILE.md   also appends the figures to FILE.md
#   COORDINATION_BENCH_DASHBOARD=DIR infra/bench-ingestion.sh
#                                            measures the Dashboard built in DIR (another commit's bin/Release/net10.0:
#                                            before and after a change, same volume, same publisher)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HAND_OFFS=6000 OUT= SOURCE_DB=dashboard_volume DB=dashboard_ingestion VHOST=bench-ingestion PORT=5194
while (($#)); do
  case $1 in
    --hand-offs) HAND_OFFS=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-ingestion: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
die() { printf 'bench-ingestion: %s\n' "$*" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
psql_() { "$REPO/infra/servers.sh" psql "$@"; }

psql_ -tAc "SELECT 1 FROM pg_database WHERE datname = '$SOURCE_DB'" | grep -q 1 \
  || die "no $SOURCE_DB database: load the national volume once with infra/bench-dashboard.sh"

say "Building the publisher and the Dashboard (Release)"
dotnet build "$REPO/infra/Synthetic/Coordination.Synthetic.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
SYNTHETIC="$REPO/infra/Synthetic/bin/Release/net10.0/Coordination.Synthetic.dll"
DASHBOARD_DIR="${COORDINATION_BENCH_DASHBOARD:-$REPO/services/Dashboard/bin/Release/net10.0}"
[[ -n ${COORDINATION_BENCH_DASHBOARD:-} ]] \
  || dotnet build "$REPO/services/Dashboard/Coordination.Dashboard.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
[[ -f $DASHBOARD_DIR/Coordination.Dashboard.dll ]] || die "no Coordination.Dashboard.dll in $DASHBOARD_DIR"

PG_PORT="${COORDINATION_PG_PORT:-54329}" AMQP_PORT="${COORDINATION_AMQP_PORT:-56729}"
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"
AMQP="amqp://coordination:coordination@127.0.0.1:$AMQP_PORT/$VHOST"
say "Copying $SOURCE_DB to $DB"
psql_ -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB TEMPLATE $SOURCE_DB" \
  || die "$SOURCE_DB could not be copied (is a Dashboard still connected to it? stop infra/bench-dashboard.sh first)"
"$REPO/infra/servers.sh" rabbitmqctl delete_vhost "$VHOST" >/dev/null 2>&1 || true
"$REPO/infra/servers.sh" rabbitmqctl add_vhost "$VHOST" >/dev/null
"$REPO/infra/servers.sh" rabbitmqctl set_permissions -p "$VHOST" coordination ".*" ".*" ".*" >/dev/null

mkdir -p "$REPO/.data/logs"
# Replaces the (sub)shell it runs in by the Dashboard, so that $! is the Dashboard's pid (its CPU and memory are read).
run_dashboard() {
  cd "$DASHBOARD_DIR" && exec env ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$PORT" ConnectionStrings__EventStore="$CS" \
    ConnectionStrings__RabbitMq="$AMQP" dotnet Coordination.Dashboard.dll "$@"
}
(run_dashboard --migrate) >"$REPO/.data/logs/dashboard-ingestion-migrate.log" 2>&1 \
  || die "the Dashboard's schema could not be applied (see .data/logs/dashboard-ingestion-migrate.log)"
run_dashboard >"$REPO/.data/logs/dashboard-ingestion.log" 2>&1 &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  psql_ -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  "$REPO/infra/servers.sh" rabbitmqctl delete_vhost "$VHOST" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null && break; sleep 1; done
curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/health" || die "the Dashboard did not start (see .data/logs/dashboard-ingestion.log)"

say "Publishing $HAND_OFFS whole hand-offs — $(uptime)"
TICKS_BEFORE=$(awk '{print $14 + $15}' "/proc/$PID/stat")
status=0
dotnet "$SYNTHETIC" bench-ingestion --amqp "$AMQP" --connection "$CS" --hand-offs "$HAND_OFFS" ${OUT:+--out "$OUT"} || status=$?
CPU_SECONDS=$(( ($(awk '{print $14 + $15}' "/proc/$PID/stat") - TICKS_BEFORE) / $(getconf CLK_TCK) ))
PEAK_MB=$(( $(awk '/VmHWM/ {print $2}' "/proc/$PID/status") / 1024 ))
SUMMARY="Dashboard during the run: ${CPU_SECONDS} s of CPU, peak resident memory ${PEAK_MB} MB; machine load after: \`$(uptime)\`."
echo "$SUMMARY"
[[ -n $OUT ]] && printf '%s\n' "$SUMMARY" >>"$OUT"
exit $status

#!/usr/bin/env bash
# Dashboard at one year of national volume, against the RUNNING platform (./coordination up -d first: its identity
# provider signs the tokens). Loads synthetic activity (infra/Synthetic, deterministic from a seed, proportions of
# docs/benchmarks/README.md) straight into a separate Dashboard database, starts a second Dashboard on it (port 5193,
# its own RabbitMQ virtual host, so the demo Dashboard is untouched), measures every indicator query over HTTP, then a
# full rebuild by replay, and the peak resident memory; freshness to the answer by publishing hand-offs to its broker.
#
#   infra/bench-dashboard.sh            ~1,000,000 events (≈ 220,000 persons); loading takes a few minutes, once
#   infra/bench-dashboard.sh --quick    20,000 events, 10 repetitions (the smoke run)
#   infra/bench-dashboard.sh --reload   drop the volume database and load again
#   infra/bench-dashboard.sh --no-rebuild   skip the rebuild by replay (minutes on a loaded machine)
#
# Results: a table on stdout, docs/benchmarks/dashboard-volume-<date>[-quick].{json,md}.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS=1000000 REPETITIONS=50 RELOAD=0 REBUILD=--rebuild DB=dashboard_volume PORT=5193 VHOST=bench-volume SEED=2011
for arg in "$@"; do
  case $arg in
    --quick) EVENTS=20000 REPETITIONS=10 DB=dashboard_volume_quick ;;
    --reload) RELOAD=1 ;;
    --no-rebuild) REBUILD= ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-dashboard: unknown option $arg" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
die() { printf 'bench-dashboard: %s\n' "$*" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

curl -fsS -m 5 -o /dev/null http://127.0.0.1:8080/health 2>/dev/null \
  || die "the platform does not answer at http://127.0.0.1:8080/health: start it with ./coordination up -d"
psql_() { "$REPO/infra/servers.sh" psql "$@"; }

say "Building the generator and the Dashboard (Release)"
dotnet build "$REPO/infra/Synthetic/Coordination.Synthetic.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
SYNTHETIC="$REPO/infra/Synthetic/bin/Release/net10.0/Coordination.Synthetic.dll"
DASHBOARD="$REPO/services/Dashboard/bin/Release/net10.0/Coordination.Dashboard.dll"
[[ -f $DASHBOARD ]] || dotnet build "$REPO/services/Dashboard/Coordination.Dashboard.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly

PG_PORT="${COORDINATION_PG_PORT:-54329}" AMQP_PORT="${COORDINATION_AMQP_PORT:-56729}"
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"
AMQP="amqp://coordination:coordination@127.0.0.1:$AMQP_PORT/$VHOST"
[[ $RELOAD == 1 ]] && psql_ -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql_ -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || psql_ -q -c "CREATE DATABASE $DB"
"$REPO/infra/servers.sh" rabbitmqctl add_vhost "$VHOST" >/dev/null 2>&1 || true
"$REPO/infra/servers.sh" rabbitmqctl set_permissions -p "$VHOST" coordination ".*" ".*" ".*" >/dev/null

STORED=$(psql_ -d "$DB" -tAc "SELECT count(*) FROM dashboard.mt_events" 2>/dev/null || echo 0)
LOADED_ARGS=()
if (( STORED < EVENTS * 9 / 10 )); then
  (( STORED == 0 )) || die "$DB holds $STORED events, fewer than asked: run again with --reload"
  say "Loading ~$EVENTS events of synthetic national activity into $DB"
  OUT=$(dotnet "$SYNTHETIC" load-dashboard --connection "$CS" --events "$EVENTS" --seed "$SEED" | tee /dev/stderr)
  line=$(grep '^LOADED' <<<"$OUT")
  get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  LOADED_ARGS=(--loaded-events "$(get events)" --loaded-streams "$(get streams)" --persons "$(get persons)" --load-seconds "$(get seconds)")
else
  say "$DB already holds $STORED events (--reload to load again)"
  LOADED_ARGS=(--loaded-events "$STORED" --loaded-streams "$(psql_ -d "$DB" -tAc "SELECT count(*) FROM dashboard.mt_streams")"
    --persons "$(psql_ -d "$DB" -tAc "SELECT count(*) FROM dashboard.mt_doc_referralfacts")")
fi

say "Starting a Dashboard on $DB at http://127.0.0.1:$PORT"
mkdir -p "$REPO/.data/logs"
# It runs in Production, which never changes the schema itself: a database loaded by an earlier release gets this one's
# (a changed index, say) first, as ./coordination migrate does.
(cd "$(dirname "$DASHBOARD")" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__EventStore="$CS" \
  ConnectionStrings__RabbitMq="$AMQP" dotnet "$DASHBOARD" --migrate) >"$REPO/.data/logs/dashboard-volume-migrate.log" 2>&1 \
  || die "the volume Dashboard's schema could not be applied (see .data/logs/dashboard-volume-migrate.log)"
(cd "$(dirname "$DASHBOARD")" && exec env ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$PORT" ConnectionStrings__EventStore="$CS" \
  ConnectionStrings__RabbitMq="$AMQP" \
  dotnet "$DASHBOARD") >"$REPO/.data/logs/dashboard-volume.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
# Up to 10 minutes: after a change of ReferralMonthRollup.Version the start recounts the totals of every hand-off.
for _ in $(seq 1 600); do curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null && break; sleep 1; done
curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/health" || die "the volume Dashboard did not start (see .data/logs/dashboard-volume.log)"

ORGANISATION=$(psql_ -d "$DB" -tAc "SELECT f.receiver_organisation_id FROM dashboard.mt_doc_referralfacts f GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
# Freshness: hand-offs from one of its senders, in its département (organisations of the volume: their kinds are known).
read -r SENDER DEPARTEMENT < <(psql_ -d "$DB" -tA -F ' ' -c "SELECT sender_organisation_id, departement FROM dashboard.mt_doc_referralfacts
  WHERE receiver_organisation_id = '$ORGANISATION' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1")
LOAD_BEFORE=$(uptime)
say "Measuring ($REPETITIONS sequential requests per query, freshness, then a rebuild) — $LOAD_BEFORE"
cd "$REPO"
status=0
dotnet "$SYNTHETIC" bench-dashboard --url "http://127.0.0.1:$PORT" \
  --coordinator-token "$("$REPO/coordination" token coordination.fv)" --admin-token "$("$REPO/coordination" token admin)" \
  --organisation "$ORGANISATION" --repetitions "$REPETITIONS" $REBUILD --pid "$PID" "${LOADED_ARGS[@]}" \
  --amqp "$AMQP" --sender "$SENDER" --departement "$DEPARTEMENT" --freshness-samples "$REPETITIONS" --out docs/benchmarks || status=$?
# The machine's load with the figures (other jobs on the machine move them).
SUFFIX=$([[ $EVENTS -lt 100000 ]] && echo -quick || true)
REPORT="docs/benchmarks/dashboard-volume-$(date -u +%F)$SUFFIX.md"
[[ -f $REPORT ]] && printf '\nMachine load before the measures: `%s`; after: `%s`.\n' "$LOAD_BEFORE" "$(uptime)" >>"$REPORT"
exit $status

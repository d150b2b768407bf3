#!/usr/bin/env bash
# Notifications benchmark on a Notifications of its own (issue #19: event published → e-mail accepted, p50/p99 at
# 100 events/s for 60 s, target p99 ≤ 5 s and the process ≤ 250 MB). Needs only the local servers (infra/servers.sh
# start; it uses whatever COORDINATION_* ports they were started with), not the platform: it starts, from this
# checkout in Release, one Notifications on its own database and RabbitMQ virtual host (port 5197) and a private SMTP
# relay on loopback, runs the benchmark, then stops both. The relay is Postfix's smtp-sink (installed by
# infra/install.sh smtp-sink), an SMTP server made for benchmarking SMTP clients: it accepts on many connections at once
# and only writes each message to a file, so the figure is Notifications', not a mail store's.
#
#   infra/bench-notifications.sh                    full run: 10 s warm-up, 60 s measured at 100 events/s, smtp-sink
#   infra/bench-notifications.sh --quick            smoke run (20/s for 3 s)
#   infra/bench-notifications.sh --relay smtp4dev   the development mail server instead (it stores on one thread)
#   infra/bench-notifications.sh --help             every option of the benchmark (passed through)
#
# Against a platform already running (./coordination up), use infra/bench.sh notifications instead.
# Results: a table on stdout, docs/benchmarks/notifications-<date>[-quick].{json,md}.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${BENCH_NOTIFICATIONS_PORT:-5197}" SMTP="${BENCH_SMTP_PORT:-52797}" WEB="${BENCH_MAIL_WEB_PORT:-5297}"
IMAP="${BENCH_MAIL_IMAP_PORT:-51597}" POP3="${BENCH_MAIL_POP3_PORT:-51297}"
PG_PORT="${COORDINATION_PG_PORT:-54329}" AMQP_PORT="${COORDINATION_AMQP_PORT:-56729}"
DB=notifications_bench VHOST=notifications-bench
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
die() { printf 'bench-notifications: %s\n' "$*" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
for arg in "$@"; do [[ $arg == -h || $arg == --help ]] && { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; echo; }; done

RELAY=smtp-sink ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --relay) [[ ${2:-} == smtp-sink || ${2:-} == smtp4dev ]] || die "--relay takes smtp-sink or smtp4dev"; RELAY=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"

SMTP4DEV="${COORDINATION_TOOLS_DIR:-$REPO/.tools}/smtp4dev"
if [[ $RELAY == smtp4dev ]]; then
  [[ -x $SMTP4DEV ]] || die "smtp4dev is not installed at $SMTP4DEV: run infra/servers.sh start once (it installs it)."
else
  "$REPO/infra/install.sh" smtp-sink || die "smtp-sink is needed (or pass --relay smtp4dev)"
fi
"$REPO/infra/servers.sh" psql -tAc "SELECT 1" >/dev/null 2>&1 || die "PostgreSQL does not answer on port $PG_PORT: run infra/servers.sh start."
for port in "$PORT" "$SMTP" "$WEB"; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is taken (set BENCH_NOTIFICATIONS_PORT / BENCH_SMTP_PORT / BENCH_MAIL_WEB_PORT)"
done

say "Building Notifications and the benchmark (Release)"
dotnet build "$REPO/services/Notifications/Coordination.Notifications.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$REPO/infra/Benchmarks/Coordination.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
[[ " $* " == *" --help "* || " $* " == *" -h "* ]] && exec dotnet "$REPO/infra/Benchmarks/bin/Release/net10.0/Coordination.Benchmarks.dll" notifications --help

# A fresh database and virtual host each run: the process's memory and the queues start from nothing.
"$REPO/infra/servers.sh" psql -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
"$REPO/infra/servers.sh" rabbitmqctl delete_vhost "$VHOST" >/dev/null 2>&1 || true
"$REPO/infra/servers.sh" rabbitmqctl add_vhost "$VHOST" >/dev/null
"$REPO/infra/servers.sh" rabbitmqctl set_permissions -p "$VHOST" coordination ".*" ".*" ".*" >/dev/null

WORK="$REPO/.data/bench-notifications"
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

if [[ $RELAY == smtp4dev ]]; then
  say "Starting a private smtp4dev (smtp 127.0.0.1:$SMTP, web http://127.0.0.1:$WEB)"
  (cd "$WORK" && exec "$SMTP4DEV" --urls="http://127.0.0.1:$WEB" --bindaddress=127.0.0.1 --smtpport="$SMTP" --imapport="$IMAP" \
    --pop3port="$POP3" --db="$WORK/smtp4dev.db" --messagestokeep=100000) >"$WORK/smtp4dev.log" 2>&1 &
  PIDS+=($!)
  ACCEPTED=(--mail-api "http://127.0.0.1:$WEB") READY="http://127.0.0.1:$WEB/api/messages?pageSize=1"
else
  # One file per accepted e-mail, named by the second it started (a random suffix within it). smtp-sink refuses to run as
  # root: it then drops to nobody, who must be able to write the directory.
  DUMPS="$WORK/smtp-sink"
  mkdir -p "$DUMPS"
  AS_USER=()
  if [[ $EUID -eq 0 ]]; then AS_USER=(-u nobody); chown nobody "$DUMPS"; fi
  say "Starting Postfix's smtp-sink (smtp 127.0.0.1:$SMTP, one file per accepted e-mail in $DUMPS)"
  /usr/sbin/smtp-sink "${AS_USER[@]}" -d "$DUMPS/%H%M%S." "inet:127.0.0.1:$SMTP" 1024 >"$WORK/smtp-sink.log" 2>&1 &
  PIDS+=($!)
  ACCEPTED=(--mail-dumps "$DUMPS") READY=""
  for _ in $(seq 1 40); do (exec 3<>"/dev/tcp/127.0.0.1/$SMTP") 2>/dev/null && break; sleep 0.25; done
  (exec 3<>"/dev/tcp/127.0.0.1/$SMTP") 2>/dev/null || { cat "$WORK/smtp-sink.log" >&2; die "smtp-sink does not listen on $SMTP"; }
fi

FOLDER="$REPO/services/Notifications"
DLL="$FOLDER/bin/Release/net10.0/Coordination.Notifications.dll"
SETTINGS=(ASPNETCORE_ENVIRONMENT=Production "Urls=http://127.0.0.1:$PORT"
  "ConnectionStrings__EventStore=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"
  "ConnectionStrings__RabbitMq=amqp://coordination:coordination@127.0.0.1:$AMQP_PORT/$VHOST"
  "ConnectionStrings__Smtp=smtp://127.0.0.1:$SMTP")
say "Applying the Notifications schema, then starting it at http://127.0.0.1:$PORT"
(cd "$FOLDER" && env "${SETTINGS[@]}" dotnet "$DLL" --contentRoot "$FOLDER" --migrate) >"$WORK/migrate.log" 2>&1 \
  || { tail -n 20 "$WORK/migrate.log" >&2; die "the migration failed"; }
(cd "$FOLDER" && exec env "${SETTINGS[@]}" dotnet "$DLL" --contentRoot "$FOLDER") >"$WORK/notifications.log" 2>&1 &
NOTIFICATIONS=$!
PIDS+=("$NOTIFICATIONS")
for url in ${READY:+"$READY"} "http://127.0.0.1:$PORT/health"; do
  for _ in $(seq 1 480); do curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -m 2 -o /dev/null "$url" || die "$url does not answer (logs in $WORK)"
done

say "Running the benchmark"
cd "$REPO"
dotnet "$REPO/infra/Benchmarks/bin/Release/net10.0/Coordination.Benchmarks.dll" notifications \
  --notifications "http://127.0.0.1:$PORT" --amqp "amqp://coordination:coordination@127.0.0.1:$AMQP_PORT/$VHOST" \
  "${ACCEPTED[@]}" --smtp "smtp://127.0.0.1:$SMTP" --pid "$NOTIFICATIONS" --pg-port "$PG_PORT" "$@"

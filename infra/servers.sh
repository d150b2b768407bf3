#!/usr/bin/env bash
# Private PostgreSQL + RabbitMQ servers for development and CI.
#
#   infra/servers.sh start     install what is missing, start both (no-op if running), create DBs
#   infra/servers.sh stop      stop both (no error if not running)
#   infra/servers.sh status    one line per server; exit 0 if both up, 3 otherwise
#   infra/servers.sh env       `export` lines for: eval "$(infra/servers.sh env)"
#   infra/servers.sh psql [ARGS]                  psql against the local server (db postgres)
#   infra/servers.sh rabbitmqctl [ARGS]           rabbitmqctl with the private node's env
#   infra/servers.sh rabbitmq-diagnostics [ARGS]  rabbitmq-diagnostics with the private node's env
#   infra/servers.sh mail start|stop               the mail server alone (smtp4dev: SMTP, web UI, REST API)
#
# Data lives in $REPO/.data (override: COORDINATION_DATA_DIR). Ports (env overrides):
#   COORDINATION_PG_PORT=54329  COORDINATION_AMQP_PORT=56729  COORDINATION_RABBIT_DIST_PORT=56739
#   COORDINATION_EPMD_PORT=54369  COORDINATION_RABBIT_MANAGEMENT_PORT=15699
#   COORDINATION_SMTP_PORT=52525  COORDINATION_MAIL_WEB_PORT=5180 (smtp4dev's web UI and /api/messages)
#   COORDINATION_MAIL_IMAP_PORT=51430  COORDINATION_MAIL_POP3_PORT=51110
# The mail server is the Rnwood.Smtp4dev .NET tool, installed on first start into $REPO/.tools
# (override: COORDINATION_TOOLS_DIR). COORDINATION_MAIL_SERVER=off leaves it out of start/stop/status.
# A second pair of servers on the same machine (e.g. the fault-injection tests) also needs its own
# RabbitMQ node name, so that no rabbitmqctl call can ever reach the other node:
#   COORDINATION_RABBIT_NODE=coordination@localhost
set -euo pipefail

INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$INFRA")"
# shellcheck source=pgbin.sh
source "$INFRA/pgbin.sh"

DATA="${COORDINATION_DATA_DIR:-$REPO/.data}"
PG_PORT="${COORDINATION_PG_PORT:-54329}"
AMQP_PORT="${COORDINATION_AMQP_PORT:-56729}"
DIST_PORT="${COORDINATION_RABBIT_DIST_PORT:-56739}"
EPMD_PORT="${COORDINATION_EPMD_PORT:-54369}"
MGMT_PORT="${COORDINATION_RABBIT_MANAGEMENT_PORT:-15699}"
START_TIMEOUT="${COORDINATION_START_TIMEOUT:-60}"
SMTP_PORT="${COORDINATION_SMTP_PORT:-52525}"
MAIL_WEB_PORT="${COORDINATION_MAIL_WEB_PORT:-5180}"
MAIL_IMAP_PORT="${COORDINATION_MAIL_IMAP_PORT:-51430}"
MAIL_POP3_PORT="${COORDINATION_MAIL_POP3_PORT:-51110}"
TOOLS="${COORDINATION_TOOLS_DIR:-$REPO/.tools}"
MAIL_SERVER="${COORDINATION_MAIL_SERVER:-on}"   # off: PostgreSQL + RabbitMQ only (e.g. the fault tests' private pair)
SMTP4DEV_VERSION=3.15.0

DATABASES=(directory dashboard identity referrals training projects notifications)

PG_ROOT="$DATA/postgres"
PG_DATA="$PG_ROOT/data"
PG_SOCK="$PG_ROOT/run"
PG_LOG="$PG_ROOT/postgres.log"

MAIL_ROOT="$DATA/smtp4dev"
MAIL_PIDFILE="$MAIL_ROOT/smtp4dev.pid"
MAIL_LOG="$MAIL_ROOT/smtp4dev.log"

RMQ_ROOT="$DATA/rabbitmq"
RMQ_NODE="${COORDINATION_RABBIT_NODE:-coordination@localhost}"
RMQ_USER="coordination"
RMQ_PASS="coordination"
RMQ_BIN="/usr/lib/rabbitmq/bin"
RMQ_HOME="$RMQ_ROOT/home"
RMQ_ETC="$RMQ_ROOT/etc"
RMQ_LOGDIR="$RMQ_ROOT/log"
RMQ_PIDFILE="$RMQ_ROOT/rabbitmq.pid"       # written by the broker (beam pid)
RMQ_LAUNCHER="$RMQ_ROOT/launcher.pid"      # the rabbitmq-server wrapper we started
RMQ_STDOUT="$RMQ_LOGDIR/stdout.log"
RMQ_ENV=(
    HOME="$RMQ_HOME"
    LC_ALL=C.UTF-8
    RABBITMQ_NODENAME="$RMQ_NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$AMQP_PORT"
    RABBITMQ_DIST_PORT="$DIST_PORT"
    ERL_EPMD_PORT="$EPMD_PORT"
    ERL_EPMD_ADDRESS=127.0.0.1
    ERL_CRASH_DUMP="$RMQ_ROOT/log/erl_crash.dump"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_MNESIA_BASE="$RMQ_ROOT/mnesia"
    RABBITMQ_LOG_BASE="$RMQ_LOGDIR"
    RABBITMQ_CONFIG_FILE="$RMQ_ETC/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_ETC/advanced.config"
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_ETC/enabled_plugins"
    RABBITMQ_CONF_ENV_FILE="$RMQ_ETC/rabbitmq-env.conf"
    RABBITMQ_PID_FILE="$RMQ_PIDFILE"
)

say() { echo "$*"; }
die() { echo "servers.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Is process $1 alive and does its command line contain $2?
pid_matches() {
    local pid="$1" needle="$2"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# Serialise start/stop of concurrent callers (e.g. parallel test jobs).
# Daemons must be started with 9>&- or they would hold the lock forever.
take_lock() {
    # 755: user postgres must be able to traverse it (a umask of 077 would break that).
    [[ -d "$DATA" ]] || install -d -m 755 "$DATA"
    exec 9>"$DATA/.servers.lock"
    flock -w 120 9 || die "could not lock $DATA/.servers.lock (another start/stop hung?)"
}

# ---------------------------------------------------------------- PostgreSQL

as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_bin() { pgbin "$1" || die "PostgreSQL binary '$1' not found (run infra/install.sh)"; }

# pid of the postmaster running on our data dir, or fail. Recognised by the pid in
# postmaster.pid being a live process whose working dir is the data dir (a postmaster
# chdirs there), however it was started. A pid that is dead or belongs to some other
# process (pid reuse after a reboot) means postmaster.pid is stale.
pg_pid() {
    local pid
    pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$(readlink -f "$PG_DATA")" ]] || return 1
    echo "$pid"
}

pg_psql() {
    PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres PGCONNECT_TIMEOUT=5 \
        "$(pg_bin psql)" -X -v ON_ERROR_STOP=1 "$@"
}

pg_write_conf() {
    # Tunables live in a file included from postgresql.conf; rewritten on every start.
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# Written by infra/servers.sh on every start -- edit the script, not this file.
max_connections = 300          # many test hosts, each with its own pool
shared_buffers = 256MB
fsync = on
log_min_messages = warning
log_min_error_statement = error
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    install -o "$(stat -c %U "$PG_DATA")" -m 600 "$tmp" "$PG_DATA/coordination.conf"
    rm -f "$tmp"
    grep -q "^include_if_exists = 'coordination.conf'" "$PG_DATA/postgresql.conf" \
        || echo "include_if_exists = 'coordination.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

pg_init() {
    if [[ $EUID -eq 0 ]]; then
        getent passwd postgres >/dev/null || die "no 'postgres' system user (run infra/install.sh)"
        install -d -o postgres -g postgres -m 700 "$PG_ROOT" "$PG_SOCK"
        as_pg test -w "$PG_ROOT" || die "user postgres cannot reach $PG_ROOT: every parent folder must be traversable (o+x); set COORDINATION_DATA_DIR elsewhere"
    else
        install -d -m 700 "$PG_ROOT" "$PG_SOCK"
    fi
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        if [[ -d "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
            die "$PG_DATA exists but is not a PostgreSQL data folder; remove it"
        fi
        say "postgres: initdb $PG_DATA"
        as_pg "$(pg_bin initdb)" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$PG_ROOT/initdb.log" 2>&1 || { tail -n 20 "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
    fi
    pg_write_conf
}

pg_start() {
    local t0 pid
    t0=$(now_ms)
    pg_init
    if pid=$(pg_pid); then
        say "postgres: already running (pid $pid, 127.0.0.1:$PG_PORT)"
    else
        if port_open "$PG_PORT"; then
            die "port $PG_PORT is in use by another process (set COORDINATION_PG_PORT)"
        fi
        # Not running: a postmaster.pid left by a crash/reboot is stale (postgres itself
        # refuses to start if its pid was reused by another process).
        if [[ -f "$PG_DATA/postmaster.pid" ]]; then
            say "postgres: removing stale postmaster.pid"
            rm -f "$PG_DATA/postmaster.pid" "$PG_SOCK"/.s.PGSQL."$PG_PORT".lock
        fi
        if ! as_pg "$(pg_bin pg_ctl)" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" \
                -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK" start >/dev/null 2>&1 9>&-; then
            echo "--- tail of $PG_LOG" >&2
            tail -n 30 "$PG_LOG" >&2 || true
            die "postgres did not start within ${START_TIMEOUT}s"
        fi
        pid=$(pg_pid) || { tail -n 30 "$PG_LOG" >&2; die "postgres started but is not running"; }
        say "postgres: started (pid $pid, 127.0.0.1:$PG_PORT) in $(elapsed "$t0")"
    fi
    pg_create_databases
}

pg_create_databases() {
    local db existing created=()
    existing=$(pg_psql -At -c "SELECT datname FROM pg_database") \
        || die "cannot connect to postgres on 127.0.0.1:$PG_PORT"
    for db in "${DATABASES[@]}"; do
        if ! grep -qx -- "$db" <<<"$existing"; then
            pg_psql -q -c "CREATE DATABASE \"$db\"" </dev/null
            created+=("$db")
        fi
    done
    [[ ${#created[@]} -eq 0 ]] || say "postgres: created databases: ${created[*]}"
}

pg_stop() {
    local pid
    if pid=$(pg_pid); then
        as_pg "$(pg_bin pg_ctl)" -D "$PG_DATA" -m fast -w -t "$START_TIMEOUT" stop >/dev/null \
            || die "postgres (pid $pid) did not stop"
        say "postgres: stopped"
    else
        say "postgres: not running"
    fi
}

pg_status() {
    local pid
    if pid=$(pg_pid) && pg_psql -At -c "SELECT 1" >/dev/null 2>&1 </dev/null; then
        say "postgres: up (pid $pid, 127.0.0.1:$PG_PORT, data $PG_DATA)"
        return 0
    elif [[ -n "${pid:-}" ]]; then
        say "postgres: process $pid running but not answering on 127.0.0.1:$PG_PORT (log $PG_LOG)"
        return 1
    fi
    say "postgres: down"
    return 1
}

# ---------------------------------------------------------------- RabbitMQ

rmq() { env "${RMQ_ENV[@]}" "$RMQ_BIN/$1" "${@:2}"; }

# pid of the rabbitmq-server wrapper we started (setsid: also the VM's process group).
rmq_launcher_pid() {
    local pid
    pid=$(cat "$RMQ_LAUNCHER" 2>/dev/null || true)
    pid_matches "$pid" "rabbitmq-server" || return 1
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "HOME=$RMQ_HOME" || return 1
    echo "$pid"
}

# pid of our broker's VM (or of the wrapper while it boots), or fail. Pid files may be
# stale (reboot) or missing, so the VM is recognised by its command line (-home is private).
rmq_pid() {
    local pid p
    pid=$(cat "$RMQ_PIDFILE" 2>/dev/null || true)
    if pid_matches "$pid" "-home $RMQ_HOME "; then echo "$pid"; return 0; fi
    if pid=$(rmq_launcher_pid); then echo "$pid"; return 0; fi
    for p in /proc/[0-9]*; do
        pid="${p#/proc/}"
        if [[ "$(cat "$p/comm" 2>/dev/null)" == beam* ]] && pid_matches "$pid" "-home $RMQ_HOME "; then
            echo "$pid"; return 0
        fi
    done
    return 1
}

rmq_write_conf() {
    install -d -m 700 "$RMQ_ROOT" "$RMQ_HOME"
    install -d -m 755 "$RMQ_ETC" "$RMQ_LOGDIR" "$RMQ_ROOT/mnesia"
    cat >"$RMQ_ETC/rabbitmq.conf" <<EOF
# Written by infra/servers.sh on every start -- edit the script, not this file.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
default_user = $RMQ_USER
default_pass = $RMQ_PASS
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
log.file.level = warning
log.console = false
# Quorum queues keep their write-ahead log in memory until it rolls over (512 MB by default): a burst of 50,000
# hand-off messages took the node to 417 MB. A 64 MB log bounds that on a small machine (docs/benchmarks).
raft.wal_max_size_bytes = 64000000
# Queue depths in the management API within a second, not five (the benchmark waits on them).
collect_statistics_interval = 1000
EOF
    echo '[rabbitmq_management].' >"$RMQ_ETC/enabled_plugins"
    echo '[].' >"$RMQ_ETC/advanced.config"
    : >"$RMQ_ETC/rabbitmq-env.conf"
}

rmq_show_logs() {
    local f
    for f in "$RMQ_STDOUT" "$RMQ_LOGDIR/$RMQ_NODE.log"; do
        [[ -s "$f" ]] || continue
        echo "--- tail of $f" >&2
        tail -n 15 "$f" >&2
    done
}

mgmt_ok() {
    curl -fsS -o /dev/null --max-time 3 -u "$RMQ_USER:$RMQ_PASS" "http://127.0.0.1:$MGMT_PORT/api/overview" 2>/dev/null
}

# Boot failed: show logs, stop whatever is left of the attempt (so CI is not left
# with a half-booted node or a stray epmd), and exit 1.
rmq_fail() {
    local pid i
    rmq_show_logs
    # The wrapper was started with setsid: its pid is the process group of the VM too.
    if pid=$(rmq_launcher_pid); then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    for ((i = 0; i < 20; i++)); do
        pid=$(rmq_pid) || break
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    done
    rm -f "$RMQ_PIDFILE" "$RMQ_LAUNCHER"
    epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
    die "rabbitmq: $*"
}

# The launcher we just started is still running (not yet exec'd into rabbitmq-server, or booting).
# Under load the forked subshell may not have exec'd yet when we first look: its command line is then
# still this script's, which rmq_pid does not recognise. A zombie (exited, not reaped) does not count.
rmq_launcher_alive() {
    local pid state
    pid=$(cat "$RMQ_LAUNCHER" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [[ -n "$state" && "$state" != Z ]]
}

# Wait (until $1 = deadline in epoch seconds) for AMQP port, await_startup and the management API.
rmq_wait_ready() {
    local deadline="$1" left
    while ! port_open "$AMQP_PORT"; do
        rmq_pid >/dev/null || rmq_launcher_alive || rmq_fail "exited during boot (logs above, in $RMQ_LOGDIR)"
        (( $(date +%s) < deadline )) || rmq_fail "AMQP port $AMQP_PORT not open after ${START_TIMEOUT}s"
        sleep 0.5
    done
    left=$(( deadline - $(date +%s) )); (( left > 1 )) || left=1
    timeout "$left" env "${RMQ_ENV[@]}" "$RMQ_BIN/rabbitmqctl" -q await_startup --timeout "$left" \
        </dev/null >/dev/null 2>&1 || rmq_fail "await_startup failed or timed out"
    while ! mgmt_ok; do
        (( $(date +%s) < deadline )) || rmq_fail "management API on 127.0.0.1:$MGMT_PORT not answering"
        sleep 0.5
    done
}

rmq_start() {
    local t0 pid deadline
    t0=$(now_ms)
    deadline=$(( $(date +%s) + START_TIMEOUT ))
    [[ -x "$RMQ_BIN/rabbitmq-server" ]] || die "$RMQ_BIN/rabbitmq-server missing (run infra/install.sh)"
    if pid=$(rmq_pid); then
        rmq_wait_ready "$deadline"
        say "rabbitmq: already running (pid $pid, amqp 127.0.0.1:$AMQP_PORT, management :$MGMT_PORT)"
        return 0
    fi
    rm -f "$RMQ_PIDFILE" "$RMQ_LAUNCHER"           # stale (crash / reboot)
    local p
    for p in "$AMQP_PORT" "$DIST_PORT" "$MGMT_PORT"; do
        port_open "$p" && die "port $p is in use by another process (see COORDINATION_*_PORT overrides)"
    done
    rmq_write_conf
    : >"$RMQ_STDOUT"
    # shellcheck disable=SC2094
    (cd "$RMQ_ROOT" && exec setsid env "${RMQ_ENV[@]}" "$RMQ_BIN/rabbitmq-server" </dev/null >>"$RMQ_STDOUT" 2>&1 9>&-) &
    echo $! >"$RMQ_LAUNCHER"
    disown $! 2>/dev/null || true
    rmq_wait_ready "$deadline"
    pid=$(rmq_pid) || true
    say "rabbitmq: started (pid ${pid:-?}, amqp 127.0.0.1:$AMQP_PORT, management :$MGMT_PORT) in $(elapsed "$t0")"
}

rmq_stop() {
    local pid launcher i
    if pid=$(rmq_pid); then
        launcher=$(rmq_launcher_pid || true)
        if ! timeout 60 env "${RMQ_ENV[@]}" "$RMQ_BIN/rabbitmqctl" -q shutdown </dev/null >/dev/null 2>&1; then
            echo "rabbitmq: rabbitmqctl shutdown failed; sending SIGTERM to $pid" >&2
            kill -TERM "$pid" 2>/dev/null || true
        fi
        for ((i = 0; i < 60; i++)); do
            rmq_pid >/dev/null || break
            sleep 0.5
        done
        if pid=$(rmq_pid); then
            echo "rabbitmq: still running after 30s; SIGKILL $pid" >&2
            kill -KILL "$pid" 2>/dev/null || true
            [[ -n "$launcher" ]] && kill -KILL -- "-$launcher" 2>/dev/null || true
        fi
        say "rabbitmq: stopped"
    else
        say "rabbitmq: not running"
    fi
    rm -f "$RMQ_PIDFILE" "$RMQ_LAUNCHER"
    # epmd outlives the node; it is private to our port so kill it.
    epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
}

rmq_status() {
    local pid
    if pid=$(rmq_pid) && port_open "$AMQP_PORT"; then
        if mgmt_ok; then
            say "rabbitmq: up (pid $pid, amqp 127.0.0.1:$AMQP_PORT, management :$MGMT_PORT)"
        else
            say "rabbitmq: up (pid $pid, amqp 127.0.0.1:$AMQP_PORT), management API on :$MGMT_PORT NOT answering"
        fi
        return 0
    elif [[ -n "${pid:-}" ]]; then
        say "rabbitmq: process $pid running but AMQP port $AMQP_PORT closed (booting or broken; log $RMQ_LOGDIR)"
        return 1
    fi
    say "rabbitmq: down"
    return 1
}

# ---------------------------------------------------------------- Mail server (smtp4dev)

mail_install() {
    [[ -x "$TOOLS/smtp4dev" ]] && return 0
    command -v dotnet >/dev/null || die "dotnet is needed to install the mail server (smtp4dev)"
    say "smtp4dev: installing Rnwood.Smtp4dev $SMTP4DEV_VERSION into $TOOLS"
    dotnet tool install --tool-path "$TOOLS" Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" >"$DATA/smtp4dev-install.log" 2>&1 \
        || { tail -n 20 "$DATA/smtp4dev-install.log" >&2; die "could not install smtp4dev"; }
}

# pid of our smtp4dev (recognised by its private database path), or fail.
mail_pid() {
    local pid
    pid=$(cat "$MAIL_PIDFILE" 2>/dev/null || true)
    pid_matches "$pid" "--db=$MAIL_ROOT/" || return 1
    echo "$pid"
}

mail_ok() { curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$MAIL_WEB_PORT/api/messages" 2>/dev/null; }

mail_start() {
    local t0 pid deadline p
    t0=$(now_ms)
    deadline=$(( $(date +%s) + START_TIMEOUT ))
    mail_install
    if pid=$(mail_pid); then
        say "smtp4dev: already running (pid $pid, smtp 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$MAIL_WEB_PORT)"
        return 0
    fi
    for p in "$SMTP_PORT" "$MAIL_WEB_PORT" "$MAIL_IMAP_PORT" "$MAIL_POP3_PORT"; do
        port_open "$p" && die "port $p is in use by another process (see COORDINATION_SMTP_PORT / COORDINATION_MAIL_*_PORT)"
    done
    install -d -m 700 "$MAIL_ROOT"
    : >"$MAIL_LOG"
    (cd "$MAIL_ROOT" && exec setsid "$TOOLS/smtp4dev" --urls="http://127.0.0.1:$MAIL_WEB_PORT" \
        --bindaddress=127.0.0.1 --smtpport="$SMTP_PORT" --imapport="$MAIL_IMAP_PORT" --pop3port="$MAIL_POP3_PORT" \
        --db="$MAIL_ROOT/smtp4dev.db" --messagestokeep=100000 --sessionstokeep=1000 \
        </dev/null >>"$MAIL_LOG" 2>&1 9>&-) &
    echo $! >"$MAIL_PIDFILE"
    disown $! 2>/dev/null || true
    until mail_ok; do
        if ! mail_pid >/dev/null; then
            tail -n 20 "$MAIL_LOG" >&2; die "smtp4dev exited during start (log $MAIL_LOG)"
        fi
        (( $(date +%s) < deadline )) || { tail -n 20 "$MAIL_LOG" >&2; die "smtp4dev not answering after ${START_TIMEOUT}s"; }
        sleep 0.5
    done
    say "smtp4dev: started (pid $(mail_pid), smtp 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$MAIL_WEB_PORT) in $(elapsed "$t0")"
}

mail_stop() {
    local pid i
    if pid=$(mail_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        say "smtp4dev: stopped"
    else
        say "smtp4dev: not running"
    fi
    rm -f "$MAIL_PIDFILE"
}

mail_status() {
    local pid
    if pid=$(mail_pid) && mail_ok; then
        say "smtp4dev: up (pid $pid, smtp 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$MAIL_WEB_PORT)"
        return 0
    fi
    say "smtp4dev: down"
    return 1
}

# ---------------------------------------------------------------- commands

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
    start)
        t0=$(now_ms)
        "$INFRA/install.sh" </dev/null
        take_lock
        pg_start
        rmq_start
        [[ $MAIL_SERVER == off ]] || mail_start
        say "servers: ready in $(elapsed "$t0")"
        ;;
    stop)
        take_lock
        rc=0
        pg_stop || rc=1
        rmq_stop || rc=1
        [[ $MAIL_SERVER == off ]] || mail_stop || rc=1
        exit $rc
        ;;
    status)
        rc=0
        pg_status || rc=3
        rmq_status || rc=3
        [[ $MAIL_SERVER == off ]] || mail_status || rc=3
        exit $rc
        ;;
    env)
        echo "export COORDINATION_PG=\"Host=127.0.0.1;Port=$PG_PORT;Username=postgres\""
        echo "export COORDINATION_AMQP=\"amqp://$RMQ_USER:$RMQ_PASS@127.0.0.1:$AMQP_PORT/\""
        echo "export COORDINATION_RABBIT_MANAGEMENT=\"http://$RMQ_USER:$RMQ_PASS@127.0.0.1:$MGMT_PORT\""
        echo "export COORDINATION_SMTP=\"smtp://127.0.0.1:$SMTP_PORT\""
        echo "export COORDINATION_MAIL_API=\"http://127.0.0.1:$MAIL_WEB_PORT\""
        ;;
    mail)
        case "${1:-}" in
            start) take_lock; mail_start ;;
            stop) take_lock; mail_stop ;;
            *) echo "usage: $0 mail start|stop" >&2; exit 2 ;;
        esac
        ;;
    psql)
        PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres exec "$(pg_bin psql)" "$@"
        ;;
    rabbitmqctl|rabbitmq-diagnostics|rabbitmq-plugins|rabbitmq-queues)
        rmq "$cmd" "$@"
        ;;
    *)
        echo "usage: $0 start|stop|status|env|psql [ARGS]|rabbitmqctl [ARGS]|rabbitmq-diagnostics [ARGS]" >&2
        exit 2
        ;;
esac

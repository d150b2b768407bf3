#!/usr/bin/env bash
# A private three-node RabbitMQ cluster on loopback, for trying failover by hand (docs/operations.md,
# "RabbitMQ cluster"). Separate from infra/servers.sh's single node: other ports, other data, its own epmd.
#
#   infra/rabbitmq-cluster.sh start     start nodes 1..3 and join 2 and 3 to 1 (no-op for running nodes)
#   infra/rabbitmq-cluster.sh stop      stop every node and the cluster's epmd
#   infra/rabbitmq-cluster.sh status    cluster_status as seen by the first running node
#   infra/rabbitmq-cluster.sh kill N    SIGKILL node N (a crash), for fault injection
#   infra/rabbitmq-cluster.sh start-node N / ctl N ARGS...   one node / rabbitmqctl against node N
#
# Node N (1..3): name rmqN@localhost, AMQP 127.0.0.1:(BASE_PORT+N), management (MGMT_BASE+N),
# distribution (BASE_PORT+10+N). User coordination/coordination. Data in $COORDINATION_DATA_DIR/rabbitmq-cluster.
# Overrides: COORDINATION_CLUSTER_AMQP_BASE=56800 COORDINATION_CLUSTER_MGMT_BASE=15800 COORDINATION_CLUSTER_EPMD_PORT=54380
set -euo pipefail

INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$INFRA")"
DATA="${COORDINATION_DATA_DIR:-$REPO/.data}/rabbitmq-cluster"
BASE="${COORDINATION_CLUSTER_AMQP_BASE:-56800}"
MGMT_BASE="${COORDINATION_CLUSTER_MGMT_BASE:-15800}"
EPMD_PORT="${COORDINATION_CLUSTER_EPMD_PORT:-54380}"
RMQ_BIN=/usr/lib/rabbitmq/bin
HOME_DIR="$DATA/home"   # shared by the nodes and the CLI: one Erlang cookie for the cluster

die() { echo "rabbitmq-cluster.sh: $*" >&2; exit 1; }
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

node_env() { # N: sets NODE_ENV, the environment of node N (also what its CLI needs)
    local n="$1" root="$DATA/node$1"
    NODE_ENV=(HOME="$HOME_DIR" LC_ALL=C.UTF-8 RABBITMQ_NODENAME="rmq$n@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT=$((BASE + n)) RABBITMQ_DIST_PORT=$((BASE + 10 + n)) ERL_EPMD_PORT="$EPMD_PORT"
        ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE="$root/mnesia" RABBITMQ_LOG_BASE="$root/log"
        RABBITMQ_CONFIG_FILE="$root/etc/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$root/etc/advanced.config"
        RABBITMQ_ENABLED_PLUGINS_FILE="$root/etc/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$root/etc/rabbitmq-env.conf"
        RABBITMQ_PID_FILE="$root/rabbitmq.pid" ERL_CRASH_DUMP="$root/log/erl_crash.dump"
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}")
}

ctl() { # N ARGS...
    local n="$1"; shift
    node_env "$n"
    env "${NODE_ENV[@]}" "$RMQ_BIN/rabbitmqctl" -n "rmq$n@localhost" "$@"
}

node_pid() { local f="$DATA/node$1/rabbitmq.pid"; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

start_node() { # N
    local n="$1" root="$DATA/node$1" deadline
    [[ -x $RMQ_BIN/rabbitmq-server ]] || die "$RMQ_BIN/rabbitmq-server missing (run infra/install.sh)"
    if port_open $((BASE + n)); then echo "rmq$n: already running (amqp 127.0.0.1:$((BASE + n)))"; return 0; fi
    install -d -m 700 "$HOME_DIR"
    install -d -m 755 "$root/etc" "$root/log" "$root/mnesia"
    cat >"$root/etc/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$((BASE + n))
default_user = coordination
default_pass = coordination
default_user_tags.administrator = true
loopback_users = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $((MGMT_BASE + n))
cluster_partition_handling = pause_minority
log.file.level = warning
log.console = false
CONF
    echo '[rabbitmq_management].' >"$root/etc/enabled_plugins"
    echo '[].' >"$root/etc/advanced.config"
    : >"$root/etc/rabbitmq-env.conf"
    node_env "$n"
    (cd "$root" && exec setsid env "${NODE_ENV[@]}" "$RMQ_BIN/rabbitmq-server" </dev/null >>"$root/log/stdout.log" 2>&1) &
    disown $! 2>/dev/null || true
    deadline=$((SECONDS + 60))
    until port_open $((BASE + n)); do
        (( SECONDS < deadline )) || { tail -n 20 "$root/log/stdout.log" >&2; die "rmq$n did not open its AMQP port"; }
        sleep 0.5
    done
    ctl "$n" -q await_startup --timeout 60 >/dev/null
    echo "rmq$n: started (amqp 127.0.0.1:$((BASE + n)), management :$((MGMT_BASE + n)))"
}

join() { # N: join node N to rmq1 (no-op if already a member)
    local n="$1"
    if ctl 1 -q cluster_status --formatter json 2>/dev/null | grep -q "\"rmq$n@localhost\""; then return 0; fi
    ctl "$n" -q stop_app
    ctl "$n" -q join_cluster rmq1@localhost
    ctl "$n" -q start_app
    echo "rmq$n: joined rmq1"
}

case "${1:-}" in
    start)
        for n in 1 2 3; do start_node "$n"; done
        for n in 2 3; do join "$n"; done
        ctl 1 -q cluster_status --formatter json | python3 -c 'import json,sys; s=json.load(sys.stdin); print("running nodes:", ", ".join(s["running_nodes"]))'
        ;;
    start-node) start_node "${2:?node number}" ;;
    stop)
        # By pid, not by port: the last nodes of a stopping cluster pause (pause_minority) and close their ports.
        for n in 3 2 1; do
            pid=$(node_pid "$n") || continue
            timeout 30 bash -c "$(declare -f node_env ctl); BASE=$BASE DATA='$DATA' HOME_DIR='$HOME_DIR' EPMD_PORT=$EPMD_PORT RMQ_BIN=$RMQ_BIN; ctl $n -q shutdown" >/dev/null 2>&1 \
                || kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "$pid" 2>/dev/null || true
            echo "rmq$n: stopped"
        done
        epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
        ;;
    kill)
        pid=$(node_pid "${2:?node number}") || die "rmq$2 is not running"
        kill -KILL "$pid"; echo "rmq$2: killed (pid $pid)"
        ;;
    status)
        for n in 1 2 3; do
            if port_open $((BASE + n)); then ctl "$n" -q cluster_status; exit 0; fi
        done
        echo "no node running"; exit 3
        ;;
    ctl) shift; ctl "$@" ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

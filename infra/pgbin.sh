#!/usr/bin/env bash
# Locate PostgreSQL binaries.
#
# The server's bin dir is the real directory of `pg_ctl` found on PATH, else
# Debian's /usr/lib/postgresql/15/bin, else the newest /usr/lib/postgresql/*/bin.
# Any binary (initdb, pg_ctl, postgres, psql, pg_isready, ...) is taken from that
# dir first, then from PATH.  COORDINATION_PG_BIN=/some/bin forces the dir.
#
#   infra/pgbin.sh initdb      -> prints the full path of initdb (exit 1 if none)
#   infra/pgbin.sh --dir       -> prints the server's bin dir
#   source infra/pgbin.sh      -> defines the functions `pgbin NAME` and `pgbin_dir`

pgbin_dir() {
    local p dir
    if [[ -n "${COORDINATION_PG_BIN:-}" ]]; then
        [[ -x "$COORDINATION_PG_BIN/pg_ctl" ]] && { echo "$COORDINATION_PG_BIN"; return 0; }
        return 1
    fi
    if p=$(command -v pg_ctl 2>/dev/null) && [[ -x "$p" ]]; then
        dir=$(dirname "$(readlink -f "$p")")       # not a pg_wrapper-style symlink farm
        [[ -x "$dir/initdb" && -x "$dir/postgres" ]] && { echo "$dir"; return 0; }
    fi
    for dir in /usr/lib/postgresql/15/bin $(ls -1d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
    done
    return 1
}

pgbin() {
    local name="$1" dir
    if dir=$(pgbin_dir) && [[ -x "$dir/$name" ]]; then
        echo "$dir/$name"
        return 0
    fi
    command -v "$name" 2>/dev/null && return 0
    return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    [[ $# -eq 1 ]] || { echo "usage: $0 BINARY|--dir   (e.g. initdb, pg_ctl, psql)" >&2; exit 2; }
    if [[ "$1" == "--dir" ]]; then
        pgbin_dir || { echo "pgbin: no PostgreSQL server binaries (pg_ctl) on PATH nor in /usr/lib/postgresql/*/bin" >&2; exit 1; }
    else
        pgbin "$1" || { echo "pgbin: '$1' not found on PATH nor in /usr/lib/postgresql/*/bin" >&2; exit 1; }
    fi
fi

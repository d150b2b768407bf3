#!/usr/bin/env bash
# Install what the local dev/CI servers need (Debian 12), idempotently:
#   rabbitmq-server, curl, openssl, PostgreSQL 15 server + client (only if not already present),
#   the `postgres` system user that runs the database, and Debian's Chromium for the portal's browser tests
#   (Playwright drives /usr/lib/chromium/chromium; never `playwright install`).
# Silent when everything is present; one line per thing installed otherwise.
#
#   infra/install.sh smtp-sink   only Postfix's smtp-sink, the SMTP relay of the Notifications benchmark
#                                (infra/bench-notifications.sh); the test suite does not need it.
set -euo pipefail

INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Postfix's smtp-sink (Debian package postfix): an SMTP server built by Postfix to benchmark SMTP clients. The package
# also holds the Postfix MTA, which must never run here: it is preseeded "No configuration" (no main.cf, so no daemon),
# and anything that still listens on port 25 afterwards is stopped and disabled.
if [[ ${1:-} == smtp-sink ]]; then
    [[ -x /usr/sbin/smtp-sink ]] && exit 0
    if [[ $EUID -ne 0 ]]; then
        echo "install.sh: /usr/sbin/smtp-sink missing — run infra/install.sh smtp-sink as root (or: sudo apt-get install postfix, 'No configuration')" >&2
        exit 1
    fi
    # postfix conflicts with every other mail transport agent: installing it would remove the machine's own (exim4 on a
    # standard Debian). That is the owner's decision, not a benchmark's.
    other_mta="$(dpkg-query -W -f='${Package} ${Status} ${Provides}\n' 2>/dev/null | awk '/install ok installed/ && /mail-transport-agent/ && $1 != "postfix" {print $1}')"
    if [[ -n $other_mta ]]; then
        echo "install.sh: smtp-sink comes with the postfix package, which would replace this machine's mail transport agent ($other_mta); not installed" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-o DPkg::Lock::Timeout=600 -q)
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "install.sh: apt-get update (to install: postfix, for smtp-sink)"
    apt-get "${apt_opts[@]}" update >/tmp/coordination-apt-update.log 2>&1 \
        || { tail -n 20 /tmp/coordination-apt-update.log >&2; echo "install.sh: apt-get update failed" >&2; exit 1; }
    apt-get "${apt_opts[@]}" install -y --no-install-recommends postfix >/tmp/coordination-apt-install.log 2>&1 \
        || { tail -n 30 /tmp/coordination-apt-install.log >&2; echo "install.sh: apt-get install postfix failed (log: /tmp/coordination-apt-install.log)" >&2; exit 1; }
    # Debian starts the MTA on install where an init system lets it (not in containers); stop and disable it.
    if command -v systemctl >/dev/null && systemctl is-enabled --quiet postfix 2>/dev/null; then
        systemctl disable --now postfix >/dev/null 2>&1 || true
    fi
    postfix status >/dev/null 2>&1 && postfix stop >/dev/null 2>&1 || true
    if (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; then
        echo "install.sh: something still listens on port 25 after installing postfix; stop it (ss -ltnp 'sport = :25')" >&2
        exit 1
    fi
    [[ -x /usr/sbin/smtp-sink ]] || { echo "install.sh: /usr/sbin/smtp-sink missing after installing postfix" >&2; exit 1; }
    echo "install.sh: installed postfix $(dpkg-query -W -f='${Version}' postfix) for /usr/sbin/smtp-sink (no mail daemon running)"
    exit 0
fi
# shellcheck source=pgbin.sh
source "$INFRA/pgbin.sh"

missing=()   # apt packages to install
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)   # infra/certificate.sh: the key ring's certificate
[[ -x /usr/lib/chromium/chromium ]] || missing+=(chromium)
if ! pgbin initdb >/dev/null || ! pgbin pg_ctl >/dev/null || ! pgbin postgres >/dev/null; then
    missing+=(postgresql-15)            # pulls postgresql-client-15 too
elif ! pgbin psql >/dev/null; then
    missing+=(postgresql-client-15)
fi
# Never re-install (= upgrade) a package dpkg already has: that only means we could not
# find its files, which the sanity check at the end reports.
if [[ ${#missing[@]} -gt 0 ]]; then
    keep=()
    for p in "${missing[@]}"; do
        [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || keep+=("$p")
    done
    missing=("${keep[@]+"${keep[@]}"}")
fi
need_pg_user=0
getent passwd postgres >/dev/null || need_pg_user=1   # postgresql-common creates it

sane() {
    pgbin initdb >/dev/null && pgbin pg_ctl >/dev/null && pgbin postgres >/dev/null && pgbin psql >/dev/null \
        || { echo "install.sh: PostgreSQL binaries not found (PATH, /usr/lib/postgresql/*/bin or \$COORDINATION_PG_BIN)" >&2; return 1; }
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] \
        || { echo "install.sh: /usr/lib/rabbitmq/bin/rabbitmq-server missing" >&2; return 1; }
    command -v curl >/dev/null || { echo "install.sh: curl missing" >&2; return 1; }
    [[ -x /usr/lib/chromium/chromium ]] || { echo "install.sh: /usr/lib/chromium/chromium missing" >&2; return 1; }
}

if [[ ${#missing[@]} -eq 0 && $need_pg_user -eq 0 ]]; then
    sane
    exit
fi

if [[ $EUID -ne 0 ]]; then
    what="${missing[*]}"
    [[ $need_pg_user -eq 1 ]] && what="${what:+$what, }the 'postgres' system user"
    echo "install.sh: missing: $what — run infra/install.sh as root (or: sudo apt-get install ${missing[*]:-postgresql-common})" >&2
    exit 1
fi

if [[ ${#missing[@]} -gt 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-o DPkg::Lock::Timeout=600 -q)
    echo "install.sh: apt-get update (to install: ${missing[*]})"
    apt-get "${apt_opts[@]}" update >/tmp/coordination-apt-update.log 2>&1 \
        || { tail -n 20 /tmp/coordination-apt-update.log >&2; echo "install.sh: apt-get update failed" >&2; exit 1; }
    if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" \
            >/tmp/coordination-apt-install.log 2>&1; then
        tail -n 30 /tmp/coordination-apt-install.log >&2
        echo "install.sh: apt-get install ${missing[*]} failed (log: /tmp/coordination-apt-install.log)" >&2
        exit 1
    fi
    for p in "${missing[@]}"; do
        echo "install.sh: installed $p ($(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo '?'))"
    done
fi

# postgresql-common normally creates this user; create it if the binaries came from elsewhere.
if ! getent passwd postgres >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    echo "install.sh: created system user postgres"
fi

# Sanity: everything the other scripts use must now be there.
sane

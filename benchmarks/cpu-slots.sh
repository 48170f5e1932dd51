#!/usr/bin/env bash
# CPU slots on a small machine: two trials side by side on one thread each (A) against the same two trials one
# after the other on all cores (B), each a 40-step C2C trial at the seed matrix's CPU size. Runs A and B in turn
# (A B A B ...) so drift affects both, and prints each run, the medians and the median of the pair ratios A/B.
# Usage: benchmarks/cpu-slots.sh [PAIRS]   (default 3; build first with ./build.sh build)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-3}"
cli=src/SweepCluster.Cli/bin/Release/net10.0/sweepcluster.dll
[ -f "$cli" ] || { echo "build first: ./build.sh build" >&2; exit 2; }
cores=$(nproc)
[ "$cores" -le 4 ] || { echo "this compares one-thread slots on a small machine; $cores cores is not one" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config() {
  cat > "$work/t$1.yaml" <<YAML
name: slots
device: cpu
threads: $1
data: {kind: synthetic, image_size: 48, train_samples: 256, val_samples: 16, batch_size: 8}
model:
  encoder: {features: [16, 32, 64], latent_channels: 32}
  decoder_a: {features: [64, 32, 16], latent_channels: 32}
  decoder_b: {features: [64, 32, 16], latent_channels: 32}
trainer: {epochs: 1, steps_per_epoch: 40}
evaluation: {panels: 0}
YAML
}
config 1
config "$cores"
train() { dotnet "$cli" train --config "$work/t$1.yaml" --out "$work/out-$2" > /dev/null 2>&1; }
now() { date +%s.%N; }
declare -a as bs ratios
for ((i = 0; i < pairs; i++)); do
  t0=$(now); for ((k = 0; k < cores; k++)); do train 1 "a$k" & done; wait; t1=$(now)
  for ((k = 0; k < cores; k++)); do train "$cores" "b$k"; done; t2=$(now)
  a=$(awk "BEGIN {print $t1 - $t0}"); b=$(awk "BEGIN {print $t2 - $t1}")
  as+=("$a"); bs+=("$b"); ratios+=("$(awk "BEGIN {print $a / $b}")")
  printf 'pair %d: A %d trials side by side on 1 thread each %.1f s, B one after the other on %d threads %.1f s\n' "$((i + 1))" "$cores" "$a" "$cores" "$b"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
printf 'median: A %.1f s, B %.1f s, A/B %.3f (below 1: side by side is faster)\n' "$(median "${as[@]}")" "$(median "${bs[@]}")" "$(median "${ratios[@]}")"

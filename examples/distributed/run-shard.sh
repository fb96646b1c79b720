#!/bin/sh
# Runs one shard of a sharded check and writes its JSON report for `check --merge`.
#
#   run-shard.sh MODEL MODE OUT [extra check options...]
#
#   MODEL  the model file, e.g. specs/paxos.yaml
#   MODE   simulate  (a swarm share of random runs; needs SEED, and RUNS runs in all, default 10000)
#          exhaustive (a hash-partitioned share of the BFS; OUT must be a folder every shard shares)
#   OUT    where the report (OUT/report-I.json), the traces (OUT/traces) and, for exhaustive
#          shards, the exchange folder (OUT/exchange) go
#
# The shard index comes from the scheduler: SHARD_INDEX (1-based, e.g. a CI matrix entry),
# JOB_COMPLETION_INDEX (0-based, a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (1-based, a SLURM
# array submitted with --array=1-N); the count from SHARD_COUNT or SLURM_ARRAY_TASK_COUNT.
# It exits 0 whenever the report was written, whatever the verdict (the merge decides it), and
# with check's exit code when the shard could not run (150 spec error, 151 config error, 255).
set -eu
if [ $# -lt 3 ]; then
  echo "usage: run-shard.sh MODEL simulate|exhaustive OUT [check options...]" >&2
  exit 151
fi
model=$1
mode=$2
out=$3
shift 3

if [ -n "${SHARD_INDEX:-}" ]; then
  index=$SHARD_INDEX
elif [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
  index=$((JOB_COMPLETION_INDEX + 1))
elif [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  index=$SLURM_ARRAY_TASK_ID
else
  echo "run-shard.sh: no shard index: set SHARD_INDEX, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID" >&2
  exit 151
fi
count=${SHARD_COUNT:-${SLURM_ARRAY_TASK_COUNT:-}}
if [ -z "$count" ]; then
  echo "run-shard.sh: no shard count: set SHARD_COUNT (or run as a SLURM array)" >&2
  exit 151
fi

mkdir -p "$out"
report="$out/report-$index.json"
case "$mode" in
  simulate)
    set -- --simulate --runs "${RUNS:-10000}" --seed "${SEED:?set SEED, the base seed every shard shares}" "$@" ;;
  exhaustive)
    set -- --exchange "$out/exchange" "$@" ;;
  *)
    echo "run-shard.sh: MODE is simulate or exhaustive, not $mode" >&2
    exit 151 ;;
esac

code=0
npx check "$model" --shard "$index/$count" --reporter json --traces "$out/traces" --progress 0 "$@" > "$report.tmp" || code=$?
mv "$report.tmp" "$report"
echo "shard $index/$count: exit $code, report $report" >&2
case "$code" in
  0|10|11|12|13|129|130|143|152) exit 0 ;;
  *) exit "$code" ;;
esac

#!/bin/sh
# Exhaustive hash-partitioned BFS as a SLURM job array: task i (SLURM_ARRAY_TASK_ID, 1..4) runs
# shard i of 4; the shards exchange states through files in OUT, on the cluster's shared
# filesystem. All tasks must run at the same time (they wait for each other at each BFS level), so
# do not throttle the array (no %N). Submit from the repository's folder, then merge once it ends:
#
#   jid=$(sbatch --parsable examples/distributed/slurm-array.sh)
#   sbatch --dependency=afterany:$jid --wrap 'npx check --merge slurm-out/run-1'
#
# MODEL, MODE (exhaustive or simulate, with SEED) and OUT can be changed with sbatch --export.
#SBATCH --job-name=tsmc-shards
#SBATCH --array=1-4
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=06:00:00
#SBATCH --output=slurm-%A_%a.log
set -eu
: "${MODEL:=specs/twophase-5.yaml}"
: "${MODE:=exhaustive}"
: "${OUT:=slurm-out/run-1}"
exec sh examples/distributed/run-shard.sh "$MODEL" "$MODE" "$OUT"

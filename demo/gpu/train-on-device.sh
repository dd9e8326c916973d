#!/bin/bash
# Runs DemoTraining on the GPU machine; resumes from <folder>/run (the previous call's $OUT/run).
set -uo pipefail
cd "$(dirname "$0")/.."   # the repository root on the device
here="$(basename "$(dirname "$0")")"
source "$here/gpu/device-env.sh" || exit 1
mkdir -p "$OUT/run"
if [ -d "$here/run" ]; then cp -r "$here/run/." "$OUT/run/"; fi
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
# fused CUDA kernels run as TorchScript inference (no gradient): off for training
"$JAVA" $GPU_JAVA_OPTS -Djava.awt.headless=true -Xmx16g -cp "$GPU_CP" io.vidrd.demo.train.DemoTraining \
  --out "$OUT/run" --device gpu --minutes "${MINUTES:-6.5}" "$@" > "$OUT/train.log" 2>&1
rc=$?
grep -v ' INFO \|DEBUG' "$OUT/train.log" | tail -c 9000
rm -rf "$OUT/run/checkpoint.next" "$OUT/run/checkpoint.old"
du -sh "$OUT/run"
# at most 8 files of 16 MiB come back, 2 folders deep: the run folder travels as a split tar
cp "$OUT/run/loss.csv" "$OUT/loss.csv"
tar -C "$OUT" -cf - run | split -b 15M - "$OUT/run.tar.part-"
rm -rf "$OUT/run"
ls -la "$OUT"
exit $rc

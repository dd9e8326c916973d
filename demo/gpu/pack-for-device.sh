#!/bin/bash
# Prepares a DemoTraining run on the lent GPU machine (../../shared/gpu/README.md), from the
# repository root of a checkout whose modules are built (mvn -o -q -pl demo -am package -DskipTests):
#   DJL_TORCH_SO=path/to/libdjl_torch.so bash demo/gpu/pack-for-device.sh TARGET [RUN]
# TARGET (git-ignored, e.g. .gpurun-demo) receives gpu/ (runtime, classes, JNI, device-env.sh),
# train.sh and, when RUN is given (a previous call's run folder), run/ to resume from.
# On the device: bash TARGET/train.sh [DemoTraining options]; $OUT gets loss.csv, train.log and
# run.tar.part-* (the run folder split into 15 MiB parts: cat run.tar.part-* | tar xf -).
set -euo pipefail
target="${1:?usage: pack-for-device.sh TARGET [RUN]}"
run="${2:-}"
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -o -q -pl demo dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime
# one classes folder: pack.sh names every folder after its last segment, so several "classes" would collide
mkdir -p "$work/classes"
for m in bundles/runtime api-bundle vae-bundle engine-bundle demo; do
  cp -r "$root/$m/target/classes/." "$work/classes/"
done
cp_line="$work/classes:$(tr ':' '\n' < "$work/cp.txt" | grep -v '/io/vidrd/\|junit\|opentest4j\|apiguardian' | paste -sd:)"
bash "$root/../shared/gpu/pack.sh" -o "$work/gpu" -c "$cp_line" \
  -m java.base,java.logging,java.management,java.xml,jdk.unsupported,java.desktop
mkdir -p "$target"
rm -rf "$target/gpu" "$target/run"
cp -r "$work/gpu" "$target/gpu"
cp "$root/demo/gpu/train-on-device.sh" "$target/train.sh"
if [ -n "$run" ]; then cp -r "$run" "$target/run"; fi
du -sh "$target"

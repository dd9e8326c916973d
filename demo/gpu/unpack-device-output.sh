#!/bin/bash
# After a device call of train-on-device.sh: reassembles the run folder from the returned tar
# parts and makes it the one the next call resumes from.
#   bash demo/gpu/unpack-device-output.sh FILES_AT TARGET     (e.g. /work/.device/7 .gpurun-demo)
# The previous TARGET/run is replaced (the parts in FILES_AT stay as the backup): anything kept
# inside TARGET would travel with the next call and count towards its 64 MiB.
set -euo pipefail
from="${1:?usage: unpack-device-output.sh FILES_AT TARGET}"
target="${2:?usage: unpack-device-output.sh FILES_AT TARGET}"
ls "$from"/run.tar.part-* >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat "$from"/run.tar.part-* | tar -C "$work" -xf -
[ -f "$work/run/checkpoint/state.json" ] || { echo "no checkpoint in $from" >&2; exit 1; }
rm -rf "$target/run"
mv "$work/run" "$target/run"
cat "$target/run/checkpoint/state.json"

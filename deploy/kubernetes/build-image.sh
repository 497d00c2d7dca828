#!/usr/bin/env bash
# Build the students' image for Zero to JupyterHub (values.yaml beside this file) from this repository
# with repo2docker, as Binder does, plus deploy/kubernetes/appendix.Dockerfile (nbgitpuller, the lean
# kernel). Needs Docker (or Podman) and `pip install jupyter-repo2docker`. Not run by the test suite.
#
#   deploy/kubernetes/build-image.sh IMAGE[:TAG] [--push]
#   deploy/kubernetes/build-image.sh registry.example.org/course/singleuser:2026-12 --push
#
# Then set singleuser.image.name and .tag in values.yaml to the same IMAGE and TAG.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -lt 1 ]; then
  echo "usage: $0 IMAGE[:TAG] [--push]" >&2
  exit 2
fi
IMAGE="$1"
shift

# --target-repo-dir: the repository goes to /srv/course, not to /home/jovyan, where Zero to
# JupyterHub mounts each student's own volume (which would hide it, and with it the editable
# install of course_lib and its datasets/). The students' notebooks come from nbgitpuller instead.
# --user-id/--user-name: the uid 1000 "jovyan" that the chart runs students' pods as.
exec jupyter-repo2docker \
  --no-run \
  --user-id 1000 \
  --user-name jovyan \
  --target-repo-dir /srv/course \
  --image-name "$IMAGE" \
  --appendix "$(cat deploy/kubernetes/appendix.Dockerfile)" \
  "$@" \
  .

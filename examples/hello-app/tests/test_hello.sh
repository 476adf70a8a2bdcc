#!/bin/sh
# The example app's tests, run on the host before the image is built.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$("$here/app/hello.sh" demo)"
case "$out" in
  "Hello, demo! (running as "*) echo "ok - greets by name" ;;
  *) echo "not ok - unexpected output: $out"; exit 1 ;;
esac

#!/bin/sh
# The example app: greets whoever it is asked to, and says which user it runs as.
set -eu
name="${1:-world}"
printf 'Hello, %s! (running as %s)\n' "$name" "$(id -un 2>/dev/null || id -u)"

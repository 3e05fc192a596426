#!/usr/bin/env bash
# The tools of the end-to-end test, outside the repository: Node 24 (code-server needs it;
# npm's `node` package brings the binary) and code-server, each in a folder of the cache
# named after its version, installed once and reused.
#
#   bash editors/vscode/e2e/setup.sh              install what is missing, then print where
#   bash editors/vscode/e2e/setup.sh --installed  print where, or exit 1 saying what is missing
#
# Prints `node=PATH` and `code_server=PATH` (code-server's launcher, run with that Node).
# The cache is $DFLINT_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/dflint-vscode-e2e.
# code-server's install builds native modules: it needs a C++ compiler, make, Python and
# the Kerberos headers (Debian: build-essential libkrb5-dev), and takes minutes.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

cache="${DFLINT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dflint-vscode-e2e}"
node_dir="$cache/node-$NODE_VERSION"
code_server_dir="$cache/code-server-$CODE_SERVER_VERSION"
node="$node_dir/node_modules/node/bin/node"
code_server="$code_server_dir/node_modules/code-server/out/node/entry.js"

report() {
    echo "node=$node"
    echo "code_server=$code_server"
}

if [[ "${1:-}" == "--installed" ]]; then
    missing=()
    [[ -x "$node" ]] || missing+=("Node $NODE_VERSION")
    [[ -f "$code_server" ]] || missing+=("code-server $CODE_SERVER_VERSION")
    if ((${#missing[@]})); then
        list="$(printf '%s, ' "${missing[@]}")"
        echo "not installed in $cache: ${list%, }; run \`bash editors/vscode/e2e/setup.sh\`" >&2
        exit 1
    fi
    report
    exit 0
fi

# Installs into a scratch folder beside the final one, then renames it: an interrupted
# install leaves no half-made folder that would be taken as installed.
install() {
    local target="$1"
    shift
    local scratch="$target.partial"
    rm -rf "$scratch"
    mkdir -p "$scratch"
    npm install --prefix "$scratch" --no-save --no-audit --no-fund --loglevel=error "$@" >&2
    rm -rf "$target"
    mv "$scratch" "$target"
}

mkdir -p "$cache"
if [[ ! -x "$node" ]]; then
    echo "installing Node $NODE_VERSION into $node_dir" >&2
    install "$node_dir" "node@$NODE_VERSION"
fi
if [[ ! -f "$code_server" ]]; then
    echo "installing code-server $CODE_SERVER_VERSION into $code_server_dir (this takes minutes)" >&2
    # npm runs code-server's install scripts with the Node first on PATH.
    PATH="$(dirname "$node"):$PATH" install "$code_server_dir" "code-server@$CODE_SERVER_VERSION"
fi
report

# Sourced by the other scripts: repo root, PATH and the non-interactive environment.
# shellcheck shell=bash

HW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HW_ROOT

# cargo-installed tools (trunk, wasm-bindgen) and then npm tools (wasm-opt) first on PATH.
if [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
export PATH="$HW_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Never ask, never download a tool behind our back.
export DEBIAN_FRONTEND=noninteractive
export TRUNK_OFFLINE=true
export NPM_CONFIG_AUDIT=false
export NPM_CONFIG_FUND=false
export NPM_CONFIG_UPDATE_NOTIFIER=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# The wasm-bindgen version in Cargo.lock (the CLI must be exactly this version).
hw_lock_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$HW_ROOT/Cargo.lock"
}

hw_log() {
  if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}

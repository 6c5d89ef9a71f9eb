#!/usr/bin/env bash
# Installs what building (and with `test`, testing) Docket needs, skipping what is there.
# Source it: it puts the project's wasm-opt on PATH for the rest of the calling script.
#   source .ci/setup.sh        # build tools only
#   source .ci/setup.sh test   # plus Chromium for the browser tests
# Nothing here downloads a prebuilt binary: Rust tools build from crates.io, wasm-opt comes
# from npm's binaryen package, Chromium from Debian.

_docket_setup() {
  local root want have
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cd "$root" || return 1

  # The toolchain and wasm target named in rust-toolchain.toml.
  want=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  if ! rustup toolchain list | grep -q "^$want"; then
    echo "setup: installing Rust $want"
    rustup toolchain install "$want" --profile minimal --component rustfmt,clippy \
      --target wasm32-unknown-unknown || return 1
  fi
  if ! rustup target list --installed --toolchain "$want" | grep -q wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown --toolchain "$want" || return 1
  fi

  # cargo-leptos, built from source without its binary downloads.
  want=0.3.11
  have=$(cargo leptos --version 2>/dev/null | awk '{print $2}')
  if [ "$have" != "$want" ]; then
    echo "setup: building cargo-leptos $want (one time, long)"
    cargo install cargo-leptos --version "$want" --locked --features no_downloads || return 1
  fi

  # The wasm-bindgen CLI at exactly the version Cargo.lock resolved.
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print}' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
  if [ "$have" != "$want" ]; then
    echo "setup: building wasm-bindgen-cli $want"
    cargo install wasm-bindgen-cli --version "$want" || return 1
  fi

  # npm packages from the committed lock file: Playwright and binaryen's wasm-opt.
  local stamp=end2end/node_modules/.docket-lock
  if ! cmp -s end2end/package-lock.json "$stamp" 2>/dev/null; then
    echo "setup: installing end2end npm packages"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error) || return 1
    cp end2end/package-lock.json "$stamp"
  fi
  export PATH="$root/end2end/node_modules/.bin:$PATH"

  # A real SMTP server for the mail tests: aiosmtpd from PyPI, in a venv under target/.
  if [ "${1:-}" = test ] && ! target/mail-venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
    echo "setup: installing aiosmtpd for the mail tests"
    python3 -m venv target/mail-venv && target/mail-venv/bin/pip install -q aiosmtpd==1.4.6 || return 1
  fi

  if [ "${1:-}" = test ] && ! [ -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's Chromium"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null || return 1
  fi
}

_docket_setup "$@" || { echo "setup failed" >&2; return 1 2>/dev/null || exit 1; }
unset -f _docket_setup

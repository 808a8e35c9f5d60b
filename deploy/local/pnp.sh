#!/usr/bin/env bash
# One entry point for a fresh Debian machine with Node 20: installs what is missing (Debian's ejabberd and
# redis-server, the npm dependencies), then runs the PnP server or the whole test suite.
#
#   deploy/local/pnp.sh serve [--demo N]   PnP server on a project-local ejabberd and Redis (+ N demo devices)
#   deploy/local/pnp.sh test [vitest args]  the whole test suite (starts its own ejabberd and Redis)
#   deploy/local/pnp.sh setup               only install what is missing
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "pnp.sh: $*" >&2; exit 1; }

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}
node_ok || die "Node.js 20.19 or newer is required (found: $(node --version 2>/dev/null || echo none))"

install_debian_packages() {
  local missing=()
  [ -x /usr/sbin/ejabberdctl ] || missing+=(ejabberd)
  [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "installing ${missing[*]} needs root: run as root or install sudo"
    sudo="sudo"
  fi
  echo "pnp.sh: installing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # We run our own instances with project-local config, data and ports; the system services that Debian
  # may have started on install would hold the default ports, so stop and disable them.
  for svc in ejabberd redis-server; do
    if [[ " ${missing[*]} " == *" $svc "* ]]; then
      if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
      elif command -v service >/dev/null 2>&1; then
        $sudo service "$svc" stop >/dev/null 2>&1 || true
      fi
    fi
  done
}

install_npm_packages() {
  # Reinstall when node_modules is missing or older than the lock file.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "pnp.sh: installing npm dependencies"
    npm ci --no-audit --no-fund
  fi
}

command="${1:-serve}"
[ $# -gt 0 ] && shift
install_debian_packages
install_npm_packages

case "$command" in
  setup) echo "pnp.sh: ready" ;;
  serve) exec npx tsx src/cli/index.ts serve --local "$@" ;;
  test) exec npx vitest run "$@" ;;
  *) die "unknown command '$command' (serve, test, setup)" ;;
esac

#!/usr/bin/env bash
# Confidant developer entry point.
#
#   ./dev.sh run            install what is missing, build, start the relay on
#                           127.0.0.1:7443 with data in ./var/relay
#   ./dev.sh test [PRESET]  install, build and run the whole suite (default
#                           preset, or "asan" for ASan+UBSan)
#   ./dev.sh desktop [ROLE] start the desktop app against the relay of
#                           `./dev.sh run` (profile var/desktop-ROLE; ROLE
#                           defaults to "employee"; another name, another
#                           profile)
#   ./dev.sh deps           install missing Debian packages only
#   ./dev.sh build [PRESET] configure and build only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git openssl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libssl-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libgmock-dev libsignal-protocol-c-dev libargon2-dev libbenchmark-dev
  libicu-dev libzxcvbn-dev rocksdb-tools tzdata
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  # The desktop app (client/desktop/): Qt 6 Quick, Linguist, QR codes.
  qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-l10n-tools qt6-svg-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-templates qml6-module-qtquick-window
  qml6-module-qtqml-workerscript qml6-module-qtquick-dialogs qml6-module-qttest
  qml6-module-qtqml libqrencode-dev
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

build() {
  local preset="${1:-default}"
  export CCACHE_BASEDIR="$PWD" CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
  log "configuring and building ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}

run_tests() {
  local preset="${1:-default}"
  deps
  build "$preset"
  log "running the test suite ($preset)"
  ctest --preset "$preset" -j2
}

run_desktop() {
  deps
  build default
  local role="${1:-employee}"
  local bin=build/default/client/desktop/confidant-desktop
  [ -x "$bin" ] || { log "confidant-desktop was not built (is Qt 6 installed?)"; exit 1; }
  mkdir -p var
  log "starting the desktop app ($role) against 127.0.0.1:7443"
  exec "$bin" --profile "var/desktop-$role" --relay 127.0.0.1:7443 --insecure
}

run_relay() {
  deps
  build default
  local bin=build/default/server
  local data=var/relay
  mkdir -p var
  log "starting the relay on 127.0.0.1:7443 (data in ./$data; Ctrl-C stops it)"
  "$bin/confidant-relay" --data-dir "$data" --listen 127.0.0.1:7443 &
  local relay=$!
  trap 'kill -TERM $relay 2>/dev/null' INT TERM
  for _ in $(seq 1 100); do
    [ -S "$data/admin/admin.sock" ] && break
    kill -0 "$relay" 2>/dev/null || { wait "$relay"; exit $?; }
    sleep 0.1
  done
  if "$bin/confidant-admin" --data-dir "$data" --json org list | grep -Eq '"organisations": *\[\]'; then
    log "first start: creating a demo organisation"
    local org
    org=$("$bin/confidant-admin" --data-dir "$data" --json org create "Demo organisation")
    local org_id code
    org_id=$(sed -n 's/.*"id": *"\([0-9a-f]*\)".*/\1/p' <<<"$org" | head -n1)
    code=$(sed -n 's/.*"access_code": *"\([^"]*\)".*/\1/p' <<<"$org")
    local invite
    invite=$("$bin/confidant-admin" --data-dir "$data" --json invite create --org "$org_id")
    invite=$(sed -n 's/.*"invite_code": *"\([^"]*\)".*/\1/p' <<<"$invite")
    local relay_key
    relay_key=$("$bin/confidant-admin" --data-dir "$data" --json relay-key show)
    relay_key=$(sed -n 's/.*"root_fingerprint": *"\([^"]*\)".*/\1/p' <<<"$relay_key")
    cat <<MSG

  Demo organisation created / Demo-organisatie aangemaakt
    organisation id:                     $org_id
    employee access code / toegangscode: $code
    trust-person invite / uitnodiging:   $invite   (valid 7 days, single use)
    relay key / relaissleutel:           $relay_key
                                         (publish it; clients check it with
                                          confidant join --relay-key "...")

  More with: $bin/confidant-admin --data-dir $data --help

MSG
  fi
  # A signal interrupts `wait`; keep waiting until the relay has flushed and
  # exited, then report its status.
  local status=0
  while :; do
    wait "$relay" && status=0 || status=$?
    kill -0 "$relay" 2>/dev/null || break
  done
  return "$status"
}

case "${1:-}" in
  run) run_relay ;;
  desktop) run_desktop "${2:-employee}" ;;
  test) run_tests "${2:-default}" ;;
  deps) deps ;;
  build) deps; build "${2:-default}" ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

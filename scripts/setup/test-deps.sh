#!/usr/bin/env bash
# Installs the real components the test suite runs against. Idempotent: a second run
# changes nothing and prints only the final summary line.
#   - Debian packages: prometheus, prometheus-node-exporter, chromium, faketime (apt-get; faketime runs the
#     clock-sensitive suites a year ahead, so a test that depends on today's date fails the day it is written)
#   - OpenTelemetry Collector built by the official builder (ocb) from
#     otel-config/builder-config.yaml, cached by the manifest's sha256.
# No services are started: the tests start the binaries themselves.
# Keep the cache rule in sync with test/support/binaries.ts.
set -euo pipefail

OCB_VERSION="v0.158.0" # must match the core version in otel-config/builder-config.yaml

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
manifest="$repo_root/otel-config/builder-config.yaml"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/hmx-mission-control"

log() { printf 'test-deps: %s\n' "$*" >&2; }
die() { printf 'test-deps: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- Debian packages
install_debian_packages() {
  local missing=() pkg
  for pkg in prometheus prometheus-node-exporter chromium faketime; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  # No systemd here: package scripts may fail to start services; the tests start the binaries.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- OTel Collector (ocb)
manifest_hash() { sha256sum "$manifest" | cut -c1-16; }

install_ocb() {
  local dir="$cache_root/ocb-$OCB_VERSION"
  if [ ! -x "$dir/builder" ]; then
    command -v go >/dev/null || die "go not found (needed to install the collector builder)"
    log "installing ocb go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS="${GOFLAGS:-} -mod=mod" go install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
  fi
  printf '%s\n' "$dir/builder"
}

build_otelcol() {
  [ -f "$manifest" ] || die "missing $manifest"
  local out_dir bin ocb work start
  out_dir="$cache_root/otelcol-$(manifest_hash)"
  bin="$out_dir/otelcol-hmx"
  mkdir -p "$out_dir"
  # Serialise concurrent runs (several agents or test runs may call this at once).
  exec 9>"$out_dir/.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    ocb="$(install_ocb)"
    work="$(mktemp -d "$out_dir/build.XXXXXX")"
    log "building the OpenTelemetry Collector from otel-config/builder-config.yaml (cold build: several minutes)"
    start=$(date +%s)
    if ! (cd "$work" && GOFLAGS="${GOFLAGS:-} -mod=mod" nice -n 10 "$ocb" --config="$manifest" >"$work/ocb.log" 2>&1); then
      tail -n 40 "$work/ocb.log" >&2
      die "ocb build failed (full log: $work/ocb.log)"
    fi
    mv "$work/_build/otelcol-hmx" "$bin.tmp" && mv "$bin.tmp" "$bin"
    rm -rf "$work"
    log "built $bin in $(( $(date +%s) - start ))s"
  fi
  flock -u 9
  printf '%s\n' "$bin"
}

find_chromium() {
  local c
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null; then command -v "$c"; return 0; fi
  done
  die "chromium not found after installing the Debian package"
}

main() {
  install_debian_packages
  local otelcol prom node chrome
  otelcol="$(build_otelcol)"
  prom="$(command -v prometheus)" || die "prometheus binary not found"
  node="$(command -v prometheus-node-exporter)" || die "prometheus-node-exporter binary not found"
  chrome="$(find_chromium)"
  command -v faketime >/dev/null || die "faketime not found after installing the Debian package"
  "$otelcol" --version >/dev/null || die "$otelcol does not run"
  printf 'test deps ready: otelcol=%s prometheus=%s node_exporter=%s chromium=%s\n' \
    "$otelcol" "$prom" "$node" "$chrome"
}

main "$@"

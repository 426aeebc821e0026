#!/usr/bin/env bash
# Install the Debian packages leadvault builds and tests with, when missing.
set -euo pipefail
# clang + libclang-rt-14-dev: the libFuzzer targets; clang-tidy and
# cppcheck: scripts/lint.sh; gcovr: scripts/coverage.sh; chromium: the
# headless checks of HTML output (tests/html), with fonts for Devanagari
# (fonts-lohit-deva) and CJK (fonts-wqy-microhei); DejaVu covers Arabic.
# libmicrohttpd-dev: leadvault serve (built with GnuTLS for its TLS);
# libcurl4-gnutls-dev: the CLI's client mode - the GnuTLS flavour, so that
# one TLS library (and one set of priority strings) serves both sides;
# gnutls-bin: certtool and gnutls-cli, for the server tests' certificates
# and TLS probes.
packages=(gcc make cmake pkg-config python3 sqlite3 faketime cppcheck
          clang libclang-rt-14-dev clang-tidy gcovr
          libsodium-dev libargon2-dev libsqlite3-dev libjansson-dev libcsv-dev
          libutf8proc-dev libcmocka-dev
          libmicrohttpd-dev libcurl4-gnutls-dev gnutls-bin
          chromium fonts-lohit-deva fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

#!/usr/bin/env bash
# Static analysis of the library, the CLI and the server with cppcheck and clang-tidy
# (checks in .clang-tidy); any finding fails. Suppressions, when one is ever
# needed, go inline with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
cppcheck --enable=warning,style,portability,performance --std=c11 --inline-suppr \
  --error-exitcode=1 --quiet -Iinclude -Ivault -Icli -Iserver -D__GNUC__ \
  --suppress=missingIncludeSystem vault cli server
echo "cppcheck: no findings"

# clang-tidy needs each file's real flags: configure (no build) a tree of
# its own and read its compile_commands.json.
tidy=$(command -v clang-tidy || command -v clang-tidy-14 || true)
if [ -z "$tidy" ]; then
  echo "lint: clang-tidy not found (Debian package clang-tidy)" >&2
  exit 1
fi
root=$(pwd -P)
cmake -S . -B build-lint -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DLEADVAULT_TESTS=OFF >/dev/null
sources=(vault/*.c cli/*.c server/*.c)
# A file CMake does not build would silently escape the lint.
for f in "${sources[@]}"; do
  if ! grep -qF "\"file\": \"$root/$f\"" build-lint/compile_commands.json; then
    echo "lint: $f is not in the CMake build, so clang-tidy cannot check it" >&2
    exit 1
  fi
done
jobs=$(nproc 2>/dev/null || echo 2)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
if command -v run-clang-tidy >/dev/null; then
  run-clang-tidy -clang-tidy-binary "$tidy" -p build-lint -j "$jobs" -quiet \
    '/(vault|cli|server)/[^/]+\.c$' >"$log" 2>&1 || status=$?
else
  printf '%s\0' "${sources[@]}" |
    xargs -0 -n 1 -P "$jobs" "$tidy" -p build-lint --quiet >"$log" 2>&1 || status=$?
fi
if [ "$status" -ne 0 ]; then
  # Findings only: no colour codes (run-clang-tidy asks for them), no
  # per-file command lines, no counts of warnings in system headers.
  sed 's/\x1b\[[0-9;]*m//g' "$log" |
    grep -vE '^([^ ]*clang-tidy[^ ]* .*-p=?build-lint .*|[0-9]+ warnings? generated\.)$' || true
  echo "clang-tidy: findings above (configuration in .clang-tidy)" >&2
  exit 1
fi
echo "clang-tidy: no findings (${#sources[@]} files)"

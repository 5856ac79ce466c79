#!/usr/bin/env bash
# run.sh: installs the plain build into a temporary prefix and uses it from there: the binary
# must serve the fixtures and scenarios under <prefix>/share/refold-mock (not the source tree's),
# a C program built only with the installed header, library and pkg-config file must embed the
# mock, and CPack must make a .deb holding all of it.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
STAGE=install
source "$root/tests/harness/mock.sh"
build=${REFOLD_BUILD_DIR:-$root/build}
[ -f "$build/CMakeCache.txt" ] || { echo "install: no build in $build (set REFOLD_BUILD_DIR)"; exit 1; }
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "install: FAIL: $*"; exit 1; }
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
pc=$(find "$prefix" -name refold-mock.pc | head -1)
for f in bin/refold-mock include/refold_mock.h share/refold-mock/fixtures/orgs.json \
         share/refold-mock/fixtures/apps/hubspot.json share/refold-mock/scenarios/quickstart-hubspot.json; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
[ -n "$pc" ] || fail "refold-mock.pc is not installed"
[ -n "$(find "$prefix" -name librefoldmock.a)" ] || fail "librefoldmock.a is not installed"
echo "install: installed into a temporary prefix"

# Nothing built points back at the build machine: no path of the checkout or the build directory.
for f in "$prefix/bin/refold-mock" $(find "$prefix" -name librefoldmock.a); do
  if strings "$f" | grep -qF -e "$root" -e "$build"; then
    fail "$f names a build-machine path: $(strings "$f" | grep -F -e "$root" -e "$build" | head -3 | tr '\n' ' ')"
  fi
done
echo "install: no build-machine path in the installed binary or library"

# The installed binary and the embedding program run with the checkout hidden (an empty tmpfs
# mounted over it in a private mount namespace), so they can only use the installed data.
if unshare -rm true 2>/dev/null; then
  # exec all the way down: the pid the caller holds is the program's own, for kill
  hidden() { exec unshare -rm sh -c 'mount -t tmpfs none "$0" && [ ! -e "$0/CMakeLists.txt" ] && exec "$@"' "$root" "$@"; }
  echo "install: the checkout $root is hidden from the installed programs"
else
  hidden() { exec "$@"; }
  echo "install: unshare is not permitted here: the checkout is not hidden"
fi

# The installed binary reads the installed data: mark the installed copies and look for the marks.
sed -i 's/"name": "Acme"/"name": "Acme (installed copy)"/' "$prefix/share/refold-mock/fixtures/orgs.json"
cp "$prefix/share/refold-mock/scenarios/quickstart-hubspot.json" "$prefix/share/refold-mock/scenarios/only-installed.json"
(cd "$tmp" && hidden "$prefix/bin/refold-mock" --port 0 --scenario only-installed >"$tmp/mock.out" 2>&1) &
pid=$!
mock_wait "$pid" "$tmp/mock.out"
url=$MOCK_URL
grep -q "Acme (installed copy)" "$tmp/mock.out" || { cat "$tmp/mock.out"; fail "the installed binary did not read <prefix>/share/refold-mock/fixtures"; }
status=$(curl -s "$url/__mock/scenario" -H "x-api-key: tk_acme_test")
grep -q 'only-installed' <<<"$status" || fail "the installed binary did not load <prefix>/share/refold-mock/scenarios: $status"
code=$(curl -s -o "$tmp/app.json" -w '%{http_code}' "$url/api/v2/public/auth-structure/hubspot")
[ "$code" = 200 ] || fail "GET /api/v2/public/auth-structure/hubspot from the installed binary: $code"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
echo "install: the installed binary serves the installed fixtures and scenarios"

# Embedding: only what was installed, found through pkg-config.
export PKG_CONFIG_PATH=$(dirname "$pc")
cflags=$(pkg-config --cflags refold-mock) && libs=$(pkg-config --libs refold-mock) || fail "pkg-config refold-mock"
fixtures=$(pkg-config --variable=fixturesdir refold-mock)
scenarios=$(pkg-config --variable=scenariosdir refold-mock)
[ -f "$fixtures/orgs.json" ] || fail "pkg-config fixturesdir points at $fixtures"
cc -std=gnu11 -Wall -Wextra -Werror -o "$tmp/embed" "$root/tests/install/embed.c" $cflags \
   -DFIXTURES_DIR="\"$fixtures\"" -DSCENARIOS_DIR="\"$scenarios\"" $libs || fail "compiling against the installed library"
(cd "$tmp" && hidden "$tmp/embed") || fail "the embedding program"
echo "install: a C program built from the installed header, library and .pc file embeds the mock and loads a shipped scenario by name"

# The .deb
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$build" && cpack -G DEB -B "$tmp/deb" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$tmp"/deb/*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "cpack made no .deb"
  dpkg-deb -c "$deb" >"$tmp/deb.list"
  for f in bin/refold-mock include/refold_mock.h librefoldmock.a pkgconfig/refold-mock.pc \
           share/refold-mock/fixtures/orgs.json share/refold-mock/scenarios/quickstart-hubspot.json; do
    grep -q "$f" "$tmp/deb.list" || fail "the .deb lacks $f"
  done
  dpkg-deb -f "$deb" Package Version Depends | sed 's/^/install: .deb /'
  echo "install: cpack made $(basename "$deb")"
else
  echo "install: cpack or dpkg-deb missing: the .deb was not checked"; exit 1
fi
echo "install: ok"

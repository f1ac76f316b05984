#!/usr/bin/env bash
# libgenuine as others use it (issue 14, item 6): `make install DESTDIR=...`
# lays out bin, lib (.a, .so with its soname), include and genuine.pc; the
# .so exports exactly the GN_API declarations; examples/decide.c builds from
# the installed files only (pkg-config), shared and static, as C and as C++
# (the extern "C" guards), and prints the decisions the engine makes.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

STAGE=$TMP/stage
PREFIX=/opt/genuine
${MAKE:-make} --no-print-directory -s install DESTDIR="$STAGE" PREFIX="$PREFIX" > "$TMP/install.log" 2>&1 ||
    { cat "$TMP/install.log" >&2; exit 1; }
ROOT=$STAGE$PREFIX
LIB=$ROOT/lib

for f in bin/genuine lib/libgenuine.a lib/libgenuine.so.0.1.0 include/genuine.h lib/pkgconfig/genuine.pc; do
    check "installed $f" test -f "$ROOT/$f"
done
check "bin/genuine runs" eval '"$ROOT/bin/genuine" --help > /dev/null'
check "genuine --version names the library's version" \
    test "$("$ROOT/bin/genuine" --version)" = "genuine 0.1.0"
check "libgenuine.so -> soname" test "$(readlink "$LIB/libgenuine.so")" = libgenuine.so.0.1
check "soname -> the file" test "$(readlink "$LIB/libgenuine.so.0.1")" = libgenuine.so.0.1.0
soname=$(readelf -d "$LIB/libgenuine.so.0.1.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
check "the .so's soname is libgenuine.so.0.1 ($soname)" test "$soname" = libgenuine.so.0.1

# Every function the header declares is marked GN_API, and the .so exports
# those and nothing else (-fvisibility=hidden; a missing GN_API hides one).
H=$ROOT/include/genuine.h
unmarked=$(grep -E '^(const )?(int|void|char|size_t|double|int64_t)[ *]+gn_[a-z_0-9]*\(' "$H" || true)
check "every declaration carries GN_API (the library is built -fvisibility=hidden: without it a function is not exported): ${unmarked:-none missing}" test -z "$unmarked"
sed -n 's/^GN_API [^(]*\<\(gn_[a-z_0-9]*\)(.*/\1/p' "$H" | sort > "$TMP/declared"
nm -D --defined-only "$LIB/libgenuine.so.0.1.0" | awk '{print $3}' | sort > "$TMP/exported"
check "the header declares functions ($(wc -l < "$TMP/declared"))" test "$(wc -l < "$TMP/declared")" -gt 30
check "exports = GN_API declarations: $(diff "$TMP/declared" "$TMP/exported" | tr '\n' ' ')" \
    diff -q "$TMP/declared" "$TMP/exported"

# genuine.pc: pointed into the staging root by PKG_CONFIG_SYSROOT_DIR, with
# none of the source tree's own include paths in sight.
export PKG_CONFIG_PATH=$LIB/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
pc=$(cat "$LIB/pkgconfig/genuine.pc")
for dep in sqlite3 jansson libhs icu-uc icu-i18n libmicrohttpd libsodium libcurl libpng libwebp libjpeg lua5.4; do
    check "Requires.private names $dep" grep -qE "^Requires.private:.* $dep( |$)" <<< "$pc"
done
check "Libs.private: xgboost, stdc++, m, pthread" \
    grep -qx 'Libs.private: -lxgboost -lstdc++ -lm -lpthread' <<< "$pc"
check "prefix is PREFIX, not DESTDIR" grep -qx "prefix=$PREFIX" <<< "$pc"
check "pkg-config --modversion is 0.1.0" test "$(pkg-config --modversion genuine)" = 0.1.0
cflags=$(pkg-config --cflags genuine)
check "cflags point into the install ($cflags)" has "$cflags" "-I$ROOT/include"
check "cflags name nothing of the source tree" eval '! has "$cflags" "$PWD"'

expect_decisions() { # OUTPUT: the example's decisions, as the engine makes them
    has "$1" "genuine 0.1.0 (header 0.1.0)" &&
        has "$1" 'ev-2 {"listing":"L-1","action":"allow",' &&
        has "$1" 'ev-3 {"listing":"L-2","action":"block",' &&
        has "$1" '"code":"COUNTERFEIT_LINGO"' && has "$1" '"code":"PRICE_FAR_BELOW_REFERENCE"' &&
        has "$1" 'L-2 now {"listing":"L-2","seller":"s-unknown","status":"blocked"'
}

# Shared: the program finds libgenuine.so.0.1 in the install, nowhere else.
cc -std=c11 -Wall -Wextra -Werror -pedantic examples/decide.c $(pkg-config --cflags --libs genuine) \
    -o "$TMP/decide" 2> "$TMP/cc.err" || cat "$TMP/cc.err" >&2
check "decide.c builds against the installed library (C)" test -x "$TMP/decide"
mkdir "$TMP/c"
out=$(LD_LIBRARY_PATH=$LIB "$TMP/decide" "$TMP/c" 2>&1) || true
check "decide (shared) prints the decisions: $out" expect_decisions "$out"
deps=$(LD_LIBRARY_PATH=$LIB ldd "$TMP/decide")
check "decide loads libgenuine.so.0.1 from the install" has "$deps" "libgenuine.so.0.1 => $LIB/libgenuine.so.0.1"

# Static: libgenuine.a, then what genuine.pc says it needs (Requires.private,
# linked shared here, as Debian ships them, and Libs.private).
private=$(pkg-config --print-requires-private genuine | tr '\n' ' ')
libs="$LIB/libgenuine.a $(pkg-config --libs $private) $(sed -n 's/^Libs.private: //p' <<< "$pc")"
cc -std=c11 -Wall -Wextra -Werror examples/decide.c $cflags $libs -o "$TMP/decide_static" 2> "$TMP/cc.err" ||
    cat "$TMP/cc.err" >&2
check "decide.c links libgenuine.a with what genuine.pc lists" test -x "$TMP/decide_static"
mkdir "$TMP/static"
out=$("$TMP/decide_static" "$TMP/static" 2>&1) || true
check "decide (static) prints the decisions: $out" expect_decisions "$out"
check "decide (static) needs no libgenuine.so" eval '! ldd "$TMP/decide_static" | grep -q libgenuine'

# C++: without extern "C" the names would be mangled and the link would fail.
g++ -Wall -Wextra -Werror -x c++ examples/decide.c $(pkg-config --cflags --libs genuine) \
    -o "$TMP/decide_cxx" 2> "$TMP/cxx.err" || cat "$TMP/cxx.err" >&2
check "decide.c builds as C++ against the installed library" test -x "$TMP/decide_cxx"
mkdir "$TMP/cxx"
out=$(LD_LIBRARY_PATH=$LIB "$TMP/decide_cxx" "$TMP/cxx" 2>&1) || true
check "decide (C++) prints the decisions: $out" expect_decisions "$out"

# GN_VERSION_NUMBER is usable in #if, and agrees with the parts.
printf '#include <genuine.h>\n#if GN_VERSION_NUMBER != 0x000100 || GN_VERSION_NUMBER < ((0 << 16) | (1 << 8))\n#error version\n#endif\nint main(void) { return 0; }\n' > "$TMP/v.c"
check "GN_VERSION_NUMBER is 0x000100 in #if" cc $cflags -c "$TMP/v.c" -o "$TMP/v.o"

finish

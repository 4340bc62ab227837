#!/bin/sh
# Cargo `runner` for x86_64-pc-windows-gnu: runs a Windows test binary under Wine.
#
#   .cargo/config.toml:
#     [target.x86_64-pc-windows-gnu]
#     runner = "xtask/wine-runner.sh"
#
# Cargo calls it as: wine-runner.sh <path-to.exe> [args...]
#
# - The workspace root is the parent of this script's directory (<root>/xtask/).
# - Wine gets its own prefix under <root>/target/wine/prefix (created on the first
#   run, which takes a few seconds) and WINEDEBUG=-all. WINSOCK_IOCTL_WINEPREFIX
#   names another one (the network-namespace test uses its own).
# - Wine 8.0 has no bcryptprimitives.dll/ProcessPrng, which Rust std >= 1.78
#   imports; `cargo xtask test` builds a small stand-in from
#   xtask/shim/bcryptprimitives.c into <root>/target/wine/shim, which is put on
#   WINEPATH and forced to load as the native DLL.
# - WINSOCK_IOCTL_HOST=wine is set for the program (the Windows workflow sets
#   `windows`): a test checks that run-time detection of Wine agrees.
# - The program's stdout, stderr and exit code are passed through unchanged.
# - wineserver keeps running a few seconds after the last program; this runner does
#   not stop it, because cargo runs many test binaries one after another.
#   `cargo xtask test` stops it at the end with
#   `WINEPREFIX=<root>/target/wine/prefix wineserver -k`.
set -eu

if [ "$#" -lt 1 ]; then
    echo "wine-runner.sh: usage: wine-runner.sh <program.exe> [args...]" >&2
    exit 2
fi

script_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(CDPATH= cd -- "$script_dir/.." && pwd -P)

shim_dir="$root/target/wine/shim"
if [ ! -f "$shim_dir/bcryptprimitives.dll" ]; then
    echo "wine-runner.sh: $shim_dir/bcryptprimitives.dll is missing." >&2
    echo "wine-runner.sh: Rust programs cannot start under Wine 8.0 without it;" >&2
    echo "wine-runner.sh: run \`cargo xtask test\`, which builds it and runs the tests." >&2
    exit 1
fi

if [ -x /usr/lib/wine/wine64 ]; then
    loader=/usr/lib/wine/wine64
elif command -v wine64 >/dev/null 2>&1; then
    loader=$(command -v wine64)
elif command -v wine >/dev/null 2>&1; then
    loader=$(command -v wine)
else
    echo "wine-runner.sh: no Wine loader found (/usr/lib/wine/wine64, wine64 or wine)." >&2
    echo "wine-runner.sh: on Debian: apt-get install wine64" >&2
    exit 1
fi

WINEPREFIX="${WINSOCK_IOCTL_WINEPREFIX:-$root/target/wine/prefix}"
mkdir -p "$WINEPREFIX"
export WINEPREFIX
export WINEDEBUG="${WINSOCK_IOCTL_WINEDEBUG:--all}"
# Use our bcryptprimitives.dll (native) and never look for a builtin one.
# (Debian's /usr/bin/wine also sets WINELOADER; do the same for child processes.)
export WINEDLLOVERRIDES="bcryptprimitives=n${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
export WINEPATH="$shim_dir${WINEPATH:+;$WINEPATH}"
export WINELOADER="${WINELOADER:-$loader}"
# Tells the tests which host they were started on, so that one of them can check that the
# run-time detection (`winsock_ioctl_tests::host::on_wine`) agrees.
export WINSOCK_IOCTL_HOST=wine

# First use: create the prefix now, quietly (about 5 s). Otherwise the first test
# binary's stderr gets Wine's setup notices ("configuration ... has been updated",
# a rundll32 warning), and Wine's helper processes hold that stderr open.
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    "$loader" wineboot --init </dev/null >/dev/null 2>&1 || true
fi

exec "$loader" "$@"

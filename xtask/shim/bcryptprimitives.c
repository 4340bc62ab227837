/*
 * Stand-in bcryptprimitives.dll for running the Windows test binaries under Wine 8.0.
 *
 * Rust's std (since 1.78) imports ProcessPrng from bcryptprimitives.dll to get
 * random bytes. Wine 8.0 has no such DLL/export, so a Rust .exe fails to load
 * (STATUS_DLL_NOT_FOUND, c0000135) before main runs. This DLL supplies only that
 * one export and gets its bytes from advapi32's SystemFunction036 (RtlGenRandom).
 *
 * It is built by `cargo xtask test` with the mingw-w64 cross compiler, roughly:
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 * and placed in target/wine/shim, which xtask/wine-runner.sh puts on WINEPATH.
 * On x86-64 there is a single calling convention, so the exported name is the
 * plain, undecorated "ProcessPrng" without any .def file.
 * It is test infrastructure only and is never shipped or linked into the crate.
 */
#include <windows.h>

/* RtlGenRandom's real export name; declared here so no extra header is needed. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* SystemFunction036 takes a ULONG count, so feed it at most that much per call. */
    const SIZE_T max_piece = (SIZE_T)(ULONG)-1;

    while (len > 0) {
        ULONG piece = (ULONG)(len < max_piece ? len : max_piece);
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        len -= piece;
    }
    /* The real ProcessPrng is documented to always return TRUE. */
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}

//! Which Windows the tests run on: Microsoft's, or Wine's implementation of it.
//!
//! The generated scenario tests assert Wine's outcome under Wine and the documented one on
//! Windows, so the choice must not be a guess: Wine's ntdll exports `wine_get_version`, which no
//! Windows ntdll has.

use std::sync::OnceLock;

/// Whether this process runs under Wine (ntdll exports `wine_get_version`). Asked once.
pub fn on_wine() -> bool {
    static ON_WINE: OnceLock<bool> = OnceLock::new();
    *ON_WINE.get_or_init(|| wine_version().is_some())
}

/// Wine's version string (`"8.0"`), or `None` on Windows.
pub fn wine_version() -> Option<String> {
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
    let ntdll: Vec<u16> = "ntdll.dll\0".encode_utf16().collect();
    #[allow(unsafe_code)]
    // SAFETY: the name is a NUL-terminated UTF-16 string that outlives the call; ntdll is mapped
    // into every process, and a module handle from GetModuleHandleW needs no release.
    let module = unsafe { GetModuleHandleW(ntdll.as_ptr()) };
    if module.is_null() {
        return None;
    }
    #[allow(unsafe_code)]
    // SAFETY: `module` is ntdll's handle, and the name is a NUL-terminated ASCII string.
    let export = unsafe { GetProcAddress(module, c"wine_get_version".as_ptr().cast()) }?;
    #[allow(unsafe_code)]
    // SAFETY: Wine defines `const char * CDECL wine_get_version(void)` (dlls/ntdll/version.c,
    // exported as `cdecl` by ntdll.spec); the pointer came from GetProcAddress for that name in
    // ntdll. With no arguments, cdecl and the system ABI agree on every target.
    let get: unsafe extern "C" fn() -> *const std::ffi::c_char = unsafe { std::mem::transmute(export) };
    #[allow(unsafe_code)]
    // SAFETY: Wine returns a pointer to a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(get()) };
    Some(version.to_string_lossy().into_owned())
}

/// For a handwritten test that asserts what Wine 8.0 does where Windows is documented to differ
/// (or is not documented at all): true under Wine; on Windows, says why the test checks nothing
/// there and returns false.
pub fn wine_only(why: &str) -> bool {
    let on_wine = on_wine();
    if !on_wine {
        println!("not checked on Windows: {why}");
    }
    on_wine
}

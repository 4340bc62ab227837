//! Facts about the C types that appear in control-code compositions and buffers.
//!
//! Sizes are those of the Windows ABI (LLP64): `ULONG` and `DWORD` are 4 bytes on every target.

/// A C scalar type that a spec may name as a buffer type or as the `t` of `_IOR`/`_IOW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CType {
    /// Name as written in the Windows headers.
    pub c: &'static str,
    /// Size in bytes (on every Windows target).
    pub size: u32,
    /// Type used in the raw (sys) layer.
    pub sys: &'static str,
    /// Type used in the safe layer's signatures.
    pub safe: SafeScalar,
}

/// How a scalar appears in the safe layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafeScalar {
    /// A Win32 `BOOL`: `bool` in Rust, 0 or 1 as a 4-byte integer in the buffer.
    Bool,
    /// An unsigned 32-bit integer.
    U32,
    /// A signed 32-bit integer.
    I32,
    /// An unsigned 16-bit integer.
    U16,
    /// An unsigned 64-bit integer.
    U64,
}

const TYPES: &[CType] = &[
    CType { c: "BOOL", size: 4, sys: "i32", safe: SafeScalar::Bool },
    CType { c: "DWORD", size: 4, sys: "u32", safe: SafeScalar::U32 },
    CType { c: "INT", size: 4, sys: "i32", safe: SafeScalar::I32 },
    CType { c: "UINT32", size: 4, sys: "u32", safe: SafeScalar::U32 },
    CType { c: "UINT64", size: 8, sys: "u64", safe: SafeScalar::U64 },
    CType { c: "ULONG", size: 4, sys: "u32", safe: SafeScalar::U32 },
    CType { c: "USHORT", size: 2, sys: "u16", safe: SafeScalar::U16 },
    CType { c: "int", size: 4, sys: "i32", safe: SafeScalar::I32 },
    CType { c: "u_long", size: 4, sys: "u32", safe: SafeScalar::U32 },
];

/// Looks a scalar type up by its C name.
pub fn lookup(name: &str) -> Option<CType> {
    TYPES.iter().copied().find(|t| t.c == name)
}

/// The names of all known scalar types, for error messages.
pub fn names() -> impl Iterator<Item = &'static str> {
    TYPES.iter().map(|t| t.c)
}

/// A C type that may appear in `metadata/ffi.toml` (struct fields and function-pointer parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FfiType {
    /// Name as in the headers.
    pub c: &'static str,
    /// Rust type in the sys crate (names from windows-bindgen's output where they exist there).
    pub rust: &'static str,
    /// Whether it is pointer-sized (8 bytes on 64-bit targets, 4 on 32-bit); otherwise `size`.
    pub pointer: bool,
    /// Size when not pointer-sized.
    pub size: u32,
}

const FFI_TYPES: &[FfiType] = &[
    FfiType { c: "DWORD", rust: "u32", pointer: false, size: 4 },
    FfiType { c: "DWORD_PTR", rust: "usize", pointer: true, size: 0 },
    FfiType { c: "HANDLE", rust: "HANDLE", pointer: true, size: 0 },
    FfiType { c: "INT", rust: "i32", pointer: false, size: 4 },
    FfiType { c: "LPDWORD", rust: "*mut u32", pointer: true, size: 0 },
    FfiType { c: "LPINT", rust: "*mut i32", pointer: true, size: 0 },
    FfiType { c: "LPVOID", rust: "*mut core::ffi::c_void", pointer: true, size: 0 },
    FfiType { c: "LPWSAOVERLAPPED", rust: "LPWSAOVERLAPPED", pointer: true, size: 0 },
    FfiType { c: "LPWSAOVERLAPPED_COMPLETION_ROUTINE", rust: "LPWSAOVERLAPPED_COMPLETION_ROUTINE", pointer: true, size: 0 },
    FfiType { c: "LPWSATHREADID", rust: "*mut WSATHREADID", pointer: true, size: 0 },
    FfiType { c: "SOCKET", rust: "SOCKET", pointer: true, size: 0 },
];

/// Looks an FFI type up by its C name.
pub fn ffi_lookup(name: &str) -> Option<FfiType> {
    FFI_TYPES.iter().copied().find(|t| t.c == name)
}

impl FfiType {
    /// Size (= alignment, for these scalar and pointer types) for a pointer width in bytes.
    pub fn size_for(&self, pointer_width: u32) -> u32 {
        if self.pointer { pointer_width } else { self.size }
    }
}

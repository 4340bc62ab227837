//! Facts about the C types that specs name: scalars (in compositions, buffers and struct fields)
//! and the few fixed-layout types whose contents only handwritten decoders interpret.
//!
//! Sizes are those of the Windows ABI (LLP64): `ULONG` and `DWORD` are 4 bytes on every target,
//! 64-bit integers are 8-byte aligned even on 32-bit x86, and pointer-sized types are 4 or 8 bytes.

/// A C scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CType {
    /// Name as written in the Windows headers.
    pub c: &'static str,
    /// Size in bytes on every target, or 0 for pointer-sized types (see [`CType::pointer`]).
    pub size: u32,
    /// Whether the type is pointer-sized (4 bytes on 32-bit targets, 8 on 64-bit).
    pub pointer: bool,
    /// Type used in the raw (sys) layer.
    pub sys: &'static str,
    /// How the value appears in the safe layer.
    pub safe: SafeScalar,
}

/// How a scalar appears in the safe layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafeScalar {
    /// A Win32 `BOOL`: `bool` in Rust, 0 or 1 as a 4-byte integer in the buffer.
    Bool,
    /// A `BOOLEAN`: `bool` in Rust, one byte in the buffer.
    Bool8,
    /// An unsigned 8-bit integer.
    U8,
    /// An unsigned 16-bit integer.
    U16,
    /// An unsigned 32-bit integer.
    U32,
    /// A signed 32-bit integer.
    I32,
    /// An unsigned 64-bit integer.
    U64,
    /// A socket handle: `RawSocket` (`u64`) in Rust, pointer-sized in the buffer.
    Socket,
    /// Any other pointer-sized value (handles, pointers): never decoded by the safe layer.
    Pointer,
}

impl SafeScalar {
    /// The Rust type of the value in the safe layer, or `None` for raw pointers.
    pub fn rust(self) -> Option<&'static str> {
        Some(match self {
            SafeScalar::Bool | SafeScalar::Bool8 => "bool",
            SafeScalar::U8 => "u8",
            SafeScalar::U16 => "u16",
            SafeScalar::U32 => "u32",
            SafeScalar::I32 => "i32",
            SafeScalar::U64 => "u64",
            SafeScalar::Socket => "u64",
            SafeScalar::Pointer => return None,
        })
    }

    /// Whether the safe layer may show an integer of this type as a `bool` (`as = "bool"`).
    pub fn is_integer(self) -> bool {
        matches!(self, SafeScalar::U8 | SafeScalar::U16 | SafeScalar::U32 | SafeScalar::I32 | SafeScalar::U64)
    }
}

const fn fixed(c: &'static str, size: u32, sys: &'static str, safe: SafeScalar) -> CType {
    CType { c, size, pointer: false, sys, safe }
}

const fn ptr(c: &'static str, sys: &'static str, safe: SafeScalar) -> CType {
    CType { c, size: 0, pointer: true, sys, safe }
}

const TYPES: &[CType] = &[
    fixed("ADDRESS_FAMILY", 2, "u16", SafeScalar::U16),
    fixed("BOOL", 4, "i32", SafeScalar::Bool),
    fixed("BOOLEAN", 1, "u8", SafeScalar::Bool8),
    fixed("BYTE", 1, "u8", SafeScalar::U8),
    fixed("CHAR", 1, "i8", SafeScalar::U8),
    fixed("DWORD", 4, "u32", SafeScalar::U32),
    fixed("DWORD64", 8, "u64", SafeScalar::U64),
    fixed("INT", 4, "i32", SafeScalar::I32),
    fixed("LONG", 4, "i32", SafeScalar::I32),
    fixed("UCHAR", 1, "u8", SafeScalar::U8),
    fixed("UINT", 4, "u32", SafeScalar::U32),
    fixed("UINT16", 2, "u16", SafeScalar::U16),
    fixed("UINT32", 4, "u32", SafeScalar::U32),
    fixed("UINT64", 8, "u64", SafeScalar::U64),
    fixed("ULONG", 4, "u32", SafeScalar::U32),
    fixed("ULONG64", 8, "u64", SafeScalar::U64),
    fixed("ULONGLONG", 8, "u64", SafeScalar::U64),
    fixed("USHORT", 2, "u16", SafeScalar::U16),
    fixed("WORD", 2, "u16", SafeScalar::U16),
    fixed("int", 4, "i32", SafeScalar::I32),
    fixed("u_long", 4, "u32", SafeScalar::U32),
    fixed("u_short", 2, "u16", SafeScalar::U16),
    ptr("DWORD_PTR", "usize", SafeScalar::Pointer),
    ptr("HANDLE", "HANDLE", SafeScalar::Pointer),
    ptr("LPDWORD", "*mut u32", SafeScalar::Pointer),
    ptr("LPINT", "*mut i32", SafeScalar::Pointer),
    ptr("LPSOCKADDR", "*mut SOCKADDR", SafeScalar::Pointer),
    ptr("LPVOID", "*mut core::ffi::c_void", SafeScalar::Pointer),
    ptr("LPWSAOVERLAPPED", "LPWSAOVERLAPPED", SafeScalar::Pointer),
    ptr("LPWSAOVERLAPPED_COMPLETION_ROUTINE", "LPWSAOVERLAPPED_COMPLETION_ROUTINE", SafeScalar::Pointer),
    ptr("LPWSATHREADID", "*mut WSATHREADID", SafeScalar::Pointer),
    ptr("SOCKET", "SOCKET", SafeScalar::Socket),
    ptr("ULONG_PTR", "usize", SafeScalar::Pointer),
];

/// Looks a scalar type up by its C name.
pub fn lookup(name: &str) -> Option<CType> {
    TYPES.iter().copied().find(|t| t.c == name)
}

/// Looks up a scalar that has the same size on every target (the `t` of `_IOR`/`_IOW`).
pub fn lookup_fixed(name: &str) -> Option<CType> {
    lookup(name).filter(|t| !t.pointer)
}

/// The names of all known scalar types, for error messages.
pub fn names() -> impl Iterator<Item = &'static str> {
    TYPES.iter().map(|t| t.c)
}

impl CType {
    /// Size (equal to the alignment for scalars) for a pointer width in bytes.
    pub fn size_for(&self, pointer_width: u32) -> u32 {
        if self.pointer { pointer_width } else { self.size }
    }
}

/// What a fixed-layout builtin type is, for the handwritten decoders that interpret it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinKind {
    /// A `GUID`.
    Guid,
    /// A socket address of some family (`SOCKADDR`, `sockaddr_gen`, `SOCKADDR_STORAGE`, …).
    SockAddr,
}

/// A type with a fixed layout that windows-bindgen emits from Microsoft's metadata and whose
/// fields the specs do not list: only its size and alignment are asserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Name as in the headers and in windows-bindgen's output.
    pub c: &'static str,
    /// Size in bytes (the same on every target).
    pub size: u32,
    /// Alignment in bytes.
    pub align: u32,
    /// What it holds.
    pub kind: BuiltinKind,
    /// Whether windows-bindgen's filter can name it. `GUID` is a core type that it only emits as
    /// a dependency of an item that uses it (`TRANSPORT_SETTING_ID` in `metadata/ffi.toml`).
    pub filterable: bool,
}

const BUILTINS: &[Builtin] = &[
    Builtin { c: "GUID", size: 16, align: 4, kind: BuiltinKind::Guid, filterable: false },
    Builtin { c: "SOCKADDR", size: 16, align: 2, kind: BuiltinKind::SockAddr, filterable: true },
    Builtin { c: "SOCKADDR_IN", size: 16, align: 4, kind: BuiltinKind::SockAddr, filterable: true },
    Builtin { c: "SOCKADDR_IN6", size: 28, align: 4, kind: BuiltinKind::SockAddr, filterable: true },
    Builtin { c: "SOCKADDR_STORAGE", size: 128, align: 8, kind: BuiltinKind::SockAddr, filterable: true },
    Builtin { c: "sockaddr_gen", size: 24, align: 4, kind: BuiltinKind::SockAddr, filterable: true },
];

/// Looks a builtin up by name.
pub fn builtin(name: &str) -> Option<Builtin> {
    BUILTINS.iter().copied().find(|b| b.c == name)
}

/// Every builtin, for the layout asserts and the windows-bindgen filter.
pub fn builtins() -> &'static [Builtin] {
    BUILTINS
}

//! The checked, normalised model that every emitter reads. Built only by `validate`; emitters never
//! see TOML types or spans.

use crate::compose::Composition;
use crate::ctypes::CType;
pub use crate::spec::{
    AddressFamily, BufferKind, Completion, EndCondition, FfiSource, Fixture, Form, NonBlocking, Protocol, SocketCall, SocketState,
    SocketType, Win32Kind, WineSupport,
};

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

/// Everything the emitters need.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Problems that do not stop generation (for example a buffer shape the safe layer cannot
    /// express yet: the code still gets its sys items).
    pub warnings: Vec<crate::Diagnostic>,
    /// The WSA error catalogue, sorted by value then name.
    pub catalogue: Vec<CatalogueError>,
    /// The control codes, sorted by name.
    pub codes: Vec<Code>,
    /// FFI items the Win32 metadata lacks.
    pub ffi: Ffi,
}

/// One WSA error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// Macro name.
    pub name: String,
    /// Value.
    pub value: i32,
    /// Rust variant name.
    pub variant: String,
    /// Generic meaning.
    pub text: Text,
    /// NTSTATUS values that map to it.
    pub ntstatus: Vec<u32>,
}

/// One control code.
#[derive(Debug, Clone)]
pub struct Code {
    /// Macro name.
    pub name: String,
    /// Value.
    pub value: u32,
    /// How the headers compose it.
    pub composition: Composition,
    /// Documented reason why direction bits and buffers disagree.
    pub direction_exception: Option<String>,
    /// Defining header.
    pub header: String,
    /// Source documents.
    pub sources: Vec<String>,
    /// What it does.
    pub summary: Text,
    /// Safe wrapper function name (the overlapped form adds `_overlapped`).
    pub function: String,
    /// Error enum name.
    pub error_type: String,
    /// Module (file) name of the generated code.
    pub module: String,
    /// Input buffer.
    pub input: Buffer,
    /// Output buffer.
    pub output: Buffer,
    /// Where the code applies.
    pub applicability: Applicability,
    /// Blocking behaviour.
    pub blocking: Blocking,
    /// Minimum versions (`None` for an undocumented code that states none).
    pub requirements: Option<Requirements>,
    /// Deprecation, if any.
    pub deprecation: Option<Deprecation>,
    /// Old-version behaviour.
    pub version_behaviour: Vec<VersionBehaviour>,
    /// Remarks.
    pub notes: Vec<(String, Text)>,
    /// Item lists.
    pub lists: Vec<ItemList>,
    /// Value ranges.
    pub ranges: Vec<ValueRange>,
    /// SDK inline helpers: (function, header).
    pub inline_helpers: Vec<(String, String)>,
    /// Related control codes (checked to exist).
    pub related: Vec<String>,
    /// The query code of this notification code's change stream.
    pub stream_query: Option<String>,
    /// Error table in document order.
    pub errors: Vec<ErrorRow>,
    /// Runtime scenarios.
    pub scenarios: Vec<Scenario>,
    /// What Wine 8.0 does with it.
    pub wine_support: WineSupport,
    /// Sets a value that nothing reads back.
    pub write_only: bool,
    /// Other names of the same code: `(name, header, note)`.
    pub aliases: Vec<(String, String, Text)>,
    /// Other codes with the same value (declared by both).
    pub shares_value_with: Vec<String>,
    /// Whether Microsoft documents its semantics.
    pub documented: bool,
}

/// The one documented error that no wrapper returns: an overlapped request that was started is
/// a `Pending`, and a synchronous call passes no OVERLAPPED, so Winsock never reports it to one.
pub const IO_PENDING: &str = "WSA_IO_PENDING";

impl Code {
    /// The rows of the error table that the error enum has a variant for: all but
    /// [`IO_PENDING`].
    pub fn variant_rows(&self) -> impl Iterator<Item = &ErrorRow> {
        self.errors.iter().filter(|r| r.name != IO_PENDING)
    }

    /// Whether the error table lists [`IO_PENDING`], which has no variant.
    pub fn lists_io_pending(&self) -> bool {
        self.errors.iter().any(|r| r.name == IO_PENDING)
    }

    /// Whether a request can stay pending until something happens (a notification code):
    /// its overlapped forms check the socket's mode first, and it can drive a change stream.
    pub fn can_pend(&self) -> bool {
        self.blocking.completion == Completion::OnEvent
    }

    /// Whether the safe layer offers an overlapped form returning a `Pending` request.
    pub fn has_overlapped_form(&self) -> bool {
        has_overlapped_form(&self.input, &self.output, &self.blocking)
    }

    /// Whether the safe layer has wrappers for this code.
    pub fn has_safe_wrapper(&self) -> bool {
        has_safe_wrapper(&self.input, &self.output)
    }
}

/// Whether a code with these buffers has safe wrappers: both buffers have supported shapes.
/// (Validation asks before the [`Code`] exists.)
pub fn has_safe_wrapper(input: &Buffer, output: &Buffer) -> bool {
    !matches!(input.shape, Shape::Unsupported(_)) && !matches!(output.shape, Shape::Unsupported(_))
}

/// Whether a code with these buffers and blocking behaviour has an overlapped form: notification
/// codes, and overlapped-capable codes whose output has a size known in advance. An address-list
/// input rules it out: its pointers refer to the caller's buffer, which an overlapped request
/// copies.
pub fn has_overlapped_form(input: &Buffer, output: &Buffer, blocking: &Blocking) -> bool {
    has_safe_wrapper(input, output)
        && input.shape != Shape::AddressList
        && blocking.overlapped
        && (blocking.completion == Completion::OnEvent || output.shape.is_fixed_size())
}

/// A buffer.
#[derive(Debug, Clone)]
pub struct Buffer {
    /// How it is used.
    pub kind: BufferKind,
    /// Its C type as the spec names it (absent for unused, zero and selected buffers).
    pub c_type: Option<String>,
    /// What the safe layer does with it.
    pub shape: Shape,
    /// Parameter name (input) or result name (output).
    pub name: Option<String>,
    /// What it holds.
    pub text: Option<Text>,
    /// Id of the range its value lies in.
    pub range: Option<String>,
    /// Errors after which a variable-length output is grown and the call repeated.
    pub grow_on: Vec<String>,
    /// An integer scalar shown as `bool` in the safe layer.
    pub as_bool: bool,
}

impl Buffer {
    /// Whether the code reads or writes this buffer.
    pub fn is_used(&self) -> bool {
        !matches!(self.kind, BufferKind::Unused | BufferKind::Zero)
    }
}

/// How the safe layer encodes or decodes a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// No buffer: NULL and 0.
    None,
    /// A scalar.
    Scalar(CType),
    /// An enumeration from `metadata/ffi.toml`, by C name.
    Enum(String),
    /// A fixed-size struct from `metadata/ffi.toml`, by C name.
    Struct(String),
    /// A GUID, by value.
    Guid,
    /// A socket address: `SocketAddr` in Rust, `sockaddr_in`/`sockaddr_in6` in the buffer.
    SockAddr,
    /// A `SOCKET_ADDRESS_LIST` whose entries point into the same buffer: `Vec<SocketAddr>`.
    AddressList,
    /// Opaque bytes.
    Bytes,
    /// A sequence of the fixed-size struct (by C name) filling the returned bytes.
    Array(String),
    /// The input value selects the output type.
    Selected(Vec<Choice>),
    /// A shape the safe layer cannot express yet; the code gets its sys items only.
    Unsupported(String),
}

impl Shape {
    /// Whether the output has a size known before the call (so it can be read back from an
    /// overlapped request without growing).
    pub fn is_fixed_size(&self) -> bool {
        matches!(self, Shape::Scalar(_) | Shape::Enum(_) | Shape::Struct(_) | Shape::Guid | Shape::Selected(_))
    }

    /// Whether an output of this shape has a length known only from the call, so the safe
    /// wrapper grows its buffer and calls again.
    pub fn grows(&self) -> bool {
        matches!(self, Shape::AddressList | Shape::Array(_) | Shape::Bytes)
    }
}

/// One output type of a selected output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The input value that selects it.
    pub input: ChoiceInput,
    /// The output type.
    pub output: ChoiceOutput,
    /// The safe-layer type's name.
    pub rust: String,
    /// Minimum client version, when later than the code's.
    pub min_client: Option<String>,
}

/// The input value of a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceInput {
    /// An integer (encoded with the input buffer's scalar type).
    Int(u64),
    /// A GUID constant: its name and its bytes as laid out in memory.
    Guid(String, [u8; 16]),
}

/// The output type of a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceOutput {
    /// A struct from `metadata/ffi.toml`, by C name.
    Struct(String),
    /// A function pointer from `metadata/ffi.toml`, by C name.
    FnPtr(String),
}

/// Where a code applies.
#[derive(Debug, Clone)]
pub struct Applicability {
    /// Socket types (empty: any).
    pub socket_types: Vec<SocketType>,
    /// Protocols (empty: any).
    pub protocols: Vec<Protocol>,
    /// Families (empty: any).
    pub address_families: Vec<AddressFamily>,
    /// Required state.
    pub state: SocketState,
    /// Error on the wrong socket type.
    pub wrong_type_error: Option<String>,
    /// Error in the wrong state.
    pub wrong_state_error: Option<String>,
    /// Calls it must precede.
    pub must_precede: Vec<SocketCall>,
    /// Whether both ends must issue it.
    pub both_ends: bool,
}

/// Blocking behaviour.
#[derive(Debug, Clone)]
pub struct Blocking {
    /// When it completes.
    pub completion: Completion,
    /// Non-blocking socket behaviour.
    pub nonblocking: NonBlocking,
    /// Max pending per socket.
    pub max_pending: Option<u32>,
    /// Overlapped supported.
    pub overlapped: bool,
    /// Completion routine supported.
    pub completion_routine: bool,
    /// What ends a pending request.
    pub ends_pending: Vec<EndCondition>,
    /// With which errors.
    pub ends_pending_errors: Vec<String>,
}

/// Minimum versions.
#[derive(Debug, Clone)]
pub struct Requirements {
    /// Client.
    pub min_client: String,
    /// Server.
    pub min_server: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Disagreeing statements: (client, server, source, note).
    pub disputed: Vec<(String, String, String, Text)>,
}

/// Deprecation.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// Why.
    pub reason: Text,
    /// Stated in.
    pub sources: Vec<String>,
    /// Not stated in.
    pub absent_in: Vec<String>,
}

/// Old-version behaviour.
#[derive(Debug, Clone)]
pub struct VersionBehaviour {
    /// Last client version.
    pub through_client: String,
    /// Last server version.
    pub through_server: String,
    /// Error there.
    pub error: Option<String>,
    /// Source.
    pub source: String,
    /// What happens.
    pub text: Text,
}

/// A named list.
#[derive(Debug, Clone)]
pub struct ItemList {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Items.
    pub items: Vec<String>,
    /// Sources giving it.
    pub sources: Vec<String>,
    /// Sources omitting it.
    pub missing_in: Vec<String>,
}

/// A value range.
#[derive(Debug, Clone)]
pub struct ValueRange {
    /// Id.
    pub id: String,
    /// Min.
    pub min: u64,
    /// Max.
    pub max: u64,
    /// Unit.
    pub unit: String,
    /// What it is of.
    pub text: Text,
}

/// One error row, joined with the catalogue.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// Macro name.
    pub name: String,
    /// Value.
    pub value: i32,
    /// Rust variant.
    pub variant: String,
    /// Meaning for this code.
    pub text: Text,
}

/// Outcome of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Success.
    Ok,
    /// Still pending after a short wait (overlapped form only).
    Pending,
    /// Fails with this catalogue error (name, value).
    Error(String, i32),
}

/// A runtime scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Test name.
    pub name: String,
    /// Socket fixture.
    pub socket: Fixture,
    /// Wrapper form.
    pub form: Form,
    /// Input value, for codes with an input.
    pub input: Option<InputLiteral>,
    /// For selected outputs: the safe type to ask for.
    pub choice: Option<String>,
    /// The output value Wine returns (asserted when the outcome is success).
    pub value: Option<ValueLiteral>,
    /// Documented Windows outcome.
    pub windows: Outcome,
    /// Wine outcome (asserted).
    pub wine: Outcome,
    /// What differs between Wine and Windows.
    pub note: Option<Text>,
}

/// A scenario's input value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputLiteral {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A named value of the input's enumeration (the safe variant name).
    Variant(String),
    /// A socket address, `ip:port`.
    SockAddr(String),
    /// A list of socket addresses.
    AddressList(Vec<String>),
    /// A struct: safe field name and value, in the struct's field order.
    Struct(Vec<(String, InputLiteral)>),
    /// A GUID, as the safe layer's `u128` in text order.
    Guid(u128),
    /// Opaque bytes.
    Bytes(Vec<u8>),
}

/// An expected output value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueLiteral {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// The raw value of the scenario's own socket (for handle outputs).
    TheSocket,
}

/// FFI items from `metadata/ffi.toml`.
#[derive(Debug, Clone, Default)]
pub struct Ffi {
    /// `(name, rust target, header, doc)`.
    pub aliases: Vec<(String, String, String, String)>,
    /// Structs and unions, with layouts, in dependency order (a struct after the ones it holds).
    pub structs: Vec<FfiStruct>,
    /// Enumerations.
    pub enums: Vec<FfiEnum>,
    /// GUID constants.
    pub guids: Vec<FfiGuid>,
    /// Function-pointer types.
    pub function_pointers: Vec<FfiFnPtr>,
    /// The rest of the sys crate's public FFI from Microsoft's metadata (`[[win32]]`), sorted by
    /// name.
    pub win32: Vec<FfiWin32>,
}

impl Ffi {
    /// A struct by C name.
    pub fn struct_(&self, name: &str) -> Option<&FfiStruct> {
        self.structs.iter().find(|s| s.name == name)
    }

    /// An enum by C name.
    pub fn enum_(&self, name: &str) -> Option<&FfiEnum> {
        self.enums.iter().find(|s| s.name == name)
    }

    /// A function pointer by C name.
    pub fn fn_ptr(&self, name: &str) -> Option<&FfiFnPtr> {
        self.function_pointers.iter().find(|s| s.name == name)
    }

    /// The names windows-bindgen must emit: every item whose source is Microsoft's metadata,
    /// and the builtins.
    pub fn bindgen_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .structs
            .iter()
            .filter(|s| s.source == FfiSource::Win32metadata)
            .map(|s| s.name.clone())
            .chain(self.enums.iter().filter(|e| e.source == FfiSource::Win32metadata).map(|e| e.name.clone()))
            .chain(self.function_pointers.iter().filter(|f| f.source == FfiSource::Win32metadata).map(|f| f.name.clone()))
            .chain(crate::ctypes::builtins().iter().filter(|b| b.filterable).map(|b| b.c.to_owned()))
            .chain(self.win32.iter().filter(|w| w.kind != Win32Kind::Type).map(|w| w.name.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// An item of `[[win32]]`: documented here, written by windows-bindgen.
#[derive(Debug, Clone)]
pub struct FfiWin32 {
    /// Name.
    pub name: String,
    /// Function, constant or type.
    pub kind: Win32Kind,
    /// Doc.
    pub doc: String,
    /// `(field, doc)` of a struct or union.
    pub fields: Vec<(String, String)>,
}

/// Size, alignment and field offsets for one pointer width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Size in bytes.
    pub size: u32,
    /// Alignment in bytes.
    pub align: u32,
    /// Offset of each field, in order.
    pub offsets: Vec<u32>,
}

/// A struct or union with its computed layouts.
#[derive(Debug, Clone)]
pub struct FfiStruct {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: FfiSource,
    /// Whether it is a union.
    pub union: bool,
    /// The windows-sys module that defines it, if any.
    pub windows_sys: Option<String>,
    /// Safe-layer type name.
    pub rust: String,
    /// Doc.
    pub doc: String,
    /// Fields in order.
    pub fields: Vec<FfiField>,
    /// Layout on 64-bit targets.
    pub layout64: Layout,
    /// Layout on 32-bit targets.
    pub layout32: Layout,
    /// Why the safe layer cannot show it as a Rust struct (pointer fields, unions), if so.
    pub not_safe: Option<String>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct FfiField {
    /// C name.
    pub name: String,
    /// Type.
    pub ty: FieldType,
    /// Safe-layer field name.
    pub rust: String,
    /// Shown as `bool` in the safe layer.
    pub as_bool: bool,
    /// Reserved: left out of the safe type, written as zero.
    pub reserved: bool,
    /// Doc.
    pub doc: Option<String>,
}

/// The type of a struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A scalar.
    Scalar(CType),
    /// A struct or union from the same file, by C name.
    Struct(String),
    /// An enumeration, by C name.
    Enum(String),
    /// A fixed-layout builtin.
    Builtin(crate::ctypes::Builtin),
    /// `T[N]`.
    Array(Box<FieldType>, u32),
}

/// An enumeration.
#[derive(Debug, Clone)]
pub struct FfiEnum {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: FfiSource,
    /// The scalar that holds a value.
    pub ty: CType,
    /// Safe-layer enum name.
    pub rust: String,
    /// Doc.
    pub doc: String,
    /// `(C name, value, safe variant, doc)`.
    pub values: Vec<(String, i64, String, String)>,
}

/// A GUID constant.
#[derive(Debug, Clone)]
pub struct FfiGuid {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// `(data1, data2, data3, data4)`.
    pub value: (u32, u16, u16, [u8; 8]),
    /// Doc.
    pub doc: String,
}

/// A function-pointer type.
#[derive(Debug, Clone)]
pub struct FfiFnPtr {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: FfiSource,
    /// Safe-layer wrapper type name, if it has one.
    pub rust: Option<String>,
    /// Doc.
    pub doc: String,
    /// Return type (`spec` source).
    pub returns: Option<CType>,
    /// `(name, type)` in order (`spec` source).
    pub params: Vec<(String, CType)>,
}

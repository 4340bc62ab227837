//! The checked, normalised model that every emitter reads. Built only by `validate`; emitters never
//! see TOML types or spans.

use crate::compose::Composition;
use crate::ctypes::CType;
pub use crate::spec::{
    AddressFamily, BufferKind, Completion, EndCondition, Fixture, Form, NonBlocking, Protocol, SocketCall, SocketState,
    SocketType,
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
    /// Minimum versions.
    pub requirements: Requirements,
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
    /// Error table in document order.
    pub errors: Vec<ErrorRow>,
    /// Runtime scenarios.
    pub scenarios: Vec<Scenario>,
}

impl Code {
    /// Whether the safe layer offers a blocking and an overlapped form (notification codes).
    pub fn has_overlapped_form(&self) -> bool {
        self.blocking.completion == Completion::OnEvent && self.blocking.overlapped
    }
}

/// A buffer.
#[derive(Debug, Clone)]
pub struct Buffer {
    /// How it is used.
    pub kind: BufferKind,
    /// Its type for value/variable buffers.
    pub ty: Option<CType>,
    /// Parameter name (input) or result name (output).
    pub name: Option<String>,
    /// What it holds.
    pub text: Option<Text>,
    /// Id of the range its value lies in.
    pub range: Option<String>,
}

impl Buffer {
    /// Whether the code reads or writes this buffer.
    pub fn is_used(&self) -> bool {
        matches!(self.kind, BufferKind::Value | BufferKind::Variable)
    }
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
    /// Input value (for value-input codes), as a Rust literal.
    pub input: Option<InputLiteral>,
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
}

/// FFI items from `metadata/ffi.toml`.
#[derive(Debug, Clone, Default)]
pub struct Ffi {
    /// `(name, rust target, header, doc)`.
    pub aliases: Vec<(String, String, String, String)>,
    /// Structs, with layouts.
    pub structs: Vec<FfiStruct>,
    /// Function-pointer types.
    pub function_pointers: Vec<FfiFnPtr>,
}

/// A struct with its computed layout.
#[derive(Debug, Clone)]
pub struct FfiStruct {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// Doc.
    pub doc: String,
    /// `(name, type, doc)` in order.
    pub fields: Vec<(String, crate::ctypes::FfiType, Option<String>)>,
    /// `(size, align, field offsets)` for 64-bit targets.
    pub layout64: (u32, u32, Vec<u32>),
    /// The same for 32-bit targets.
    pub layout32: (u32, u32, Vec<u32>),
}

/// A function-pointer type.
#[derive(Debug, Clone)]
pub struct FfiFnPtr {
    /// Name.
    pub name: String,
    /// Header.
    pub header: String,
    /// Doc.
    pub doc: String,
    /// Return type.
    pub returns: crate::ctypes::FfiType,
    /// `(name, type)` in order.
    pub params: Vec<(String, crate::ctypes::FfiType)>,
}

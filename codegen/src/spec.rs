//! Serde mirrors of the TOML files in `metadata/`. Nothing here is checked beyond TOML syntax and
//! field names (`deny_unknown_fields`); `validate` turns these into the IR.

use serde::Deserialize;
use toml::Spanned;

/// `metadata/errors.toml`: the catalogue of WSA error codes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// One entry per error code.
    pub error: Vec<CatalogueEntry>,
}

/// One WSA error code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// Macro name, e.g. `WSAENOTCONN`.
    pub name: Spanned<String>,
    /// Numeric value.
    pub value: Spanned<i32>,
    /// Rust enum variant name.
    pub variant: Spanned<String>,
    /// Generic meaning, English.
    pub en: String,
    /// Generic meaning, Japanese.
    pub ja: String,
    /// NTSTATUS values that Winsock reports as this error when an overlapped request ends with
    /// them (read from `OVERLAPPED.Internal` when the socket is already closed).
    #[serde(default)]
    pub ntstatus: Vec<Spanned<u32>>,
}

/// A text in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

/// `metadata/codes/<NAME>.toml`: one control code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// Macro name, e.g. `SIO_LOOPBACK_FAST_PATH`; must match the file name.
    pub name: Spanned<String>,
    /// The value, as the headers define it.
    pub value: Spanned<u32>,
    /// How the headers compose the value, e.g. `_WSAIOW(IOC_VENDOR, 16)`.
    pub composition: Spanned<String>,
    /// Why the direction bits may disagree with the buffers (a documented quirk). Absent when they agree.
    #[serde(default)]
    pub direction_exception: Option<Spanned<String>>,
    /// Header that defines the code, e.g. `mstcpip.h`.
    pub header: Spanned<String>,
    /// Documents the facts come from: `seed:<file>` or `reference:<path>` (under `../shared/`),
    /// `header:<path>` (a C header) or `metadata:<namespace>` (Microsoft's Win32 metadata).
    pub sources: Vec<Spanned<String>>,
    /// What the code does, one or two sentences.
    pub summary: Text,
    /// Rust names; defaults are derived from the code name.
    #[serde(default)]
    pub rust: RustNames,
    /// The input buffer. (Like the next four tables, required unless `documented = false`.)
    pub input: Option<Buffer>,
    /// The output buffer.
    pub output: Option<Buffer>,
    /// Which sockets the code applies to, and when.
    pub applicability: Option<Applicability>,
    /// Blocking, pending and overlapped behaviour.
    pub blocking: Option<Blocking>,
    /// Minimum Windows versions.
    pub requirements: Option<Requirements>,
    /// Present when the code is deprecated.
    #[serde(default)]
    pub deprecation: Option<Deprecation>,
    /// Behaviour specific to older Windows versions.
    #[serde(default)]
    pub version_behaviour: Vec<VersionBehaviour>,
    /// Remarks a user needs.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Named lists of items (e.g. socket options supported in a mode).
    #[serde(default)]
    pub lists: Vec<ItemList>,
    /// Numeric ranges of values the code deals with.
    #[serde(default)]
    pub ranges: Vec<ValueRange>,
    /// Inline helper functions the SDK offers for this code.
    #[serde(default)]
    pub inline_helpers: Vec<InlineHelper>,
    /// Other control codes this one works with.
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    /// For a notification code: the code that reads what it reports changes of. The safe layer
    /// then has a `*_stream` wrapper yielding the current value and the value after each change.
    #[serde(default)]
    pub stream: Option<StreamSpec>,
    /// The error table, in the documents' order (empty only for undocumented codes).
    #[serde(default)]
    pub errors: Vec<ErrorRow>,
    /// Runtime scenarios: how to provoke outcomes, and what Windows and Wine do.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// What Wine 8.0 does with the code, for the catalogue page.
    pub wine_support: Spanned<WineSupport>,
    /// Other names the headers give this same code (for example `SIO_PRIORITY_HINT` for
    /// `SIO_SET_PRIORITY_HINT`); each gets a sys constant equal to this one.
    #[serde(default)]
    pub aliases: Vec<Alias>,
    /// Other codes, of other providers or families, that happen to have the same value (for
    /// example af_irda's `SIO_LAZY_DISCOVERY` and `SIO_GET_INTERFACE_LIST`). Both specs must name each other;
    /// any other duplicate value is rejected as a mistake.
    #[serde(default)]
    pub shares_value_with: Vec<Spanned<String>>,
    /// The code only sets a value: no documented control code or socket option reads it back, so
    /// the safe layer has no getter for it and says so.
    #[serde(default)]
    pub write_only: bool,
    /// Whether Microsoft documents the code's semantics anywhere (a reference page, a catalogue
    /// entry, a structure page, a header comment). Undocumented codes get sys items only.
    #[serde(default = "yes")]
    pub documented: bool,
}

fn yes() -> bool {
    true
}

/// `[stream]`: a notification code's change stream.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    /// The query code, e.g. `SIO_ADDRESS_LIST_QUERY`: it takes the same input as the
    /// notification code and returns the value the stream yields.
    pub query: Spanned<String>,
}

/// Another name for the same control code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The other macro name.
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// Where it is defined or mentioned.
    pub sources: Vec<Spanned<String>>,
    /// Why there are two names.
    pub note: Text,
}

/// What Wine 8.0 does with a control code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WineSupport {
    /// Wine carries the code out.
    Implemented,
    /// Wine accepts the code and reports success without doing what it asks.
    Stub,
    /// Wine rejects the code (WSAEOPNOTSUPP).
    NotImplemented,
}

/// Rust names of a code's items.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustNames {
    /// Name of the safe wrapper function.
    pub function: Option<Spanned<String>>,
    /// Name of the error enum.
    pub error: Option<Spanned<String>>,
}

/// How a buffer is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BufferKind {
    /// Not used by the code; the wrappers pass NULL and 0.
    Unused,
    /// Must be zero length; the wrappers pass NULL and 0.
    Zero,
    /// One fixed-size value of `type`: a scalar, enum, struct, GUID or socket handle.
    Value,
    /// A variable-length buffer whose layout `type` names: `SOCKET_ADDRESS_LIST`, a socket address
    /// (`SOCKADDR`), or `BYTE` for opaque bytes.
    Variable,
    /// A variable-length array of the fixed-size struct `type` (output only).
    Array,
    /// No document describes the buffer (undocumented codes): the code gets no safe wrapper.
    Unknown,
    /// An output whose type the input value selects, one of `choices` (output only).
    Selected,
}

/// One buffer of a control code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Buffer {
    /// How it is used.
    pub kind: Spanned<BufferKind>,
    /// C type for `value`, `variable` and `array` buffers.
    #[serde(rename = "type")]
    pub ty: Option<Spanned<String>>,
    /// Parameter name in the safe wrapper (input) or meaning of the result (output).
    pub name: Option<Spanned<String>>,
    /// What the buffer holds.
    pub text: Option<Text>,
    /// Range of the value, naming one of the spec's `ranges`.
    pub range: Option<Spanned<String>>,
    /// Shows an integer scalar as another Rust type in the safe layer: only `"bool"` (non-zero),
    /// for codes such as FIONBIO whose `u_long` is a flag.
    #[serde(rename = "as")]
    pub as_type: Option<Spanned<String>>,
    /// Variable-length outputs: the errors that mean "the buffer is too small"; the wrapper then
    /// grows the buffer (to the size the provider reports, if larger) and calls again, a bounded
    /// number of times.
    #[serde(default)]
    pub grow_on: Vec<Spanned<String>>,
    /// `selected` outputs: which output type each input value selects.
    #[serde(default)]
    pub choices: Vec<Choice>,
}

/// One output type of a `selected` output buffer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The input value that selects it: an integer, or the name of a GUID from `metadata/ffi.toml`.
    pub input: Spanned<toml::Value>,
    /// The output's C type: a struct or a function pointer from `metadata/ffi.toml`.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Minimum client version for this choice, when later than the code's.
    pub min_client: Option<Spanned<String>>,
}

/// A socket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum SocketType {
    /// Stream sockets.
    #[serde(rename = "SOCK_STREAM")]
    Stream,
    /// Datagram sockets.
    #[serde(rename = "SOCK_DGRAM")]
    Dgram,
    /// Raw sockets.
    #[serde(rename = "SOCK_RAW")]
    Raw,
}

/// A protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum Protocol {
    /// TCP.
    #[serde(rename = "IPPROTO_TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "IPPROTO_UDP")]
    Udp,
    /// Raw IPv4.
    #[serde(rename = "IPPROTO_IP")]
    Ip,
    /// Raw IPv6.
    #[serde(rename = "IPPROTO_IPV6")]
    Ipv6,
}

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum AddressFamily {
    /// IPv4.
    #[serde(rename = "AF_INET")]
    Inet,
    /// IPv6.
    #[serde(rename = "AF_INET6")]
    Inet6,
}

/// Socket state the code requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SocketState {
    /// Any state.
    Any,
    /// Not yet connected (and not listening).
    Unconnected,
    /// Bound to a local address.
    Bound,
    /// Connected.
    Connected,
}

/// A socket call that an ordering rule refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SocketCall {
    /// `bind`
    Bind,
    /// `connect` (and ConnectEx, WSAConnect, WSAConnectByList, WSAConnectByName)
    Connect,
    /// `listen`
    Listen,
    /// `accept` (and AcceptEx, WSAAccept)
    Accept,
}

/// Where the code applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// Socket types; empty means any.
    #[serde(default)]
    pub socket_types: Vec<SocketType>,
    /// Protocols; empty means any.
    #[serde(default)]
    pub protocols: Vec<Protocol>,
    /// Address families; empty means any.
    #[serde(default)]
    pub address_families: Vec<AddressFamily>,
    /// Required socket state.
    pub state: SocketState,
    /// Error returned on a socket of the wrong type or protocol.
    pub wrong_type_error: Option<Spanned<String>>,
    /// Error returned when the socket is not in the required state.
    pub wrong_state_error: Option<Spanned<String>>,
    /// Calls the code must be issued before.
    #[serde(default)]
    pub must_precede: Vec<SocketCall>,
    /// Whether both ends of a connection must issue the code.
    #[serde(default)]
    pub both_ends: bool,
}

/// When the call completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Completes at once.
    Immediate,
    /// Pends until an event happens (a notification code).
    OnEvent,
}

/// What a non-blocking socket does without overlapped I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonBlocking {
    /// Irrelevant: the code completes at once.
    NotApplicable,
    /// Fails at once with WSAEWOULDBLOCK; readiness is signalled as a network event.
    WouldBlock,
    /// Blocks anyway: the code ignores non-blocking mode.
    Blocks,
}

/// Something that ends a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndCondition {
    /// `shutdown(SD_SEND)`.
    ShutdownSend,
    /// A graceful disconnect by DisconnectEx, or TransmitFile/TransmitPackets with TF_DISCONNECT or TF_REUSE.
    Disconnect,
    /// The connection is reset or aborted.
    Reset,
    /// A second request is issued while one is pending.
    SecondRequest,
    /// The I/O manager cancels the request (CancelIo, CancelIoEx, thread exit).
    Cancelled,
    /// The socket is closed.
    SocketClosed,
}

/// Blocking and overlapped behaviour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocking {
    /// When the call completes.
    pub completion: Spanned<Completion>,
    /// Behaviour on a non-blocking socket without overlapped I/O.
    pub nonblocking: Spanned<NonBlocking>,
    /// Maximum number of requests pending on one socket.
    pub max_pending: Option<Spanned<u32>>,
    /// Whether overlapped I/O (lpOverlapped) is supported.
    pub overlapped: bool,
    /// Whether a completion routine is supported.
    pub completion_routine: bool,
    /// What ends a pending request.
    #[serde(default)]
    pub ends_pending: Vec<EndCondition>,
    /// The errors a pending request ends with in those cases.
    #[serde(default)]
    pub ends_pending_errors: Vec<Spanned<String>>,
}

/// Minimum Windows versions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Minimum client version.
    pub min_client: Spanned<String>,
    /// Minimum server version.
    pub min_server: Spanned<String>,
    /// Sources for these minimums.
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    /// Other minimums stated by other documents.
    #[serde(default)]
    pub disputed: Vec<DisputedRequirement>,
}

/// A minimum stated by a document that disagrees with the one adopted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputedRequirement {
    /// Client version stated.
    pub min_client: Spanned<String>,
    /// Server version stated.
    pub min_server: Spanned<String>,
    /// Where it is stated.
    pub source: Spanned<String>,
    /// Why it is not the adopted one.
    pub note: Text,
}

/// Deprecation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why, in a sentence.
    pub reason: Text,
    /// Documents that state the deprecation.
    pub sources: Vec<Spanned<String>>,
    /// Documents that describe the code without any deprecation notice.
    #[serde(default)]
    pub absent_in: Vec<Spanned<String>>,
}

/// Behaviour on a range of older Windows versions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionBehaviour {
    /// Last client version with this behaviour (and all earlier ones).
    pub through_client: Spanned<String>,
    /// Last server version with this behaviour.
    pub through_server: Spanned<String>,
    /// The error the code fails with there, if it fails.
    pub error: Option<Spanned<String>>,
    /// Where it is stated.
    pub source: Spanned<String>,
    /// What happens.
    pub text: Text,
}

/// A remark.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Short identifier, unique in the spec.
    pub topic: Spanned<String>,
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

/// A named list of items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemList {
    /// Identifier, unique in the spec.
    pub id: Spanned<String>,
    /// Title.
    pub title: Text,
    /// Items (names of options, functions, …), in the source's order.
    pub items: Vec<String>,
    /// Documents that give this list.
    pub sources: Vec<Spanned<String>>,
    /// Documents that announce the list but leave it out.
    #[serde(default)]
    pub missing_in: Vec<Spanned<String>>,
}

/// A numeric range.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    /// Identifier, unique in the spec.
    pub id: Spanned<String>,
    /// Smallest value.
    pub min: u64,
    /// Largest value.
    pub max: Spanned<u64>,
    /// Unit, e.g. `bytes`.
    pub unit: String,
    /// What the range is of.
    pub text: Text,
}

/// An inline helper in the SDK headers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineHelper {
    /// Function name.
    pub name: String,
    /// Header that defines it.
    pub header: String,
}

/// One row of the error table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRow {
    /// Catalogue name, e.g. `WSAENOTCONN`.
    pub name: Spanned<String>,
    /// Meaning for this code, English.
    pub en: String,
    /// Meaning for this code, Japanese.
    pub ja: String,
}

/// A socket prepared for a runtime scenario. Each is a function of the same name in
/// `tests/src/fixtures.rs`.
///
/// There is no fixture for `INVALID_SOCKET` itself: std's `BorrowedSocket` refuses that value
/// (its contract forbids it, and a debug assertion enforces it), so no safe wrapper can ever be
/// called with it. Its error rows are covered by the mapping tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fixture {
    /// An open handle that is not a socket (a file).
    InvalidSocket,
    /// A fresh IPv4 UDP socket.
    Udp,
    /// A fresh IPv4 UDP socket in non-blocking mode (FIONBIO).
    UdpNonblocking,
    /// An IPv4 UDP socket bound to loopback that has sent itself two datagrams, of 3 and 4 bytes,
    /// both already queued.
    UdpWithDatagrams,
    /// A fresh IPv6 UDP socket.
    Udp6,
    /// A fresh IPv4 TCP socket, neither connected nor listening.
    TcpUnconnected,
    /// A listening IPv4 TCP socket.
    TcpListening,
    /// One end of an IPv4 TCP connection over loopback.
    TcpConnected,
    /// One end of a loopback connection whose peer has sent 5 bytes, already queued.
    TcpConnectedWithData,
    /// One end of a loopback connection whose peer has sent 2 normal bytes, 1 out-of-band byte
    /// and 2 more normal bytes, all arrived; `SO_OOBINLINE` is off.
    TcpConnectedOob,
}

impl Fixture {
    /// The fixture function's name (the spec's spelling).
    pub fn name(self) -> &'static str {
        match self {
            Fixture::InvalidSocket => "invalid_socket",
            Fixture::Udp => "udp",
            Fixture::UdpNonblocking => "udp_nonblocking",
            Fixture::UdpWithDatagrams => "udp_with_datagrams",
            Fixture::Udp6 => "udp6",
            Fixture::TcpUnconnected => "tcp_unconnected",
            Fixture::TcpListening => "tcp_listening",
            Fixture::TcpConnected => "tcp_connected",
            Fixture::TcpConnectedWithData => "tcp_connected_with_data",
            Fixture::TcpConnectedOob => "tcp_connected_oob",
        }
    }
}

/// Which wrapper form a scenario calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The synchronous wrapper.
    Sync,
    /// The overlapped wrapper, waited on with a bound.
    Overlapped,
}

/// A runtime scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Test name, unique in the spec.
    pub name: Spanned<String>,
    /// The socket to call on.
    pub socket: Fixture,
    /// Which form to call.
    pub form: Spanned<Form>,
    /// Input value for codes with an input buffer: a boolean, an integer, an enum value's name, a
    /// socket address `"ip:port"`, or an inline table of a struct's safe field names.
    pub input: Option<Spanned<toml::Value>>,
    /// For `selected` outputs: the safe type to ask for (one of the choices' Rust names).
    pub choice: Option<Spanned<String>>,
    /// The output value Wine gives, asserted when the outcome is `ok`: a boolean or an integer for
    /// scalar outputs, `"the_socket"` for a handle output equal to the socket itself.
    pub value: Option<Spanned<toml::Value>>,
    /// Outcome documented for Windows: `ok`, `pending` (also: a synchronous call blocks until the
    /// event) or an error name.
    pub windows: Spanned<String>,
    /// Outcome on Wine 8.0, which the generated test asserts.
    pub wine: Spanned<String>,
    /// Required when Wine differs from Windows: what differs.
    pub note: Option<Text>,
}

/// `metadata/ffi.toml`: the C types that specs use beyond scalars, and the service-provider items
/// that Microsoft's Win32 metadata lacks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiSpec {
    /// Type aliases.
    #[serde(default)]
    pub alias: Vec<FfiAlias>,
    /// Structs and unions.
    #[serde(default, rename = "struct")]
    pub structs: Vec<FfiStruct>,
    /// Enumerations.
    #[serde(default, rename = "enum")]
    pub enums: Vec<FfiEnum>,
    /// GUID constants.
    #[serde(default)]
    pub guid: Vec<FfiGuid>,
    /// Function-pointer types.
    #[serde(default)]
    pub function_pointer: Vec<FfiFnPtr>,
    /// The rest of the sys crate's public FFI that windows-bindgen writes from Microsoft's
    /// metadata: functions, constants, and the types these and the buffer types use.
    #[serde(default)]
    pub win32: Vec<FfiWin32>,
}

/// Where the Rust definition of an FFI item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FfiSource {
    /// windows-bindgen emits it from Microsoft's Win32 metadata; the spec's fields are checked
    /// against that definition at compile time.
    Win32metadata,
    /// The metadata lacks it: the generator emits it from the spec.
    Spec,
}

/// `pub type NAME = TARGET;`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiAlias {
    /// Alias name.
    pub name: Spanned<String>,
    /// Rust type it stands for.
    pub target: Spanned<String>,
    /// Defining header.
    pub header: String,
    /// Doc.
    pub doc: String,
}

/// A `#[repr(C)]` struct or union.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiStruct {
    /// Name, as in the headers.
    pub name: Spanned<String>,
    /// Defining header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: Spanned<FfiSource>,
    /// Whether it is a union (all fields at offset 0).
    #[serde(default)]
    pub union: bool,
    /// The module of the windows-sys crate that defines it (`Win32::Networking::WinSock`), whose
    /// layout a generated test compares with ours; absent when windows-sys lacks the struct.
    pub windows_sys: Option<Spanned<String>>,
    /// Name of the safe-layer type; derived from `name` (`TCP_INFO_v0` → `TcpInfoV0`) when absent.
    pub rust: Option<Spanned<String>>,
    /// Doc.
    pub doc: String,
    /// Fields in order.
    pub fields: Vec<FfiField>,
}

/// A struct field or function parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiField {
    /// Name, as in the headers.
    pub name: Spanned<String>,
    /// C type: a scalar, a struct, enum or builtin by name, or an array `TYPE[N]`.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Name of the safe-layer field; derived from `name` (`RttUs` → `rtt_us`) when absent.
    pub rust: Option<Spanned<String>>,
    /// Shows an integer field as another Rust type in the safe layer: only `"bool"` (non-zero).
    #[serde(rename = "as")]
    pub as_type: Option<Spanned<String>>,
    /// A reserved field: left out of the safe-layer type and written as zero.
    #[serde(default)]
    pub reserved: bool,
    /// Doc.
    #[serde(default)]
    pub doc: Option<String>,
}

/// An enumeration: a scalar type and its named values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiEnum {
    /// Name, as in the headers.
    pub name: Spanned<String>,
    /// Defining header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: Spanned<FfiSource>,
    /// The scalar type that holds a value (`INT` for a C `enum`).
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Name of the safe-layer enum; derived from `name` when absent.
    pub rust: Option<Spanned<String>>,
    /// Doc.
    pub doc: String,
    /// The named values.
    pub values: Vec<FfiEnumValue>,
}

/// One named value of an enumeration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiEnumValue {
    /// Constant name, as in the headers.
    pub name: Spanned<String>,
    /// Value.
    pub value: Spanned<i64>,
    /// Safe-layer variant name; derived from `name` without the enum's common prefix when absent.
    pub rust: Option<Spanned<String>>,
    /// Doc.
    pub doc: String,
}

/// A GUID constant, such as an extension function's `WSAID_*`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiGuid {
    /// Constant name.
    pub name: Spanned<String>,
    /// Defining header.
    pub header: String,
    /// The GUID, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    pub value: Spanned<String>,
    /// Doc.
    pub doc: String,
}

/// An `unsafe extern "system" fn` pointer type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiFnPtr {
    /// Name.
    pub name: Spanned<String>,
    /// Defining header.
    pub header: String,
    /// Where the Rust definition comes from.
    pub source: Spanned<FfiSource>,
    /// Name of the safe-layer wrapper type, needed when a `selected` output returns it.
    pub rust: Option<Spanned<String>>,
    /// Doc.
    pub doc: String,
    /// Return type (`spec` source only).
    pub returns: Option<Spanned<String>>,
    /// Parameters in order (`spec` source only).
    #[serde(default)]
    pub params: Vec<FfiField>,
}

/// What a `[[win32]]` item of `metadata/ffi.toml` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Win32Kind {
    /// A function: named in windows-bindgen's filter.
    Function,
    /// A constant: named in windows-bindgen's filter.
    Constant,
    /// A type that windows-bindgen emits because a function or a buffer type uses it; named as
    /// windows-bindgen names it (a nested anonymous union is `<parent>_0`, `<parent>_0_0`, …).
    Type,
}

/// An item of the sys crate's FFI that windows-bindgen writes and that is not a buffer type:
/// `[[win32]]` only documents it (and names functions and constants in the filter).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiWin32 {
    /// Name, as windows-bindgen writes it.
    pub name: Spanned<String>,
    /// Function, constant or type.
    pub kind: Win32Kind,
    /// Doc.
    pub doc: String,
    /// The doc of each field of a struct or union (`type` only), by name.
    #[serde(default)]
    pub fields: Vec<FfiFieldDoc>,
}

/// The doc of one field of a `[[win32]]` type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FfiFieldDoc {
    /// Field name, as windows-bindgen writes it.
    pub name: Spanned<String>,
    /// Doc.
    pub doc: String,
}

//! Serde mirrors of the TOML files in `metadata/`. Nothing here is checked beyond TOML syntax and
//! field names (`deny_unknown_fields`); `validate` turns these into the IR.
//!
//! The same types give the JSON Schemas of those files (`metadata/schema/`, see [`crate::schema`]):
//! the doc comments become the schemas' descriptions, which editors show and
//! `docs/spec-format.md` lists, so they are written for spec authors. `#[schemars(with = …)]`
//! gives a field's schema where its Rust type says less than the file may hold: `Spanned<T>` is
//! described as `T`, and a string with a rule of its own (a source, a version, a name) as one of
//! the value types of `crate::schema`.

use crate::schema;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// `metadata/errors.toml`: the catalogue of WSA error codes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// One entry per error code.
    pub error: Vec<CatalogueEntry>,
}

/// `[[error]]`: one Windows Sockets error code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// The macro name, e.g. `WSAENOTCONN`; unique in the catalogue. Specs refer to errors by it.
    #[schemars(with = "schema::ErrorName")]
    pub name: Spanned<String>,
    /// The numeric value (`WSAENOTCONN` is 10057); unique in the catalogue.
    #[schemars(with = "i32")]
    pub value: Spanned<i32>,
    /// The variant that stands for the error in every generated error enum, in UpperCamelCase (e.g.
    /// `NotConnected`); unique, and none of the generator's own: `Unlisted`, `UnexpectedLength`,
    /// `MalformedOutput`, `Other`.
    #[schemars(with = "schema::UpperCamelCase")]
    pub variant: Spanned<String>,
    /// What the error means in general, in English; a code's error table says what it means for that
    /// code.
    #[schemars(with = "schema::English")]
    pub en: String,
    /// The general meaning in Japanese.
    #[schemars(with = "schema::Japanese")]
    pub ja: String,
    /// NTSTATUS values (e.g. `0xC0000120`) that Winsock reports as this error when an overlapped
    /// request ends with them (read from `OVERLAPPED.Internal` when the socket is already closed).
    #[serde(default)]
    #[schemars(with = "Vec<u32>")]
    pub ntstatus: Vec<Spanned<u32>>,
}

/// A text in English and Japanese: an inline table `{ en = "…", ja = "…" }`, or a table of its
/// own.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English: says something (not empty or blank).
    #[schemars(with = "schema::English")]
    pub en: String,
    /// Japanese: contains kana or kanji (a copy of the English is a mistake).
    #[schemars(with = "schema::Japanese")]
    pub ja: String,
}

/// `metadata/codes/<NAME>.toml`: one control code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// The macro name in UPPER_SNAKE_CASE, e.g. `SIO_LOOPBACK_FAST_PATH`; the file name is this plus
    /// `.toml`.
    #[schemars(with = "schema::MacroName")]
    pub name: Spanned<String>,
    /// The value as the headers define it, usually in hexadecimal (`0x98000010`). It must equal what
    /// `composition` computes, and no other spec may have it unless both name each other in
    /// `shares_value_with`.
    #[schemars(with = "u32")]
    pub value: Spanned<u32>,
    /// How the headers compute the value: `_WSAIOW(IOC_VENDOR, 16)`, `_IOR('t', 123, ULONG)`, or an OR
    /// of hexadecimal literals. Its direction bits must agree with the buffers, unless
    /// `direction_exception` says why they do not.
    #[schemars(with = "schema::Composition")]
    pub composition: Spanned<String>,
    /// Why the composition's direction bits disagree with the buffers (a documented quirk of the
    /// code). Only when they disagree.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub direction_exception: Option<Spanned<String>>,
    /// The header that defines the code, e.g. `mstcpip.h`.
    #[schemars(with = "String")]
    pub header: Spanned<String>,
    /// Documents the facts come from: `seed:<file>` or `reference:<path>` (under `../shared/`),
    /// `header:<path>` (a C header) or `metadata:<namespace>` (Microsoft's Win32 metadata).
    #[schemars(with = "Vec<schema::Source>")]
    pub sources: Vec<Spanned<String>>,
    /// What the code does, in one or two sentences of our own.
    pub summary: Text,
    /// `[rust]`: overrides of the Rust names, which are otherwise derived from `name`.
    #[serde(default)]
    pub rust: RustNames,
    /// `[input]`: the input buffer (`lpvInBuffer`). Required, like `[output]`, `[applicability]`,
    /// `[blocking]` and `[requirements]`, unless `documented = false`.
    pub input: Option<Buffer>,
    /// `[output]`: the output buffer (`lpvOutBuffer`).
    pub output: Option<Buffer>,
    /// `[applicability]`: which sockets the code applies to, and when.
    pub applicability: Option<Applicability>,
    /// `[blocking]`: blocking, pending and overlapped behaviour.
    pub blocking: Option<Blocking>,
    /// `[requirements]`: the minimum Windows versions.
    pub requirements: Option<Requirements>,
    /// `[deprecation]`: present when the code is deprecated.
    #[serde(default)]
    pub deprecation: Option<Deprecation>,
    /// `[[version_behaviour]]`: behaviour specific to older Windows versions.
    #[serde(default)]
    pub version_behaviour: Vec<VersionBehaviour>,
    /// `[[notes]]`: remarks a user needs.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// `[[lists]]`: named lists of items (e.g. the socket options supported in a mode).
    #[serde(default)]
    pub lists: Vec<ItemList>,
    /// `[[ranges]]`: numeric ranges of values the code deals with.
    #[serde(default)]
    pub ranges: Vec<ValueRange>,
    /// `[[inline_helpers]]`: inline helper functions the SDK headers offer for this code.
    #[serde(default)]
    pub inline_helpers: Vec<InlineHelper>,
    /// Other control codes this one works with; each must have a spec.
    #[serde(default)]
    #[schemars(with = "Vec<schema::MacroName>")]
    pub related: Vec<Spanned<String>>,
    /// `[stream]`: for a notification code, the code that reads what it reports changes of. The
    /// safe layer then has a `*_stream` wrapper yielding the current value and the value after each
    /// change.
    #[serde(default)]
    pub stream: Option<StreamSpec>,
    /// `[[errors]]`: the error table, in the documents' order (empty only for undocumented codes).
    #[serde(default)]
    pub errors: Vec<ErrorRow>,
    /// `[[scenarios]]`: runtime tests: how to provoke each outcome, and what Windows and Wine do.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// What Wine 8.0 does with the code, for the catalogue page.
    #[schemars(with = "WineSupport")]
    pub wine_support: Spanned<WineSupport>,
    /// `[[aliases]]`: other names the headers give this same code (for example `SIO_PRIORITY_HINT`
    /// for `SIO_SET_PRIORITY_HINT`); each gets a sys constant equal to this one.
    #[serde(default)]
    pub aliases: Vec<Alias>,
    /// Other codes, of other providers or families, that happen to have the same value (for
    /// example af_irda's `SIO_LAZY_DISCOVERY` and `SIO_GET_INTERFACE_LIST`). Both specs must name each other;
    /// any other duplicate value is rejected as a mistake.
    #[serde(default)]
    #[schemars(with = "Vec<schema::MacroName>")]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    /// The query code, e.g. `SIO_ADDRESS_LIST_QUERY`: it takes the same input as the notification
    /// code and returns the value the stream yields.
    #[schemars(with = "schema::MacroName")]
    pub query: Spanned<String>,
}

/// `[[aliases]]`: another name for the same control code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The other macro name, in UPPER_SNAKE_CASE.
    #[schemars(with = "schema::MacroName")]
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// The documents that define or mention it.
    #[schemars(with = "Vec<schema::Source>")]
    pub sources: Vec<Spanned<String>>,
    /// Why there are two names, in both languages.
    pub note: Text,
}

/// What Wine 8.0 does with a control code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WineSupport {
    /// Wine carries the code out.
    Implemented,
    /// Wine accepts the code and reports success without doing what it asks.
    Stub,
    /// Wine rejects the code (WSAEOPNOTSUPP).
    NotImplemented,
}

/// `[rust]`: the Rust names of a code's items, when the derived ones do not fit.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RustNames {
    /// The safe wrapper's name, in snake_case. By default the code's name without `SIO_`, in lower
    /// case (`SIO_KEEPALIVE_VALS` → `keepalive_vals`). No two specs may end up with the same one.
    #[schemars(with = "Option<schema::SnakeCase>")]
    pub function: Option<Spanned<String>>,
    /// The error enum's name, in UpperCamelCase. By default the code's name without `SIO_`, in
    /// UpperCamelCase, plus `Error` (`KeepaliveValsError`).
    #[schemars(with = "Option<schema::UpperCamelCase>")]
    pub error: Option<Spanned<String>>,
}

/// How a control code uses one of its buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// `[input]` or `[output]`: one buffer of a control code.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Buffer {
    /// How the code uses the buffer; it decides which of the other keys apply.
    #[schemars(with = "BufferKind")]
    pub kind: Spanned<BufferKind>,
    /// The C type. For `value`: a scalar, a struct or enum of `metadata/ffi.toml`, or `GUID`; for
    /// `variable`: `SOCKET_ADDRESS_LIST`, `SOCKADDR` or `SOCKADDR_STORAGE`, or `BYTE`; for `array`: a
    /// struct of `metadata/ffi.toml`. Absent for the other kinds.
    #[serde(rename = "type")]
    #[schemars(with = "Option<schema::CTypeName>")]
    pub ty: Option<Spanned<String>>,
    /// In snake_case: the wrapper's parameter for an input (required unless the kind is `unused`,
    /// `zero` or `unknown`), what the result is for an output.
    #[schemars(with = "Option<schema::SnakeCase>")]
    pub name: Option<Spanned<String>>,
    /// What the buffer holds, in both languages.
    pub text: Option<Text>,
    /// The `id` of one of the spec's `[[ranges]]`, which the value lies in (scalar values only).
    #[schemars(with = "Option<String>")]
    pub range: Option<Spanned<String>>,
    /// Shows an integer scalar as another Rust type in the safe layer: only `"bool"` (non-zero),
    /// for codes such as FIONBIO whose `u_long` is a flag.
    #[serde(rename = "as")]
    #[schemars(with = "Option<schema::AsBool>")]
    pub as_type: Option<Spanned<String>>,
    /// Variable-length outputs (`variable`, `array`): the errors that mean "the buffer is too small",
    /// each a row of the error table. The wrapper then grows the buffer (to the size the provider
    /// reports, if larger) and calls again, a bounded number of times.
    #[serde(default)]
    #[schemars(with = "Vec<schema::ErrorName>")]
    pub grow_on: Vec<Spanned<String>>,
    /// `selected` outputs: which output type each input value selects (at least one).
    #[serde(default)]
    pub choices: Vec<Choice>,
}

/// `[[output.choices]]`: one output type of a `selected` output.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The input value that selects this output: a non-negative integer when the input is an integer,
    /// the name of a `[[guid]]` of `metadata/ffi.toml` when it is a GUID. Unique among the choices.
    #[schemars(with = "schema::ChoiceInput")]
    pub input: Spanned<toml::Value>,
    /// The output's C type: a struct of `metadata/ffi.toml` that the safe layer can show, or a
    /// function pointer of it that has a `rust` name.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub ty: Spanned<String>,
    /// The first client version with this choice, when later than the code's `min_client`.
    #[schemars(with = "Option<schema::ClientVersion>")]
    pub min_client: Option<Spanned<String>>,
}

/// A socket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
pub enum AddressFamily {
    /// IPv4.
    #[serde(rename = "AF_INET")]
    Inet,
    /// IPv6.
    #[serde(rename = "AF_INET6")]
    Inet6,
}

/// The socket state the code requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// A socket call that the code must be issued before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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

/// `[applicability]`: the sockets the code applies to, and when.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
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
    /// The error returned on a socket of the wrong type or protocol; a row of the error table.
    #[schemars(with = "Option<schema::ErrorName>")]
    pub wrong_type_error: Option<Spanned<String>>,
    /// The error returned when the socket is not in the required `state` (which then is not `any`);
    /// a row of the error table.
    #[schemars(with = "Option<schema::ErrorName>")]
    pub wrong_state_error: Option<Spanned<String>>,
    /// Calls the code must be issued before.
    #[serde(default)]
    pub must_precede: Vec<SocketCall>,
    /// Whether both ends of a connection must issue the code.
    #[serde(default)]
    pub both_ends: bool,
}

/// When the call completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Completes at once.
    Immediate,
    /// Pends until an event happens (a notification code).
    OnEvent,
}

/// What a non-blocking socket does without overlapped I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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

/// `[blocking]`: blocking, pending and overlapped behaviour.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blocking {
    /// When the call completes.
    #[schemars(with = "Completion")]
    pub completion: Spanned<Completion>,
    /// Behaviour on a non-blocking socket without overlapped I/O.
    #[schemars(with = "NonBlocking")]
    pub nonblocking: Spanned<NonBlocking>,
    /// The most requests that may pend on one socket at once (at least 1). Only for codes that pend;
    /// required when `ends_pending` has `second_request`.
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub max_pending: Option<Spanned<u32>>,
    /// Whether the code can be issued with an OVERLAPPED. A notification code must support it.
    pub overlapped: bool,
    /// Whether the code can be issued with a completion routine.
    pub completion_routine: bool,
    /// What ends a pending request (codes that pend only).
    #[serde(default)]
    pub ends_pending: Vec<EndCondition>,
    /// The errors a pending request ends with in those cases; each a row of the error table.
    #[serde(default)]
    #[schemars(with = "Vec<schema::ErrorName>")]
    pub ends_pending_errors: Vec<Spanned<String>>,
}

/// `[requirements]`: the minimum Windows versions.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// The first Windows client version that has the code.
    #[schemars(with = "schema::ClientVersion")]
    pub min_client: Spanned<String>,
    /// The first Windows Server version that has the code.
    #[schemars(with = "schema::ServerVersion")]
    pub min_server: Spanned<String>,
    /// The documents that state these minimums.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Source>")]
    pub sources: Vec<Spanned<String>>,
    /// `[[requirements.disputed]]`: minimums stated by other documents, and why they are not the ones
    /// adopted.
    #[serde(default)]
    pub disputed: Vec<DisputedRequirement>,
}

/// `[[requirements.disputed]]`: a minimum stated by a document that disagrees with the one
/// adopted.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputedRequirement {
    /// The client version that document states.
    #[schemars(with = "schema::ClientVersion")]
    pub min_client: Spanned<String>,
    /// The server version that document states.
    #[schemars(with = "schema::ServerVersion")]
    pub min_server: Spanned<String>,
    /// The document that states it.
    #[schemars(with = "schema::Source")]
    pub source: Spanned<String>,
    /// Why it is not the adopted one, in both languages.
    pub note: Text,
}

/// `[deprecation]`: why and where the code is deprecated.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why the code is deprecated, in a sentence, in both languages.
    pub reason: Text,
    /// Documents that state the deprecation.
    #[schemars(with = "Vec<schema::Source>")]
    pub sources: Vec<Spanned<String>>,
    /// Documents that describe the code without any deprecation notice.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Source>")]
    pub absent_in: Vec<Spanned<String>>,
}

/// `[[version_behaviour]]`: behaviour on older Windows versions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBehaviour {
    /// The last client version with this behaviour (all earlier ones have it too).
    #[schemars(with = "schema::ClientVersion")]
    pub through_client: Spanned<String>,
    /// The last server version with this behaviour.
    #[schemars(with = "schema::ServerVersion")]
    pub through_server: Spanned<String>,
    /// The error the code fails with there, if it fails; a row of the error table.
    #[schemars(with = "Option<schema::ErrorName>")]
    pub error: Option<Spanned<String>>,
    /// The document that states it.
    #[schemars(with = "schema::Source")]
    pub source: Spanned<String>,
    /// What happens, in both languages.
    pub text: Text,
}

/// `[[notes]]`: a remark, in both languages.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// A short identifier (`how_to_use`), unique among the spec's notes.
    #[schemars(with = "String")]
    pub topic: Spanned<String>,
    /// The remark in English.
    #[schemars(with = "schema::English")]
    pub en: String,
    /// The remark in Japanese.
    #[schemars(with = "schema::Japanese")]
    pub ja: String,
}

/// `[[lists]]`: a named list of items.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemList {
    /// An identifier, unique among the spec's lists and ranges.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The list's title, in both languages.
    pub title: Text,
    /// The items (names of options, functions, …), in the source's order; at least one.
    pub items: Vec<String>,
    /// The documents that give the list.
    #[schemars(with = "Vec<schema::Source>")]
    pub sources: Vec<Spanned<String>>,
    /// Documents that announce the list but leave it out.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Source>")]
    pub missing_in: Vec<Spanned<String>>,
}

/// `[[ranges]]`: a numeric range.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    /// An identifier, unique among the spec's lists and ranges; a buffer's `range` names it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The smallest value.
    pub min: u64,
    /// The largest value; not below `min`.
    #[schemars(with = "u64")]
    pub max: Spanned<u64>,
    /// The unit, e.g. `bytes`.
    pub unit: String,
    /// What the range is of; the docs follow it with the bounds and the unit.
    pub text: Text,
}

/// `[[inline_helpers]]`: an inline helper function in the SDK headers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlineHelper {
    /// The helper's function name, e.g. `idealsendbacklogquery`.
    pub name: String,
    /// The header that defines it.
    pub header: String,
}

/// `[[errors]]`: one row of the error table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRow {
    /// An error of `metadata/errors.toml`, e.g. `WSAENOTCONN`; at most one row each.
    #[schemars(with = "schema::ErrorName")]
    pub name: Spanned<String>,
    /// What the error means for this code, in English.
    #[schemars(with = "schema::English")]
    pub en: String,
    /// What the error means for this code, in Japanese.
    #[schemars(with = "schema::Japanese")]
    pub ja: String,
}

/// A socket prepared for a runtime scenario. Each is a function of the same name in
/// `tests/src/fixtures.rs`.
///
/// There is no fixture for `INVALID_SOCKET` itself: std's `BorrowedSocket` refuses that value
/// (its contract forbids it, and a debug assertion enforces it), so no safe wrapper can ever be
/// called with it. Its error rows are covered by the mapping tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// Which wrapper a scenario calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The synchronous wrapper.
    Sync,
    /// The overlapped wrapper, waited on with a bound.
    Overlapped,
}

/// `[[scenarios]]`: a runtime test, run on Wine by `cargo xtask test`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The test's name, in snake_case; unique in the spec.
    #[schemars(with = "schema::SnakeCase")]
    pub name: Spanned<String>,
    /// The socket the test calls the code on.
    pub socket: Fixture,
    /// Which wrapper the test calls; `overlapped` only for a code that has an overlapped form.
    #[schemars(with = "Form")]
    pub form: Spanned<Form>,
    /// The input value: given exactly when the code takes an input, except for a `selected` output,
    /// whose `choice` gives it. Its form follows the input buffer's shape.
    #[schemars(with = "Option<schema::ScenarioInput>")]
    pub input: Option<Spanned<toml::Value>>,
    /// For a `selected` output: the Rust name of one of its choices (`TcpInfoV0`), which the test asks
    /// for.
    #[schemars(with = "Option<String>")]
    pub choice: Option<Spanned<String>>,
    /// The output value Wine gives, asserted when `wine` is `ok`: a boolean or an integer for scalar
    /// outputs, `"the_socket"` for a handle output equal to the socket itself.
    #[schemars(with = "Option<schema::ScenarioValue>")]
    pub value: Option<Spanned<toml::Value>>,
    /// The documented outcome on Windows: `ok`, `pending` (the request stays pending; for a
    /// synchronous call, it blocks until the event) or a row of the error table.
    #[schemars(with = "schema::Outcome")]
    pub windows: Spanned<String>,
    /// The outcome on Wine 8.0, which the generated test asserts: `ok`, `pending` (overlapped
    /// scenarios only) or a row of the error table.
    #[schemars(with = "schema::Outcome")]
    pub wine: Spanned<String>,
    /// What differs, in both languages; required when `wine` differs from `windows`.
    pub note: Option<Text>,
}

/// `metadata/ffi.toml`: the C types that specs use beyond scalars, and the service-provider items
/// that Microsoft's Win32 metadata lacks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiSpec {
    /// `[[alias]]`: type aliases.
    #[serde(default)]
    pub alias: Vec<FfiAlias>,
    /// `[[struct]]`: structs and unions.
    #[serde(default, rename = "struct")]
    pub structs: Vec<FfiStruct>,
    /// `[[enum]]`: enumerations.
    #[serde(default, rename = "enum")]
    pub enums: Vec<FfiEnum>,
    /// `[[guid]]`: GUID constants.
    #[serde(default)]
    pub guid: Vec<FfiGuid>,
    /// `[[function_pointer]]`: function-pointer types.
    #[serde(default)]
    pub function_pointer: Vec<FfiFnPtr>,
    /// The rest of the sys crate's public FFI that windows-bindgen writes from Microsoft's
    /// metadata: functions, constants, and the types these and the buffer types use.
    #[serde(default)]
    pub win32: Vec<FfiWin32>,
}

/// Where the Rust definition of an FFI item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FfiSource {
    /// windows-bindgen emits it from Microsoft's Win32 metadata; the spec's fields are checked
    /// against that definition at compile time.
    Win32metadata,
    /// The metadata lacks it: the generator emits it from the spec.
    Spec,
}

/// `[[alias]]`: a type alias, `pub type NAME = TARGET;`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiAlias {
    /// The alias's name, as in the headers.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The Rust type it stands for, e.g. `*mut OVERLAPPED`.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// The rustdoc text of the alias.
    pub doc: String,
}

/// `[[struct]]`: a C struct or union.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiStruct {
    /// The name, as in the headers; unique in the file.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// Where the Rust definition comes from.
    #[schemars(with = "FfiSource")]
    pub source: Spanned<FfiSource>,
    /// Whether it is a union (all fields at offset 0).
    #[serde(default)]
    pub union: bool,
    /// The module of the windows-sys crate that defines it (`Win32::Networking::WinSock`), whose
    /// layout a generated test compares with ours; absent when windows-sys lacks the struct.
    #[schemars(with = "Option<schema::WindowsSysModule>")]
    pub windows_sys: Option<Spanned<String>>,
    /// Name of the safe-layer type; derived from `name` (`TCP_INFO_v0` → `TcpInfoV0`) when absent.
    #[schemars(with = "Option<schema::UpperCamelCase>")]
    pub rust: Option<Spanned<String>>,
    /// The rustdoc text of the struct.
    pub doc: String,
    /// The fields, in order; at least one.
    pub fields: Vec<FfiField>,
}

/// A struct's field or a function pointer's parameter.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiField {
    /// The name, as in the headers.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The C type: a scalar, a builtin, a struct or enum of this file, or an array `TYPE[N]`.
    #[serde(rename = "type")]
    #[schemars(with = "schema::FieldType")]
    pub ty: Spanned<String>,
    /// Name of the safe-layer field; derived from `name` (`RttUs` → `rtt_us`) when absent.
    #[schemars(with = "Option<schema::SnakeCase>")]
    pub rust: Option<Spanned<String>>,
    /// Shows an integer field as another Rust type in the safe layer: only `"bool"` (non-zero).
    #[serde(rename = "as")]
    #[schemars(with = "Option<schema::AsBool>")]
    pub as_type: Option<Spanned<String>>,
    /// A reserved field: left out of the safe-layer type and written as zero.
    #[serde(default)]
    pub reserved: bool,
    /// The rustdoc text of the field.
    #[serde(default)]
    pub doc: Option<String>,
}

/// `[[enum]]`: an enumeration: a scalar type and its named values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiEnum {
    /// The name, as in the headers; unique in the file.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// Where the Rust definition comes from.
    #[schemars(with = "FfiSource")]
    pub source: Spanned<FfiSource>,
    /// The fixed-size integer scalar that holds a value (`INT` for a C `enum`).
    #[serde(rename = "type")]
    #[schemars(with = "schema::CTypeName")]
    pub ty: Spanned<String>,
    /// Name of the safe-layer enum; derived from `name` when absent.
    #[schemars(with = "Option<schema::UpperCamelCase>")]
    pub rust: Option<Spanned<String>>,
    /// The rustdoc text of the enum.
    pub doc: String,
    /// The named values; at least one.
    pub values: Vec<FfiEnumValue>,
}

/// One named value of an enumeration (`values`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiEnumValue {
    /// The constant's name, as in the headers.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The value; it must fit in the enum's `type`.
    #[schemars(with = "i64")]
    pub value: Spanned<i64>,
    /// The safe-layer variant's name, in UpperCamelCase; by default `name` without the prefix all the
    /// enum's values share, in UpperCamelCase. `Unknown` is reserved.
    #[schemars(with = "Option<schema::UpperCamelCase>")]
    pub rust: Option<Spanned<String>>,
    /// The rustdoc text of the value.
    pub doc: String,
}

/// `[[guid]]`: a GUID constant, such as an extension function's `WSAID_*`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiGuid {
    /// The constant's name, e.g. `WSAID_CONNECTEX`; unique in the file.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// The GUID, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    #[schemars(with = "schema::GuidText")]
    pub value: Spanned<String>,
    /// The rustdoc text of the constant.
    pub doc: String,
}

/// `[[function_pointer]]`: an `unsafe extern "system" fn` pointer type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiFnPtr {
    /// The type's name, as in the headers (`LPFN_CONNECTEX`); unique in the file.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The header that defines it.
    pub header: String,
    /// Where the Rust definition comes from.
    #[schemars(with = "FfiSource")]
    pub source: Spanned<FfiSource>,
    /// Name of the safe-layer wrapper type, needed when a `selected` output returns it.
    #[schemars(with = "Option<schema::UpperCamelCase>")]
    pub rust: Option<Spanned<String>>,
    /// The rustdoc text of the type.
    pub doc: String,
    /// The return type, a scalar (`spec` source only, and required there).
    #[schemars(with = "Option<schema::CTypeName>")]
    pub returns: Option<Spanned<String>>,
    /// The parameters in order, each a `name` and a scalar `type` (`spec` source only).
    #[serde(default)]
    pub params: Vec<FfiField>,
}

/// What a `[[win32]]` item of `metadata/ffi.toml` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiWin32 {
    /// Name, as windows-bindgen writes it.
    #[schemars(with = "String")]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FfiFieldDoc {
    /// Field name, as windows-bindgen writes it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Doc.
    pub doc: String,
}

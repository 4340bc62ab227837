//! Raw bindings for Windows Sockets control codes: what issuing a control code through
//! `WSAIoctl`, `ioctlsocket` or a provider's `WSPIoctl` needs, and nothing else. No logic lives
//! here.
//!
//! - A `u32` constant for every control code the SDK headers define, each asserted at compile
//!   time to equal its composition, and the composition macros as `const fn`s ([`opcode`]);
//!   [`ioctlsocket_cmd`] has the Unix-style codes typed for `ioctlsocket`.
//! - The `WSA*` error codes that [`WSAGetLastError`](fn@WSAGetLastError) returns.
//! - The functions that issue a control code and tell how it ended: [`WSAIoctl`](fn@WSAIoctl),
//!   [`ioctlsocket`](fn@ioctlsocket), [`WSAGetLastError`](fn@WSAGetLastError),
//!   [`WSAGetOverlappedResult`](fn@WSAGetOverlappedResult); the service provider's
//!   [`LPWSPIOCTL`] with [`WSATHREADID`]. (windows-link also declares each function's type, under
//!   the same name.)
//! - The buffer types the codes take and return (`tcp_keepalive`, `TCP_INFO_v0`,
//!   `SOCKET_ADDRESS_LIST`, the `LPFN_*` extension functions with the `WSAID_*` GUIDs that select
//!   them, …), and the types those and the functions use (`SOCKET`, `OVERLAPPED`, the socket
//!   addresses, …). The size, alignment and field offsets of every struct are asserted at compile
//!   time for 32- and 64-bit targets.
//!
//! Everything else Windows offers around a request (events, waits, cancellation with
//! `CancelIoEx`, socket options, closing a socket) is general Win32: take it from windows-sys.
//! The names here are the C names, so a module that glob-imports both this crate and
//! windows-sys's `WinSock` module must name the items both define (`SOCKET`, `WSAIoctl`, the
//! `SIO_*` codes, …) by path; nothing else collides.
//!
//! ```
//! use winsock_ioctl_sys::{opcode, SIO_ADDRESS_LIST_CHANGE};
//! assert_eq!(SIO_ADDRESS_LIST_CHANGE, opcode::_WSAIO(opcode::IOC_WS2, 23));
//! ```
#![no_std]
#![deny(missing_docs)]
#![allow(non_camel_case_types, non_snake_case, clippy::upper_case_acronyms)]

pub mod opcode;

// Written by `cargo xtask gen`: the constants and types of the specs, and windows-bindgen's FFI.
mod generated;
mod layout;

pub use generated::*;

//! Safe, documented wrappers for Windows Sockets control codes.
//!
//! Each documented control code gets:
//! - a wrapper named after the code (`SIO_KEEPALIVE_VALS` → [`keepalive_vals`](fn@keepalive_vals), `FIONREAD` →
//!   [`fionread`](fn@fionread)) that takes any [`AsSocket`](std::os::windows::io::AsSocket) (`std::net`
//!   sockets, `socket2::Socket`, tokio sockets via `as_socket()`) and typed inputs, and returns
//!   typed outputs: Rust structs and enums decoded field by field (never by reinterpreting
//!   memory), `SocketAddr`s, owned lists, typed extension-function pointers;
//! - for notification codes, and for codes whose output has a size known in advance, a
//!   `*_overlapped` form returning a [`Pending`] request (a [`Future`] for
//!   any executor, which can also be waited on with a timeout, with others through [`wait_any`],
//!   or through its event handle; cancelled on drop) and an `*_async` form, issued from a thread
//!   of the crate that never exits so that no executor thread's exit cancels it;
//! - for notification codes whose change can be read back, a `*_stream` form: a
//!   [`ChangeStream`] of the current value and the value after each change, which loses no
//!   change between two requests; [`SendPacer`] and [`PacedWriter`] build send pacing on the
//!   ideal-send-backlog stream;
//! - its own error enum, one variant per documented error row, whose docs say what the error
//!   means *for that code*; it converts into [`std::io::Error`] (see
//!   [below](#errors-and-ioerror)).
//!
//! The wrappers never depend on the provider to check buffers: they always pass full-size,
//! aligned buffers, and check every byte count, count and embedded pointer the provider returns
//! before using it.
//!
//! Wrappers and their error enums are generated from one spec per control code; the one place that calls
//! `WSAIoctl` is the handwritten, audited `call` module, the only module allowed `unsafe`.
//!
//! ```no_run
//! # #[cfg(windows)] fn main() -> std::io::Result<()> {
//! use std::net::{TcpListener, TcpStream};
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let stream = TcpStream::connect(listener.local_addr()?)?;
//! // The ideal send backlog: how many bytes to keep in flight for full throughput.
//! let isb: u32 = winsock_ioctl::ideal_send_backlog_query(&stream)?;
//! println!("keep {isb} bytes outstanding");
//! # Ok(()) }
//! # #[cfg(not(windows))] fn main() {}
//! ```
//!
//! The error enums and tables are available on every platform, so code that interprets Winsock
//! errors can be tested off Windows too.
//!
//! # Errors and `io::Error`
//!
//! `io::Error::from(e)` (what `?` does in a function returning `io::Result`) keeps what a
//! control code's error says:
//! - its `kind()` is the one std gives the Winsock code (`WSAEWOULDBLOCK` is `WouldBlock`,
//!   `WSAENOTCONN` is `NotConnected`, …), as for `io::Error::from_raw_os_error`;
//! - its message is the typed error's: the control code, the error's name and number, and what
//!   it means for that code (`SIO_TCP_INFO failed with WSAEOPNOTSUPP (10045): …`), whatever the
//!   system's message catalogue holds;
//! - it holds the typed error: `err.get_ref().and_then(|e| e.downcast_ref::<TcpInfoError>())`
//!   gives it back, and [`raw_os_error`] the Winsock code, from this crate's `io::Error`s and from
//!   any other.
//!
//! Its own `raw_os_error()` is `None`, as the value is not an OS error code: code that matches on
//! it should call [`raw_os_error(&err)`](raw_os_error) instead.
//!
//! # Cargo features
//!
//! Nothing is built by default. Each control code has a feature named after it
//! (`SIO_KEEPALIVE_VALS`, `FIONREAD`, …) that builds its wrapper, its error enum and the data
//! types it uses; `overlapped` adds the `*_overlapped`, `*_async` and `*_stream` forms of the
//! enabled codes, with [`Pending`], [`wait_any`] and [`ChangeStream`]; `full` is every code and
//! `overlapped`. `tokio` makes [`PacedWriter`] an `AsyncWrite` and turns on what it needs.
#![deny(unsafe_code)]
#![warn(missing_docs)]
// The shared parts (buffer codecs, error display, the call layer) serve every code; with only
// some codes' features on, some of them go unused. With `full` nothing is exempt, and the checks
// build with `full`, so code that no feature uses is still reported.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

mod buf;
mod call;
mod error;
mod generated;
mod helpers;
#[cfg(all(windows, feature = "overlapped"))]
mod issuer;
#[cfg(all(windows, feature = "overlapped", feature = "SIO_IDEAL_SEND_BACKLOG_CHANGE"))]
mod pace;
#[cfg(all(windows, feature = "overlapped"))]
mod pending;
#[cfg(all(windows, feature = "overlapped"))]
mod watch;

pub use buf::{GROW_MAX, GROW_TRIES};
pub(crate) use call::FnPtrOption;
pub use call::OptionFn;
pub use error::{ControlCodeError, ErrorRow, OverlappedError, lookup, raw_os_error};
pub use generated::*;
#[cfg(all(
    windows,
    feature = "SIO_BASE_HANDLE",
    feature = "SIO_BSP_HANDLE",
    feature = "SIO_BSP_HANDLE_POLL",
    feature = "SIO_BSP_HANDLE_SELECT"
))]
pub use helpers::base_socket;
#[cfg(all(windows, feature = "overlapped", feature = "SIO_IDEAL_SEND_BACKLOG_CHANGE"))]
pub use pace::{IsbError, PaceError, PacedWriter, SendPacer};
#[cfg(all(windows, feature = "overlapped"))]
pub use pending::{Pending, Request, WaitOutcome, wait_any};
#[cfg(all(windows, feature = "overlapped"))]
pub use watch::{ChangeError, ChangeStream};

/// Seals the traits of `selected` outputs: only this crate's types implement them.
#[doc(hidden)]
pub trait Sealed {}

/// The raw layer this crate is built on.
pub use winsock_ioctl_sys as sys;

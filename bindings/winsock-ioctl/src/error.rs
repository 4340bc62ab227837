//! What every control code's error enum shares: the row type of its table, the trait the audited
//! call site maps errors through, and the `Display` / `io::Error` conversions.

use core::fmt;
use std::io;

/// One row of an error table: a Winsock error code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorRow {
    /// Macro name, e.g. `WSAENOTCONN`.
    pub name: &'static str,
    /// Value returned by `WSAGetLastError`.
    pub value: i32,
    /// Meaning, in English.
    pub meaning: &'static str,
    /// Meaning, in Japanese.
    pub meaning_ja: &'static str,
}

/// The error type of one control code. Implemented (by generated code) for each code's enum.
pub trait ControlCodeError: Sized + Copy + fmt::Debug + 'static {
    /// The control code.
    const CODE: u32;
    /// The control code's macro name.
    const NAME: &'static str;
    /// The documented error table, in document order; each `meaning` is specific to this code.
    const TABLE: &'static [ErrorRow];

    /// Maps a raw `WSAGetLastError` value; values outside the table are kept as they are.
    fn from_raw_os_error(code: i32) -> Self;

    /// The raw error code this error carries, if any.
    fn raw_os_error(&self) -> Option<i32>;

    /// The call reported success with a byte count that does not fit the buffer type.
    fn unexpected_length(expected: usize, returned: usize) -> Self;

    /// The call reported success but its output is not what the code returns.
    fn malformed(reason: &'static str) -> Self;
}

/// The error type of a control code that can stay pending until something happens (a
/// notification), whose overlapped, async and stream forms check the socket's mode first.
pub trait OverlappedError: ControlCodeError {
    /// The socket was opened for synchronous I/O (created by `WSASocketW` without
    /// `WSA_FLAG_OVERLAPPED`, or by `socket()` after `SO_OPENTYPE` was set): Windows would ignore
    /// the request's OVERLAPPED and block inside `WSAIoctl` until it completes, so it was not
    /// issued.
    fn socket_not_overlapped() -> Self;
}

/// The generic meaning of a Winsock error code (not the meaning for one control code, which its
/// error type gives), in English and Japanese; `None` for a code outside the crate's catalogue.
pub fn lookup(code: i32) -> Option<&'static ErrorRow> {
    crate::generated::CATALOGUE.binary_search_by_key(&code, |r| r.value).ok().map(|i| &crate::generated::CATALOGUE[i])
}

/// The Winsock error that an overlapped request's final NTSTATUS stands for, as
/// `WSAGetOverlappedResult` reports it; `None` for a status the catalogue does not map.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn wsa_from_ntstatus(status: u32) -> Option<i32> {
    let map = crate::generated::NTSTATUS_TO_WSA;
    map.binary_search_by_key(&status, |(s, _)| *s).ok().map(|i| map[i].1)
}

/// `Display` of a variant of the code's table. The generated `Display` impls pass the English
/// texts as literals, so a program that prints errors links these, not the tables with both
/// languages (`TABLE`, the catalogue).
pub(crate) fn display_listed(code: &str, name: &str, value: i32, meaning: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{code} failed with {name} ({value}): {meaning}")
}

/// `Display` of an error code without a variant, named by number only: [`lookup`] gives its
/// generic meaning. `WSA_IO_PENDING`, the one listed code without a variant, gets its own words.
pub(crate) fn display_unlisted(code: &str, value: i32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if value == winsock_ioctl_sys::WSA_IO_PENDING {
        return write!(f, "{code} reported WSA_IO_PENDING ({value}): the request was started overlapped and has not finished");
    }
    write!(f, "{code} failed with error {value}, which its table does not list")
}

/// `Display` of a success whose byte count does not fit the output type.
pub(crate) fn display_length(code: &str, expected: usize, returned: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{code} reported success with {returned} bytes of output where its type has {expected}")
}

/// `Display` of a success whose output is not what the code returns.
pub(crate) fn display_malformed(code: &str, reason: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{code} reported success with an output it cannot return: {reason}")
}

pub(crate) fn display_not_overlapped(name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(
        f,
        "{name} was not issued overlapped: the socket was created without WSA_FLAG_OVERLAPPED, so WSAIoctl would block until the request completes"
    )
}

/// The `io::Error` of a control code's error: the kind std gives the Winsock code (the same as
/// `io::Error::from_raw_os_error(code).kind()`), or `InvalidData` for an output the code cannot
/// return; the message and the payload are `e` itself.
pub(crate) fn into_io<E: ControlCodeError + std::error::Error + Send + Sync>(e: E) -> io::Error {
    let kind = match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code).kind(),
        None => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, e)
}

/// The Winsock error code of an `io::Error`: [`io::Error::raw_os_error`] for one made from an OS
/// error code, and for one this crate made from a control code's error, the code that error
/// carries (its own `raw_os_error()`).
///
/// The `io::Error` of a control code's error is not an OS error value: it holds the typed error,
/// so that its message names the control code and what the error means for it, and its
/// `raw_os_error()` is `None`. This function is the way to its number that works for any
/// `io::Error`; `err.get_ref()` and `downcast_ref` give the typed error itself.
///
/// ```
/// # #[cfg(feature = "FIONREAD")] {
/// use winsock_ioctl::{FionreadError, raw_os_error};
/// let err = std::io::Error::from(FionreadError::NotSocket);
/// assert_eq!(raw_os_error(&err), Some(10038)); // WSAENOTSOCK
/// assert!(err.to_string().starts_with("FIONREAD failed with WSAENOTSOCK (10038)"));
/// let typed = err.get_ref().and_then(|e| e.downcast_ref::<FionreadError>());
/// assert_eq!(typed, Some(&FionreadError::NotSocket));
/// assert_eq!(raw_os_error(&std::io::Error::from_raw_os_error(10054)), Some(10054));
/// # }
/// ```
pub fn raw_os_error(err: &io::Error) -> Option<i32> {
    err.raw_os_error().or_else(|| crate::generated::raw_os_error_of(err.get_ref()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_lookup_finds_known_codes_and_only_those() {
        assert_eq!(lookup(10057).map(|r| r.name), Some("WSAENOTCONN"));
        assert_eq!(lookup(997).map(|r| r.name), Some("WSA_IO_PENDING"));
        assert_eq!(lookup(12345), None);
    }

    #[test]
    fn catalogue_is_sorted_for_binary_search() {
        assert!(crate::generated::CATALOGUE.windows(2).all(|w| w[0].value < w[1].value));
        assert!(crate::generated::NTSTATUS_TO_WSA.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn final_statuses_map_to_the_winsock_codes_of_the_same_completion() {
        assert_eq!(wsa_from_ntstatus(0xC000_0120), Some(995), "STATUS_CANCELLED");
        assert_eq!(wsa_from_ntstatus(0xC000_00BB), Some(10045), "STATUS_NOT_SUPPORTED");
        assert_eq!(wsa_from_ntstatus(0x1234_5678), None);
    }
}

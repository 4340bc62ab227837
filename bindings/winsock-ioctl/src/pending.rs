//! [`Pending`]: an overlapped control-code request that can be waited on with a bound, cancelled,
//! or ended by closing its socket, and that hands back the code's typed output when it
//! completes. Safe code over `call::Overlapped`.

use crate::ControlCodeError;
use crate::call::{self, Overlapped};
use std::os::windows::io::{AsSocket, OwnedSocket};
use std::time::Duration;

/// What [`Pending::wait`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitOutcome<T> {
    /// The request completed successfully with this output (`()` for codes without one).
    Completed(T),
    /// The timeout passed and the request is still pending.
    TimedOut,
}

/// Turns the output bytes of a completed request (and the address they were written at) into
/// the code's output type.
pub(crate) type Decode<T, E> = fn(&[u8], usize) -> Result<T, E>;

/// An overlapped request in flight, started by one of the `*_overlapped` wrappers. `T` is the
/// control code's output (`()` for codes without one), `E` its error type.
///
/// `S` is whatever the wrapper was given: a borrow such as `&TcpStream` (the usual case), or an
/// owned socket, which [`close_socket`](Self::close_socket) can then close while the request pends.
///
/// Dropping a `Pending` that has not completed cancels the request with `CancelIoEx` and waits for
/// the kernel to finish with it, so no buffer or `OVERLAPPED` is freed while the kernel may still
/// write to it. If the provider never reports completion (a broken provider), the request's
/// memory is leaked after 30 s instead of being freed.
///
/// Windows cancels a thread's pending I/O when that thread exits; keep the issuing thread alive
/// while you rely on the request.
pub struct Pending<S: AsSocket, T, E> {
    // Declared first so it drops first: cancellation runs while the socket is still open.
    op: Overlapped,
    socket: S,
    decode: Decode<T, E>,
}

impl<S: AsSocket, T, E: ControlCodeError> Pending<S, T, E> {
    pub(crate) fn start(socket: S, code: u32, input: &[u8], out_len: usize, decode: Decode<T, E>) -> Result<Self, E> {
        let op = Overlapped::start(socket.as_socket(), code, input, out_len).map_err(E::from_raw_os_error)?;
        Ok(Pending { op, socket, decode })
    }

    /// Waits at most `timeout` for the request to complete. `Duration::MAX` (or any timeout too
    /// large to add to the current instant) waits without a bound.
    ///
    /// Returns [`WaitOutcome::TimedOut`] if it is still pending, [`WaitOutcome::Completed`] with
    /// the output if it completed successfully, and the control code's error if it completed
    /// with one. Once complete, every later call returns the same result at once.
    pub fn wait(&mut self, timeout: Duration) -> Result<WaitOutcome<T>, E> {
        match self.op.wait(timeout) {
            None => Ok(WaitOutcome::TimedOut),
            Some(r) => finished(&self.op, r, self.decode).map(WaitOutcome::Completed),
        }
    }

    /// Whether the request has completed, without waiting.
    pub fn is_complete(&self) -> bool {
        self.op.is_complete()
    }

    /// Cancels the request and waits (at most 30 s) for it to end; returns how it ended.
    ///
    /// A request that the cancellation stopped ends with the code's `WSA_OPERATION_ABORTED`
    /// error; one that completed before the cancellation took effect returns its output.
    pub fn cancel(mut self) -> Result<T, E> {
        self.op.cancel();
        finish(&mut self.op, self.decode, call::DROP_BOUND)
    }

    /// The socket the request was issued on.
    pub fn socket(&self) -> &S {
        &self.socket
    }
}

/// The output or error of a request whose completion `r` was observed.
fn finished<T, E: ControlCodeError>(op: &Overlapped, r: call::Completion, decode: Decode<T, E>) -> Result<T, E> {
    call::map::<E>(r, op.out_len())?;
    match op.output() {
        Some((bytes, base)) => decode(bytes, base),
        None => Err(E::unexpected_length(op.out_len(), 0)),
    }
}

/// Waits at most `bound` for a request that is ending and returns how it ended.
fn finish<T, E: ControlCodeError>(op: &mut Overlapped, decode: Decode<T, E>, bound: Duration) -> Result<T, E> {
    match op.wait(bound) {
        Some(r) => finished(op, r, decode),
        // Still pending after the bound: report the documented "incomplete" state; dropping `op`
        // keeps the memory safe.
        None => Err(E::from_raw_os_error(winsock_ioctl_sys::WSA_IO_INCOMPLETE)),
    }
}

impl<S: AsSocket + Into<OwnedSocket>, T, E: ControlCodeError> Pending<S, T, E> {
    /// Closes the socket while the request is pending, then waits at most `timeout` for the
    /// request to end and returns how it ended (Windows ends it with `WSA_OPERATION_ABORTED`).
    ///
    /// Only available when the `Pending` owns its socket (for example a `TcpStream` or
    /// `socket2::Socket` passed by value).
    pub fn close_socket(self, timeout: Duration) -> Result<T, E> {
        let Pending { mut op, socket, decode } = self;
        let owned: OwnedSocket = socket.into();
        drop(owned);
        op.mark_socket_closed();
        finish(&mut op, decode, timeout)
    }
}

impl<S: AsSocket, T, E> core::fmt::Debug for Pending<S, T, E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Pending").field("result", &self.op.result()).finish_non_exhaustive()
    }
}

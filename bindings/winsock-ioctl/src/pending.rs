//! [`Pending`]: an overlapped control-code request that can be awaited, waited on with a bound,
//! cancelled, or ended by closing its socket, and that hands back the code's typed output when it
//! completes; [`wait_any`] for programs that wait on several. Safe code over `call::Overlapped`.

use crate::ControlCodeError;
use crate::call::{self, Overlapped, StartError, SyncCheck};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::os::windows::io::{AsHandle, AsRawHandle, AsSocket, BorrowedHandle, OwnedSocket, RawHandle};
use std::time::{Duration, Instant};

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

/// An overlapped request in flight, started by one of the `*_overlapped` or `*_async` wrappers.
/// `T` is the control code's output (`()` for codes without one), `E` its error type.
///
/// `S` is whatever the wrapper was given: a borrow such as `&TcpStream` (the usual case), or an
/// owned socket, which [`close_socket`](Self::close_socket) can then close while the request pends.
///
/// Three ways to learn that it completed, which can be mixed:
/// - **await it**: `Pending` is a [`Future`] with output `Result<T, E>`, for any executor. The
///   first poll registers a one-shot thread-pool wait on the request's event whose callback wakes
///   the task: no thread of its own, no polling loop;
/// - **block**: [`wait`](Self::wait) with a timeout, or [`wait_any`] for the first of several;
/// - **the event**: [`AsHandle`] gives the manual-reset event that is signalled once the request
///   has completed, for `WaitForMultipleObjects`, `RegisterWaitForSingleObject` or an event loop.
///   Do not reset or close it.
///
/// Dropping a `Pending` that has not completed cancels the request with `CancelIoEx` and waits for
/// the kernel to finish with it, so no buffer or `OVERLAPPED` is freed while the kernel may still
/// write to it. This holds from any thread, and also when the drop happens inside the wait
/// callback (a waker that drops its task). If the provider never reports completion (a broken
/// provider), the request's memory is leaked after 30 s instead of being freed.
///
/// # Threads
///
/// Windows cancels the overlapped requests a thread issued when that thread exits. A request
/// from a `*_overlapped` form is issued on the calling thread: keep that thread alive while you
/// rely on the request. The `*_async` forms and the change streams issue theirs on a process-wide
/// thread of this crate that never exits, so a task may move between threads, and its first
/// thread may end, without ending the request.
pub struct Pending<S: AsSocket, T, E> {
    // Declared first so it drops first: cancellation runs while the socket is still open.
    op: Overlapped,
    socket: S,
    decode: Decode<T, E>,
}

// Nothing in a `Pending` is ever pinned: the request's memory is on the heap, owned by `op`.
impl<S: AsSocket, T, E> Unpin for Pending<S, T, E> {}

/// Whether a wrapper's request is started after checking how the socket was opened.
pub(crate) enum Check<E> {
    /// The code can stay pending until something happens (a notification): check, and give this
    /// error for a socket opened for synchronous I/O.
    Mode(fn() -> E),
    /// The code completes at once: issue it without the check.
    Skip,
}

impl<E: ControlCodeError> Check<E> {
    fn sync_check(&self) -> SyncCheck {
        match self {
            Check::Mode(_) => SyncCheck::Needed,
            Check::Skip => SyncCheck::Skip,
        }
    }

    /// Maps a start failure to the control code's error.
    pub(crate) fn error(&self, e: StartError) -> E {
        match (e, self) {
            (StartError::Code(code), _) => E::from_raw_os_error(code),
            (StartError::NotOverlapped, Check::Mode(not_overlapped)) => not_overlapped(),
            // `start` refuses a socket only when asked to check it; were that ever to change,
            // the refusal would still be an error, not a panic.
            (StartError::NotOverlapped, Check::Skip) => E::from_raw_os_error(winsock_ioctl_sys::WSAEINVAL),
        }
    }
}

impl<S: AsSocket, T, E: ControlCodeError> Pending<S, T, E> {
    /// Issues the request on the calling thread (the `*_overlapped` forms).
    pub(crate) fn start(socket: S, code: u32, input: &[u8], out_len: usize, check: Check<E>, decode: Decode<T, E>) -> Result<Self, E> {
        let op = Overlapped::start(socket.as_socket(), code, input, out_len, check.sync_check()).map_err(|e| check.error(e))?;
        Ok(Pending { op, socket, decode })
    }

    /// Issues the request on the crate's issuing thread, which never exits (the `*_async` forms).
    pub(crate) fn start_detached(
        socket: S,
        code: u32,
        input: &[u8],
        out_len: usize,
        check: Check<E>,
        decode: Decode<T, E>,
    ) -> Result<Self, E> {
        let op = crate::issuer::start(socket.as_socket(), code, input, out_len, check.sync_check()).map_err(|e| check.error(e))?;
        Ok(Pending { op, socket, decode })
    }
}

impl<S: AsSocket, T, E: ControlCodeError> Pending<S, T, E> {
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

/// Resolves to how the request ended: the output, or the control code's error. Polling it again
/// after that returns the same result. If the thread pool cannot register the wait, it resolves
/// to the code's error carrying the Win32 error of `RegisterWaitForSingleObject`.
impl<S: AsSocket, T, E: ControlCodeError> Future for Pending<S, T, E> {
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.op.poll_ready(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(r)) => Poll::Ready(finished(&this.op, r, this.decode)),
            Poll::Ready(Err(code)) => Poll::Ready(Err(E::from_raw_os_error(code))),
        }
    }
}

/// The request's event: manual-reset, signalled once the request has completed and never reset.
impl<S: AsSocket, T, E> AsHandle for Pending<S, T, E> {
    fn as_handle(&self) -> BorrowedHandle<'_> {
        self.op.event_handle()
    }
}

impl<S: AsSocket, T, E> AsRawHandle for Pending<S, T, E> {
    fn as_raw_handle(&self) -> RawHandle {
        self.op.event_handle().as_raw_handle()
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

/// A request [`wait_any`] can wait on: any [`Pending`], whatever its code.
pub trait Request: AsHandle {
    /// Whether the request has completed, without waiting.
    fn is_complete(&self) -> bool;
}

impl<S: AsSocket, T, E: ControlCodeError> Request for Pending<S, T, E> {
    fn is_complete(&self) -> bool {
        Pending::is_complete(self)
    }
}

/// Waits at most `timeout` for the first of `requests` to complete and returns its index (the
/// lowest, if several have); `None` if none completed in time. `Duration::MAX` waits without a
/// bound.
///
/// The requests are not consumed: read the result of the one that completed with its
/// [`Pending::wait`], which then returns at once.
///
/// # Errors
///
/// `InvalidInput` for an empty slice or more than 64 requests (the limit of
/// `WaitForMultipleObjects`); otherwise the Win32 error of the wait.
///
/// ```no_run
/// # #[cfg(windows)] fn main() -> std::io::Result<()> {
/// use std::time::Duration;
/// let v4 = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// let v6 = std::net::UdpSocket::bind("[::1]:0")?;
/// let a = winsock_ioctl::address_list_change_overlapped(&v4)?;
/// let b = winsock_ioctl::address_list_change_overlapped(&v6)?;
/// match winsock_ioctl::wait_any(&[&a, &b], Duration::from_secs(60))? {
///     Some(0) => println!("an IPv4 address changed"),
///     Some(_) => println!("an IPv6 address changed"),
///     None => println!("no change within a minute"),
/// }
/// # Ok(()) }
/// # #[cfg(not(windows))] fn main() {}
/// ```
pub fn wait_any(requests: &[&dyn Request], timeout: Duration) -> io::Result<Option<usize>> {
    const MAX: usize = crate::call::win32::MAXIMUM_WAIT_OBJECTS as usize;
    if requests.is_empty() || requests.len() > MAX {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "wait_any takes 1 to 64 requests"));
    }
    let deadline = Instant::now().checked_add(timeout);
    loop {
        // Look first: this also finds a request whose provider reported completion only in its
        // status (its event was signalled for it when the request started).
        if let Some(i) = requests.iter().position(|r| r.is_complete()) {
            return Ok(Some(i));
        }
        let Some(ms) = call::wait_ms(deadline) else { return Ok(None) };
        let handles: Vec<BorrowedHandle<'_>> = requests.iter().map(|r| r.as_handle()).collect();
        match call::wait_any(&handles, ms) {
            Ok(call::Signalled::Index(i)) if requests[i].is_complete() => return Ok(Some(i)),
            Ok(_) => {}
            Err(e) => return Err(io::Error::from_raw_os_error(e)),
        }
    }
}

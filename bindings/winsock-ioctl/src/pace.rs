//! Send pacing: keeping a TCP socket's send buffer (`SO_SNDBUF`) at its ideal send backlog (ISB)
//! as the ISB changes, which is what Microsoft advises applications that send in bulk to do.
//!
//! Two shapes, over the same ISB change stream (see [`ideal_send_backlog_change_stream`]):
//! - [`SendPacer`] applies each change as it happens, when driven: `.run().await` beside the
//!   writes (`tokio::select!`, `join!`, a spawned task), or `apply_next_timeout` on a thread;
//! - [`PacedWriter`] wraps the writer and applies the changes that have happened before each
//!   write, without blocking: `std::io::Write`, and `tokio::io::AsyncWrite` with the `tokio`
//!   feature.
//!
//! [`ideal_send_backlog_change_stream`]: crate::ideal_send_backlog_change_stream

use crate::pending::WaitOutcome;
use crate::watch::{ChangeError, Changes};
use crate::{IdealSendBacklogChangeError, IdealSendBacklogQueryError};
use core::fmt;
use core::task::{Context, Poll};
use std::io;
use std::os::windows::io::{AsSocket, BorrowedSocket};
use std::time::Duration;

/// The ISB stream's error.
pub type IsbError = ChangeError<IdealSendBacklogChangeError, IdealSendBacklogQueryError>;

/// Why pacing failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum PaceError {
    /// Watching or reading the ideal send backlog failed. A provider without ISB notifications
    /// (Wine, for one) gives `Change(OperationNotSupported)` after the first value was applied.
    Isb(IsbError),
    /// `setsockopt(SO_SNDBUF)` failed.
    SetSendBuffer(io::Error),
}

impl fmt::Display for PaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaceError::Isb(e) => e.fmt(f),
            PaceError::SetSendBuffer(e) => write!(f, "setting SO_SNDBUF to the ideal send backlog failed: {e}"),
        }
    }
}

impl std::error::Error for PaceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PaceError::Isb(e) => Some(e),
            PaceError::SetSendBuffer(e) => Some(e),
        }
    }
}

impl From<PaceError> for io::Error {
    fn from(e: PaceError) -> Self {
        match e {
            PaceError::Isb(e) => e.into(),
            PaceError::SetSendBuffer(e) => e,
        }
    }
}

/// The ISB change stream, without its socket.
type IsbChanges = Changes<u32, IdealSendBacklogChangeError, IdealSendBacklogQueryError>;

fn isb_changes() -> IsbChanges {
    Changes::new(
        winsock_ioctl_sys::SIO_IDEAL_SEND_BACKLOG_CHANGE,
        &[],
        Box::new(|s: BorrowedSocket<'_>| crate::ideal_send_backlog_query(s)),
    )
}

/// Sets `SO_SNDBUF` to `isb` and returns it.
fn apply(socket: BorrowedSocket<'_>, isb: u32) -> Result<u32, PaceError> {
    crate::call::set_send_buffer(socket, isb).map_err(|e| PaceError::SetSendBuffer(io::Error::from_raw_os_error(e)))?;
    Ok(isb)
}

/// Keeps a connected TCP socket's `SO_SNDBUF` at its ideal send backlog: sets it to the current
/// ISB at the first step, then again after each change Windows reports.
///
/// Works with any socket type by reference: `SendPacer::new(&std_stream)`,
/// `SendPacer::new(&tokio_stream)`. It inherits the ISB stream's guarantees: no change is lost
/// between two requests, and the requests survive the exit of the thread that polled them.
///
/// ```no_run
/// # #[cfg(windows)] async fn demo(stream: tokio::net::TcpStream) {
/// use std::sync::Arc;
/// let stream = Arc::new(stream);
/// let pacer = winsock_ioctl::SendPacer::new(Arc::clone(&stream));
/// tokio::spawn(async move { eprintln!("pacing stopped: {}", pacer.run().await) });
/// // Write through `stream` (`writable().await`, then `try_write`) as usual.
/// # }
/// # fn main() {}
/// ```
pub struct SendPacer<S: AsSocket> {
    // Declared first so the armed request is cancelled while the socket is still open.
    changes: IsbChanges,
    socket: S,
    applied: Option<u32>,
}

impl<S: AsSocket> SendPacer<S> {
    /// A pacer for `socket`; nothing happens until it is driven.
    pub fn new(socket: S) -> Self {
        SendPacer { changes: isb_changes(), socket, applied: None }
    }

    /// The last value written to `SO_SNDBUF`, if any.
    pub fn applied(&self) -> Option<u32> {
        self.applied
    }

    /// The socket.
    pub fn socket(&self) -> &S {
        &self.socket
    }

    fn settle(&mut self, item: Option<Result<u32, IsbError>>) -> Option<Result<u32, PaceError>> {
        let r = item?.map_err(PaceError::Isb).and_then(|isb| apply(self.socket.as_socket(), isb));
        if let Ok(isb) = r {
            self.applied = Some(isb);
        }
        Some(r)
    }

    /// Applies the next value: the current ISB at the first call, then the ISB after the next
    /// change. `None` once the ISB stream has ended (after its last error).
    pub fn poll_apply(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<u32, PaceError>>> {
        let item = core::task::ready!(self.changes.poll_next(self.socket.as_socket(), cx));
        Poll::Ready(self.settle(item))
    }

    /// [`poll_apply`](Self::poll_apply) as a future.
    pub async fn apply_next(&mut self) -> Option<Result<u32, PaceError>> {
        core::future::poll_fn(|cx| self.poll_apply(cx)).await
    }

    /// Like [`apply_next`](Self::apply_next), blocking the calling thread for at most `timeout`;
    /// `Some(Ok(WaitOutcome::TimedOut))` if the ISB did not change in that time.
    pub fn apply_next_timeout(&mut self, timeout: Duration) -> Option<Result<WaitOutcome<u32>, PaceError>> {
        match self.changes.next_timeout(self.socket.as_socket(), timeout)? {
            Ok(WaitOutcome::TimedOut) => Some(Ok(WaitOutcome::TimedOut)),
            Ok(WaitOutcome::Completed(isb)) => self.settle(Some(Ok(isb))).map(|r| r.map(WaitOutcome::Completed)),
            Err(e) => Some(Err(PaceError::Isb(e))),
        }
    }

    /// Applies every change until pacing cannot go on, and returns why: an error of the change
    /// request (the provider does not report ISB changes, or the socket was closed) or of
    /// `setsockopt`. A failed read of the ISB is skipped; the next change is still applied.
    pub async fn run(mut self) -> PaceError {
        loop {
            match self.apply_next().await {
                Some(Ok(_)) | Some(Err(PaceError::Isb(ChangeError::Query(_)))) => {}
                Some(Err(e)) => return e,
                // The stream ends only after an error of the change request, returned above; were
                // it to end otherwise there would be nothing left to apply.
                None => return core::future::pending().await,
            }
        }
    }
}

impl<S: AsSocket> fmt::Debug for SendPacer<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendPacer").field("applied", &self.applied).finish_non_exhaustive()
    }
}

/// A writer whose socket's `SO_SNDBUF` follows the ideal send backlog: before each write it
/// applies the ISB changes that have happened, without blocking (the first write applies the
/// current ISB). Implements `std::io::Write`, and `tokio::io::AsyncWrite` with the `tokio`
/// feature, for any inner writer that is also a socket (`std::net::TcpStream`,
/// `tokio::net::TcpStream`, or a reference to either).
///
/// Pacing is best effort: if the ISB cannot be watched (a provider without ISB notifications,
/// such as Wine) or `SO_SNDBUF` cannot be set, writes go on unpaced and
/// [`pace_error`](Self::pace_error) says why.
pub struct PacedWriter<W: AsSocket> {
    pacer: SendPacer<W>,
    error: Option<PaceError>,
}

impl<W: AsSocket> PacedWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        PacedWriter { pacer: SendPacer::new(inner), error: None }
    }

    /// The last value written to `SO_SNDBUF`, if any.
    pub fn applied(&self) -> Option<u32> {
        self.pacer.applied()
    }

    /// Why pacing stopped, if it did.
    pub fn pace_error(&self) -> Option<&PaceError> {
        self.error.as_ref()
    }

    /// The inner writer.
    pub fn get_ref(&self) -> &W {
        &self.pacer.socket
    }

    /// The inner writer, mutably. Writing through it directly skips pacing until the next write
    /// through this wrapper.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.pacer.socket
    }

    /// Applies every change that has already happened; never waits.
    pub fn catch_up(&mut self) {
        while self.error.is_none() {
            match self.pacer.apply_next_timeout(Duration::ZERO) {
                None | Some(Ok(WaitOutcome::TimedOut)) => return,
                Some(Ok(WaitOutcome::Completed(_))) => {}
                // A failed read: the next change will be read again.
                Some(Err(PaceError::Isb(ChangeError::Query(_)))) => return,
                Some(Err(e)) => self.error = Some(e),
            }
        }
    }
}

impl<W: AsSocket> fmt::Debug for PacedWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacedWriter").field("applied", &self.applied()).field("error", &self.error).finish_non_exhaustive()
    }
}

impl<W: AsSocket + io::Write> io::Write for PacedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.catch_up();
        self.get_mut().write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.catch_up();
        self.get_mut().write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.get_mut().flush()
    }
}

#[cfg(feature = "tokio")]
impl<W: AsSocket + tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for PacedWriter<W> {
    fn poll_write(self: core::pin::Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.catch_up();
        core::pin::Pin::new(this.get_mut()).poll_write(cx, buf)
    }

    fn poll_write_vectored(self: core::pin::Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.catch_up();
        core::pin::Pin::new(this.get_mut()).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.get_ref().is_write_vectored()
    }

    fn poll_flush(self: core::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        core::pin::Pin::new(self.get_mut().get_mut()).poll_flush(cx)
    }

    fn poll_shutdown(self: core::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        core::pin::Pin::new(self.get_mut().get_mut()).poll_shutdown(cx)
    }
}

//! [`ChangeStream`]: a notification code and the query that reads what changed, as a stream of
//! current values (the `*_change_stream` wrappers). Safe code over `call::Overlapped`.

use crate::OverlappedError;
use crate::call::{self, Overlapped, SyncCheck};
use crate::pending::{Check, WaitOutcome};
use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::os::windows::io::{AsSocket, BorrowedSocket};
use std::time::Duration;

/// The query a stream runs after each change.
pub(crate) type Query<T, Q> = Box<dyn FnMut(BorrowedSocket<'_>) -> Result<T, Q> + Send>;

/// Why a [`ChangeStream`] item is an error: the change request (`C`, the notification code's
/// error) or the query that reads the new value (`Q`, the query code's error) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeError<C, Q> {
    /// Arming or completing the change request failed; the stream ends after this item.
    Change(C),
    /// Reading the current value failed; the stream goes on (the change request is armed).
    Query(Q),
}

impl<C: fmt::Display, Q: fmt::Display> fmt::Display for ChangeError<C, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::Change(e) => e.fmt(f),
            ChangeError::Query(e) => e.fmt(f),
        }
    }
}

impl<C: std::error::Error + 'static, Q: std::error::Error + 'static> std::error::Error for ChangeError<C, Q> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChangeError::Change(e) => Some(e),
            ChangeError::Query(e) => Some(e),
        }
    }
}

impl<C: Into<io::Error>, Q: Into<io::Error>> From<ChangeError<C, Q>> for io::Error {
    fn from(e: ChangeError<C, Q>) -> Self {
        match e {
            ChangeError::Change(e) => e.into(),
            ChangeError::Query(e) => e.into(),
        }
    }
}

/// Where a stream is.
enum State<C> {
    /// Nothing armed or read yet.
    Start,
    /// A change request is armed.
    Armed,
    /// Arming failed; the error is the next item, then the stream ends.
    Failed(C),
    /// The stream has ended.
    Ended,
}

/// The state machine of a change stream, without its socket: the socket is passed to each call,
/// so an owner can hold the socket in a field beside it ([`ChangeStream`], `pace::SendPacer`)
/// and lend it out while the state machine changes. The owner must keep the socket open until
/// this is dropped.
pub(crate) struct Changes<T, C, Q> {
    armed: Option<Overlapped>,
    code: u32,
    input: Box<[u8]>,
    query: Query<T, Q>,
    state: State<C>,
    /// The socket passed the synchronous-I/O check once; the owner keeps it open, so later
    /// rounds skip it.
    checked: bool,
}

type Item<T, C, Q> = Option<Result<T, ChangeError<C, Q>>>;

impl<T, C: OverlappedError, Q> Changes<T, C, Q> {
    pub(crate) fn new(code: u32, input: &[u8], query: Query<T, Q>) -> Self {
        Changes { armed: None, code, input: input.into(), query, state: State::Start, checked: false }
    }

    /// Arms a new change request (from the issuing thread, so no thread's exit cancels it), then
    /// reads the current value. Arming first is what makes the stream lossless: a change after
    /// the read completes the armed request.
    fn arm_and_read(&mut self, socket: BorrowedSocket<'_>) -> Item<T, C, Q> {
        // The previous request has completed: dropping it frees it at once.
        self.armed = None;
        let check = if self.checked { SyncCheck::Skip } else { SyncCheck::Needed };
        match crate::issuer::start(socket, self.code, &self.input, 0, check) {
            Ok(op) => {
                self.checked = true;
                self.armed = Some(op);
                self.state = State::Armed;
            }
            Err(e) => self.state = State::Failed(Check::Mode(C::socket_not_overlapped).error(e)),
        }
        Some((self.query)(socket).map_err(ChangeError::Query))
    }

    /// What to hand out now, given how the armed request was seen (`None` while it pends);
    /// `None` means "nothing yet".
    fn step(&mut self, socket: BorrowedSocket<'_>, seen: Option<Result<call::Completion, i32>>) -> Option<Item<T, C, Q>> {
        match &self.state {
            State::Start => Some(self.arm_and_read(socket)),
            State::Failed(e) => {
                let e = *e;
                self.state = State::Ended;
                Some(Some(Err(ChangeError::Change(e))))
            }
            State::Ended => Some(None),
            State::Armed => {
                let outcome = match seen? {
                    Ok(r) => call::map::<C>(r, 0).map(drop),
                    Err(code) => Err(C::from_raw_os_error(code)),
                };
                match outcome {
                    Ok(()) => Some(self.arm_and_read(socket)),
                    Err(e) => {
                        self.armed = None;
                        self.state = State::Ended;
                        Some(Some(Err(ChangeError::Change(e))))
                    }
                }
            }
        }
    }

    pub(crate) fn poll_next(&mut self, socket: BorrowedSocket<'_>, cx: &mut Context<'_>) -> Poll<Item<T, C, Q>> {
        let seen = match (&self.state, self.armed.as_mut()) {
            (State::Armed, Some(op)) => match op.poll_ready(cx) {
                Poll::Pending => None,
                Poll::Ready(r) => Some(r),
            },
            _ => None,
        };
        match self.step(socket, seen) {
            Some(item) => Poll::Ready(item),
            None => Poll::Pending,
        }
    }

    pub(crate) fn next_timeout(
        &mut self,
        socket: BorrowedSocket<'_>,
        timeout: Duration,
    ) -> Option<Result<WaitOutcome<T>, ChangeError<C, Q>>> {
        let seen = match (&self.state, self.armed.as_mut()) {
            (State::Armed, Some(op)) => op.wait(timeout).map(Ok),
            _ => None,
        };
        match self.step(socket, seen) {
            Some(item) => item.map(|r| r.map(WaitOutcome::Completed)),
            None => Some(Ok(WaitOutcome::TimedOut)),
        }
    }
}

/// A stream of a value that a notification code reports changes of: first the current value,
/// then the value after each change. Made by the `*_change_stream` wrappers, for example
/// [`address_list_change_stream`](crate::address_list_change_stream).
///
/// Each round arms the change request first and reads the value second. So every item is a value
/// read after the next change request was armed, and **a change that happens after an item was
/// read always produces another item**: nothing is lost between two requests. Several changes
/// close together may produce one item (the value after the last of them), and an item may repeat
/// the previous value if what changed is not something the query shows.
///
/// The change requests are issued from a thread of this crate that never exits, so the stream
/// may be polled from any thread, and moved between threads, without a thread's exit cancelling
/// its request.
///
/// Use it as a [`futures_core::Stream`], with [`next`](Self::next) in async code, or with
/// [`next_timeout`](Self::next_timeout) to block. An error reading the value is an item and the
/// stream goes on; an error of the change request (for example `WSAEOPNOTSUPP` from a provider
/// that does not report changes, or `WSA_OPERATION_ABORTED` after the socket was closed) is the
/// last item. Dropping the stream cancels the armed request.
pub struct ChangeStream<S: AsSocket, T, C, Q> {
    // Declared first so it drops first: the armed request is cancelled while the socket is open.
    changes: Changes<T, C, Q>,
    socket: S,
}

// Nothing in a stream is pinned: the armed request lives on the heap.
impl<S: AsSocket, T, C, Q> Unpin for ChangeStream<S, T, C, Q> {}

impl<S: AsSocket, T, C: OverlappedError, Q> ChangeStream<S, T, C, Q> {
    pub(crate) fn new(socket: S, code: u32, input: &[u8], query: Query<T, Q>) -> Self {
        ChangeStream { changes: Changes::new(code, input, query), socket }
    }

    /// The next item: the current value at the first call, then the value after the next change;
    /// `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Result<T, ChangeError<C, Q>>> {
        core::future::poll_fn(|cx| self.poll_next_item(cx)).await
    }

    /// Like [`next`](Self::next), but blocks the calling thread for at most `timeout` and returns
    /// `Some(Ok(WaitOutcome::TimedOut))` if no change came in that time (the request stays
    /// armed). The first call returns the current value at once.
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<WaitOutcome<T>, ChangeError<C, Q>>> {
        self.changes.next_timeout(self.socket.as_socket(), timeout)
    }

    /// Polls for the next item; what [`futures_core::Stream::poll_next`] does.
    pub fn poll_next_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, ChangeError<C, Q>>>> {
        self.changes.poll_next(self.socket.as_socket(), cx)
    }

    /// The socket the stream watches.
    pub fn socket(&self) -> &S {
        &self.socket
    }
}

impl<S: AsSocket, T, C: OverlappedError, Q> futures_core::Stream for ChangeStream<S, T, C, Q> {
    type Item = Result<T, ChangeError<C, Q>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_item(cx)
    }
}

impl<S: AsSocket, T, C, Q> fmt::Debug for ChangeStream<S, T, C, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.changes.state {
            State::Start => "start",
            State::Armed => "armed",
            State::Failed(_) => "failed",
            State::Ended => "ended",
        };
        f.debug_struct("ChangeStream").field("state", &state).finish_non_exhaustive()
    }
}

//! Driving futures in the async tests: a tokio runtime, and a single poll with a waker that does
//! nothing (to issue a request, or to see that it still pends).

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// A two-worker multi-threaded tokio runtime with timers and I/O.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Polls `f` once with a waker that does nothing.
pub fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    std::pin::Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
}

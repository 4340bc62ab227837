//! The thread that issues the requests of the async forms.
//!
//! Windows cancels the overlapped I/O a thread issued when that thread exits (unless the handle
//! is associated with an I/O completion port, which a socket of std, socket2, mio or tokio is
//! not). Async executors move tasks between threads and end idle ones, so a request issued from a
//! task could end with `WSA_OPERATION_ABORTED` for no reason the task can see. The async forms
//! therefore issue their `WSAIoctl` on this one process-wide thread, which is started on first
//! use and never exits. Only the call is made there: the request is then owned, waited on and
//! cancelled by the caller as usual.
//!
//! The caller blocks until the thread has made the call. An overlapped `WSAIoctl` on an
//! overlapped socket returns at once (it either completes or reports `WSA_IO_PENDING`), and
//! `call::Overlapped::start_raw` refuses a socket opened for synchronous I/O before issuing a
//! code that can stay pending, so
//! the wait is the cost of a thread hand-off.

use crate::call::{Overlapped, StartError, SyncCheck};
use std::collections::VecDeque;
use std::os::windows::io::BorrowedSocket;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};

/// How a start ended, handed from the issuing thread to the caller waiting for it.
type Started = Result<Overlapped, StartError>;

/// WSAENOBUFS ("no buffer space", a resource shortage) stands for "no thread to issue from": the
/// thread could not be created, or died.
const NO_THREAD: StartError = StartError::Code(winsock_ioctl_sys::WSAENOBUFS);

/// Where the issuing thread puts a start's result and its caller waits for it.
#[derive(Default)]
struct Reply {
    result: Mutex<Option<Started>>,
    done: Condvar,
}

impl Reply {
    fn put(&self, r: Started) {
        *self.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(r);
        self.done.notify_one();
    }

    fn take(&self) -> Started {
        let mut slot = self.result.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(r) = slot.take() {
                return r;
            }
            slot = self.done.wait(slot).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// One request to start: the raw socket, control code, input and output length, and where to
/// put the result. A job dropped unanswered (the thread unwinding) answers `NO_THREAD`, so no
/// caller waits forever.
struct Job {
    socket: winsock_ioctl_sys::SOCKET,
    code: u32,
    input: Box<[u8]>,
    out_len: usize,
    check: SyncCheck,
    reply: Option<Arc<Reply>>,
}

impl Drop for Job {
    fn drop(&mut self) {
        if let Some(reply) = self.reply.take() {
            reply.put(Err(NO_THREAD));
        }
    }
}

/// The issuing thread's queue. `None` once the thread has died: its jobs were answered with
/// `NO_THREAD`, and so are later ones.
struct Queue {
    jobs: Mutex<Option<VecDeque<Job>>>,
    ready: Condvar,
}

/// Closes the queue when the issuing thread ends (it only ends by unwinding): the jobs still in
/// it are dropped, which answers their callers.
struct CloseOnExit(&'static Queue);

impl Drop for CloseOnExit {
    fn drop(&mut self) {
        let left = self.0.jobs.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(left);
    }
}

impl Queue {
    fn next(&self) -> Job {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(job) = jobs.as_mut().and_then(VecDeque::pop_front) {
                return job;
            }
            jobs = self.ready.wait(jobs).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Queues a job; `false` (and the job answered `NO_THREAD`) once the thread has died.
    fn push(&self, job: Job) -> bool {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(jobs) = jobs.as_mut() else { return false };
        jobs.push_back(job);
        self.ready.notify_one();
        true
    }
}

/// The issuing thread's queue. A plain queue and condition variables rather than
/// `std::sync::mpsc`, whose generic code made up most of this crate's machine code.
static QUEUE: Queue = Queue { jobs: Mutex::new(Some(VecDeque::new())), ready: Condvar::new() };

/// The queue, once the issuing thread runs; `None` if it could not be started.
fn queue() -> Option<&'static Queue> {
    static STARTED: OnceLock<bool> = OnceLock::new();
    let running = *STARTED.get_or_init(|| {
        std::thread::Builder::new()
            .name("winsock-ioctl issuer".into())
            .spawn(|| {
                let _close = CloseOnExit(&QUEUE);
                loop {
                    let mut job = QUEUE.next();
                    let started = Overlapped::start_raw(job.socket, job.code, &job.input, job.out_len, job.check);
                    if let Some(reply) = job.reply.take() {
                        reply.put(started);
                    }
                }
            })
            .is_ok()
    });
    running.then_some(&QUEUE)
}

/// Starts an overlapped request from the issuing thread and returns it once started. The borrow
/// of `socket` is held until then, so the raw value stays valid while the thread uses it.
pub(crate) fn start(
    socket: BorrowedSocket<'_>,
    code: u32,
    input: &[u8],
    out_len: usize,
    check: SyncCheck,
) -> Result<Overlapped, StartError> {
    let Some(queue) = queue() else { return Err(NO_THREAD) };
    let reply = Arc::new(Reply::default());
    let job = Job { socket: crate::call::raw(socket), code, input: input.into(), out_len, check, reply: Some(Arc::clone(&reply)) };
    if !queue.push(job) {
        return Err(NO_THREAD);
    }
    reply.take()
}

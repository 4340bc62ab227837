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
use std::os::windows::io::BorrowedSocket;
use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender, SyncSender};

/// One request to start: the raw socket, control code, input and output length, and where to
/// send the result.
struct Job {
    socket: winsock_ioctl_sys::SOCKET,
    code: u32,
    input: Box<[u8]>,
    out_len: usize,
    check: SyncCheck,
    reply: SyncSender<Result<Overlapped, StartError>>,
}

/// The issuing thread's queue, or `None` if the thread could not be started.
fn queue() -> Option<&'static Sender<Job>> {
    static QUEUE: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Job>();
            let spawned = std::thread::Builder::new().name("winsock-ioctl issuer".into()).spawn(move || {
                for job in rx {
                    let started = Overlapped::start_raw(job.socket, job.code, &job.input, job.out_len, job.check);
                    // The caller waits for this reply; if it has gone (it cannot, it blocks on
                    // the receiver), dropping the request cancels it.
                    let _ = job.reply.send(started);
                }
            });
            spawned.ok().map(|_| tx)
        })
        .as_ref()
}

/// Starts an overlapped request from the issuing thread and returns it once started. The borrow
/// of `socket` is held until then, so the raw value stays valid while the thread uses it.
pub(crate) fn start(socket: BorrowedSocket<'_>, code: u32, input: &[u8], out_len: usize, check: SyncCheck) -> Result<Overlapped, StartError> {
    // WSAENOBUFS ("no buffer space", a resource shortage) stands for "no thread to issue from":
    // the thread could not be created, or has died.
    let Some(queue) = queue() else { return Err(StartError::Code(winsock_ioctl_sys::WSAENOBUFS)) };
    let (reply, result) = mpsc::sync_channel(1);
    let job = Job { socket: crate::call::raw(socket), code, input: input.into(), out_len, check, reply };
    if queue.send(job).is_err() {
        return Err(StartError::Code(winsock_ioctl_sys::WSAENOBUFS));
    }
    result.recv().unwrap_or(Err(StartError::Code(winsock_ioctl_sys::WSAENOBUFS)))
}

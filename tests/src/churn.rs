//! The drop-and-cancel churn: many SIO_ADDRESS_LIST_CHANGE requests, each started and then
//! ended one of five ways, with the process's handle count and committed memory read before and
//! after. Run 500 cycles in the default test run and 10,000 by hand (see the README).

use std::fmt;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use winsock_ioctl::{AddressListChangeError, Pending, WaitOutcome};

/// The process's open handles and committed (private) bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Open handles of this process.
    pub handles: usize,
    /// `PROCESS_MEMORY_COUNTERS::PagefileUsage`: the commit charge, the private memory committed
    /// to this process (Wine: its anonymous resident plus swapped memory).
    pub committed: usize,
}

/// One entry of `SystemExtendedHandleInformation` (ntdll's SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX).
#[repr(C)]
#[derive(Clone, Copy)]
struct HandleEntry {
    object: usize,
    process: usize,
    value: usize,
    access: u32,
    backtrace: u16,
    type_index: u16,
    attributes: u32,
    reserved: u32,
}

/// Open handles of this process. `GetProcessHandleCount` answers 0 under Wine 8, so the handles
/// of the whole system are listed (`NtQuerySystemInformation(SystemExtendedHandleInformation)`,
/// which Wine implements) and this process's counted.
fn handle_count() -> usize {
    use windows_sys::Wdk::System::SystemInformation::NtQuerySystemInformation;
    // SYSTEM_INFORMATION_CLASS value 64 (winternl.h; windows-sys does not name it).
    const SYSTEM_EXTENDED_HANDLE_INFORMATION: i32 = 64;
    use windows_sys::Win32::System::Threading::GetCurrentProcessId;
    const HEADER: usize = 2; // NumberOfHandles and Reserved, in usize words
    let entry_words = size_of::<HandleEntry>() / size_of::<usize>();
    let mut words = vec![0usize; HEADER + 4096 * entry_words];
    loop {
        let bytes = (words.len() * size_of::<usize>()) as u32;
        let mut needed = 0u32;
        #[allow(unsafe_code)]
        // SAFETY: `words` is a live, usize-aligned buffer of `bytes` bytes; the call writes at most
        // that many and reports the size it needs in `needed`.
        let status = unsafe { NtQuerySystemInformation(SYSTEM_EXTENDED_HANDLE_INFORMATION, words.as_mut_ptr().cast(), bytes, &mut needed) };
        if status == 0xC000_0004_u32 as i32 {
            // STATUS_INFO_LENGTH_MISMATCH: grow and ask again.
            words.resize((needed as usize / size_of::<usize>()).max(words.len() * 2), 0);
            continue;
        }
        assert_eq!(status, 0, "NtQuerySystemInformation(SystemExtendedHandleInformation)");
        let count = words[0];
        let body = &words[HEADER..];
        assert!(count * entry_words <= body.len(), "{count} handles fit the reply");
        #[allow(unsafe_code)]
        // SAFETY: the checked prefix of `body` holds `count` entries written by the call;
        // HandleEntry is plain data of usize alignment, and every bit pattern is valid for it.
        let entries = unsafe { std::slice::from_raw_parts(body.as_ptr().cast::<HandleEntry>(), count) };
        #[allow(unsafe_code)]
        // SAFETY: GetCurrentProcessId has no preconditions.
        let me = unsafe { GetCurrentProcessId() } as usize;
        return entries.iter().filter(|e| e.process == me).count();
    }
}

/// Reads the counters of this process.
pub fn usage() -> Usage {
    use windows_sys::Win32::System::ProcessStatus::{K32GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS};
    use windows_sys::Win32::System::Threading::GetCurrentProcess;
    let mut mem = PROCESS_MEMORY_COUNTERS { cb: size_of::<PROCESS_MEMORY_COUNTERS>() as u32, ..Default::default() };
    #[allow(unsafe_code)]
    // SAFETY: the pseudo-handle of the current process needs no closing; `mem` is a live local
    // and `cb` gives its size.
    let ok = unsafe { K32GetProcessMemoryInfo(GetCurrentProcess(), &mut mem, mem.cb) != 0 };
    assert!(ok, "the memory counters are readable");
    let u = Usage { handles: handle_count(), committed: mem.PagefileUsage };
    assert!(u.handles > 0 && u.committed > 0, "both counters see something: {u:?}");
    u
}

/// How a cycle ends its request.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// `wait(1 ms)` times out, then the request is dropped.
    WaitThenDrop,
    /// Dropped at once.
    Drop,
    /// `cancel()`, which reports `WSA_OPERATION_ABORTED`.
    Cancel,
    /// Sent to another thread, which drops it.
    DropElsewhere,
    /// The `_async` form is started by a `tokio::select!`, loses it and is dropped.
    LostSelect,
}

const ENDINGS: [Ending; 5] = [Ending::WaitThenDrop, Ending::Drop, Ending::Cancel, Ending::DropElsewhere, Ending::LostSelect];

/// What a run measured.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    /// Cycles run (after the warm-up).
    pub cycles: usize,
    /// Before the measured cycles (after a warm-up that starts the thread pool, the issuing
    /// thread and the runtime).
    pub before: Usage,
    /// After them.
    pub after: Usage,
    /// Wall time of the measured cycles.
    pub elapsed: Duration,
}

/// Handles that may come and go for reasons of the runtime and the thread pool.
pub const HANDLE_SLACK: i64 = 16;
/// Committed bytes that may come and go likewise (allocator and thread-pool growth).
pub const MEMORY_SLACK: i64 = 512 << 10;

impl Report {
    /// Growth of the handle count.
    pub fn handle_growth(&self) -> i64 {
        self.after.handles as i64 - self.before.handles as i64
    }

    /// Growth of committed memory, in bytes.
    pub fn memory_growth(&self) -> i64 {
        self.after.committed as i64 - self.before.committed as i64
    }

    /// Panics unless both growths are within their slack.
    pub fn assert_bounded(&self) {
        assert!(self.handle_growth() <= HANDLE_SLACK, "handles grew: {self}");
        assert!(self.memory_growth() <= MEMORY_SLACK, "committed memory grew: {self}");
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "churn: {} cycles in {:.2?} ({:.1} us/cycle); handles {} -> {} ({:+}); committed {} -> {} KiB ({:+} KiB)",
            self.cycles,
            self.elapsed,
            self.elapsed.as_secs_f64() * 1e6 / self.cycles.max(1) as f64,
            self.before.handles,
            self.after.handles,
            self.handle_growth(),
            self.before.committed / 1024,
            self.after.committed / 1024,
            self.memory_growth() / 1024
        )
    }
}

type Request<'a> = Pending<std::os::windows::io::BorrowedSocket<'a>, (), AddressListChangeError>;

fn cycle(
    socket: std::os::windows::io::BorrowedSocket<'static>,
    ending: Ending,
    rt: &tokio::runtime::Runtime,
    elsewhere: &mpsc::Sender<Request<'static>>,
) {
    if let Ending::LostSelect = ending {
        // `biased` polls the request first: it is issued and its wait registered, then the
        // other branch (pending once, ready at the second poll) wins and the request is dropped.
        rt.block_on(async {
            tokio::select! {
                biased;
                r = winsock_ioctl::address_list_change_async(socket) => panic!("nothing changed, yet it resolved: {r:?}"),
                () = tokio::task::yield_now() => {}
            }
        });
        return;
    }
    let mut p = winsock_ioctl::address_list_change_overlapped(socket).expect("starts");
    match ending {
        Ending::WaitThenDrop => {
            assert_eq!(p.wait(Duration::from_millis(1)), Ok(WaitOutcome::TimedOut));
            drop(p);
        }
        Ending::Drop => drop(p),
        Ending::Cancel => assert_eq!(p.cancel(), Err(AddressListChangeError::OperationAborted)),
        Ending::DropElsewhere => elsewhere.send(p).expect("the dropping thread runs"),
        Ending::LostSelect => unreachable!("handled above"),
    }
}

/// Runs `cycles` cycles (the endings in turn) after a warm-up of 50, on one UDP socket, and
/// measures them.
pub fn run(cycles: usize) -> Report {
    // The socket lives for the rest of the process, so requests may borrow it for 'static.
    let socket: &'static socket2::Socket = Box::leak(Box::new(crate::fixtures::udp().into_socket()));
    let borrowed = std::os::windows::io::AsSocket::as_socket(socket);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (tx, rx) = mpsc::channel::<Request<'static>>();
    let dropper = std::thread::spawn(move || rx.into_iter().for_each(drop));
    for i in 0..50 {
        cycle(borrowed, ENDINGS[i % ENDINGS.len()], &rt, &tx);
    }
    // Let the dropping thread catch up before the first reading.
    std::thread::sleep(Duration::from_millis(200));
    let before = usage();
    let start = Instant::now();
    for i in 0..cycles {
        cycle(borrowed, ENDINGS[i % ENDINGS.len()], &rt, &tx);
    }
    drop(tx);
    dropper.join().expect("dropping thread");
    let elapsed = start.elapsed();
    let after = usage();
    Report { cycles, before, after, elapsed }
}

//! Safe wrappers against raw `WSAIoctl`, measured side by side in one process.
//!
//! `cargo xtask bench` builds this for x86_64-pc-windows-gnu, runs it under Wine pinned to one CPU
//! and prints the results as a table; run by hand it prints one tab-separated line per case and
//! variant:
//!
//! ```text
//! row  <case>  <variant>  <calls>  <median ns per call>  <allocations per call>  <bytes per call>
//! ```
//!
//! The safe and raw variants of a case run in alternating blocks (safe first in even blocks, raw
//! first in odd ones), so a drift in the machine's speed falls on both. The median over blocks is
//! reported for each variant, and `ratio <case> <r>` gives the median of the safe/raw ratios of
//! blocks that ran side by side. Heap allocations are counted by the global allocator below.
//!
//! `--trace K` runs K calls of each variant instead, each run between two marks that show in a
//! `WINEDEBUG=+server` trace as `close_handle` requests for handle values nobody has; it prints
//! `mark <handle> <case> <variant> <K>` for each, and xtask counts the wineserver requests the
//! marking thread made between the marks.

#[cfg(not(windows))]
fn main() {
    eprintln!("winsock-ioctl-bench runs on Windows targets only; `cargo xtask bench` runs it under Wine");
    std::process::exit(2);
}

#[cfg(windows)]
fn main() {
    win::main();
}

#[cfg(windows)]
mod win {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::hint::black_box;
    use std::net::{TcpListener, TcpStream, UdpSocket};
    use std::os::windows::io::AsRawSocket;
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    use std::time::Instant;
    use windows_sys::Wdk::Storage::FileSystem as fs;
    use windows_sys::Win32::Networking::WinSock as ws;
    use windows_sys::Win32::System::IO::{CancelIoEx, IO_STATUS_BLOCK, OVERLAPPED};
    use winsock_ioctl::{WaitOutcome, address_list_change_overlapped, fionread, fionread_overlapped, ideal_send_backlog_query};

    /// The system allocator, counting every allocation (and its bytes) made through it.
    struct Counting;

    static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
    static BYTES: AtomicU64 = AtomicU64::new(0);

    // SAFETY: every method forwards to `System` with the arguments it was given, so `System`'s
    // guarantees carry over; the counters are plain atomics.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
            // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
            // SAFETY: as above.
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            BYTES.fetch_add(new_size as u64, Relaxed);
            // SAFETY: as above.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as above.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    /// One call of one variant. Each asserts the outcome it expects, so a broken path cannot
    /// look fast.
    type Call = Box<dyn FnMut()>;

    struct Case {
        name: &'static str,
        /// Calls per block.
        per_block: u64,
        blocks: u64,
        safe: Call,
        raw: Call,
    }

    fn tcp_pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let c = TcpStream::connect(l.local_addr().expect("addr")).expect("connect");
        let (s, _) = l.accept().expect("accept");
        (c, s)
    }

    /// `WSAIoctl` into a stack `u32`, without overlapped I/O: what a hand-written caller does.
    fn raw_u32(s: ws::SOCKET, code: u32) -> u32 {
        let mut out = 0u32;
        let mut n = 0u32;
        // SAFETY: `out` is a live u32 and its size is passed; no input, no OVERLAPPED.
        let rc = unsafe { ws::WSAIoctl(s, code, std::ptr::null(), 0, (&raw mut out).cast(), 4, &mut n, std::ptr::null_mut(), None) };
        assert!(rc == 0 && n == 4, "raw WSAIoctl({code:#x}) failed");
        out
    }

    /// A raw `SIO_ADDRESS_LIST_CHANGE` request, cancelled and waited for; with `ask_mode`, first
    /// the handle-mode query the crate makes for the three notification codes (a socket opened
    /// for synchronous I/O would block inside `WSAIoctl` until an address changes).
    fn raw_change_start_cancel(s: ws::SOCKET, event: ws::WSAEVENT, ask_mode: bool) {
        if ask_mode {
            // SAFETY: IO_STATUS_BLOCK and FILE_MODE_INFORMATION are plain data; all-zero is valid.
            let (mut io, mut info): (IO_STATUS_BLOCK, fs::FILE_MODE_INFORMATION) = unsafe { std::mem::zeroed() };
            let len = std::mem::size_of::<fs::FILE_MODE_INFORMATION>() as u32;
            // SAFETY: `io` and `info` are live locals and `len` is `info`'s size.
            let status = unsafe { fs::NtQueryInformationFile(s as _, &mut io, (&raw mut info).cast(), len, fs::FileModeInformation) };
            let sync = fs::FILE_SYNCHRONOUS_IO_ALERT | fs::FILE_SYNCHRONOUS_IO_NONALERT;
            assert!(status >= 0 && black_box(info.Mode) & sync == 0, "the socket is overlapped");
        }
        // SAFETY: all-zero is a valid initial OVERLAPPED.
        let mut ov: OVERLAPPED = unsafe { std::mem::zeroed() };
        ov.hEvent = (event | 1) as _;
        let mut n = 0u32;
        // SAFETY: `ov` lives until the request's completion is observed below.
        let rc = unsafe {
            ws::WSAIoctl(s, winsock_ioctl_sys::SIO_ADDRESS_LIST_CHANGE, std::ptr::null(), 0, std::ptr::null_mut(), 0, &mut n, &mut ov, None)
        };
        // SAFETY: no preconditions.
        assert!(rc != 0 && unsafe { ws::WSAGetLastError() } == ws::WSA_IO_PENDING, "raw request did not pend");
        // SAFETY: `ov` is the live OVERLAPPED of a request on this socket.
        unsafe { CancelIoEx(s as _, &ov) };
        let mut flags = 0u32;
        // SAFETY: waits for the request's completion, after which `ov` may go.
        let ok = unsafe { ws::WSAGetOverlappedResult(s, &ov, &mut n, 1, &mut flags) };
        // SAFETY: no preconditions.
        assert!(ok == 0 && unsafe { ws::WSAGetLastError() } == ws::WSA_OPERATION_ABORTED, "raw request not aborted");
    }

    fn cases(scale: u64) -> Vec<Case> {
        let (client, server) = tcp_pair();
        let (client2, server2) = tcp_pair();
        let (client3, server3) = tcp_pair();
        let c3 = client3.as_raw_socket() as ws::SOCKET;
        let udp = UdpSocket::bind("127.0.0.1:0").expect("bind");
        let udp_raw = udp.as_raw_socket() as ws::SOCKET;
        let udp2 = UdpSocket::bind("127.0.0.1:0").expect("bind");
        let udp2_raw = udp2.as_raw_socket() as ws::SOCKET;
        // The raw overlapped caller keeps one event for all its requests, as a careful
        // hand-written caller would; each request resets it when it is issued. Like the crate, it
        // sets the event's low bit so that no completion port hears of the completion.
        // SAFETY: WSACreateEvent has no preconditions.
        let event = unsafe { ws::WSACreateEvent() };
        assert!(event != 0, "WSACreateEvent");
        let c1 = client.as_raw_socket() as ws::SOCKET;
        let c2 = client2.as_raw_socket() as ws::SOCKET;
        let keep = std::rc::Rc::new((server, server2, server3));
        let k2 = keep.clone();
        let k3 = keep.clone();
        vec![
            Case {
                name: "FIONREAD (sync)",
                per_block: 25_000 * scale / 100,
                blocks: 40,
                safe: Box::new(move || assert_eq!(black_box(fionread(&client)).expect("fionread"), 0)),
                raw: Box::new(move || assert_eq!(black_box(raw_u32(c1, winsock_ioctl_sys::FIONREAD)), 0)),
            },
            Case {
                name: "SIO_IDEAL_SEND_BACKLOG_QUERY (sync)",
                per_block: 25_000 * scale / 100,
                blocks: 40,
                safe: Box::new(move || assert!(black_box(ideal_send_backlog_query(&client2)).expect("isb") > 0)),
                raw: Box::new(move || {
                    let _keep = &k2;
                    assert!(black_box(raw_u32(c2, winsock_ioctl_sys::SIO_IDEAL_SEND_BACKLOG_QUERY)) > 0)
                }),
            },
            Case {
                name: "FIONREAD (overlapped, completes at once)",
                per_block: 250 * scale / 100,
                blocks: 40,
                safe: Box::new(move || {
                    let mut p = fionread_overlapped(&client3).expect("starts");
                    assert_eq!(black_box(p.wait(std::time::Duration::ZERO)), Ok(WaitOutcome::Completed(0)));
                }),
                raw: Box::new(move || {
                    let _keep = &k3;
                    // SAFETY: all-zero is a valid initial OVERLAPPED.
                    let mut ov: OVERLAPPED = unsafe { std::mem::zeroed() };
                    ov.hEvent = (event | 1) as _;
                    let (mut out, mut n) = (1u32, 0u32);
                    // SAFETY: `ov` and `out` outlive the call, which completes inside it (asserted).
                    let rc = unsafe {
                        ws::WSAIoctl(c3, winsock_ioctl_sys::FIONREAD, std::ptr::null(), 0, (&raw mut out).cast(), 4, &mut n, &mut ov, None)
                    };
                    assert!(rc == 0 && n == 4 && black_box(out) == 0, "raw overlapped FIONREAD did not complete at once");
                }),
            },
            Case {
                name: "SIO_ADDRESS_LIST_CHANGE (overlapped start + cancel)",
                per_block: 250 * scale / 100,
                blocks: 40,
                safe: Box::new(move || drop(black_box(address_list_change_overlapped(&udp).expect("starts")))),
                raw: Box::new(move || {
                    let _keep = &keep;
                    raw_change_start_cancel(udp_raw, event, false)
                }),
            },
            Case {
                name: "SIO_ADDRESS_LIST_CHANGE (overlapped start + cancel), raw asking the handle's mode first",
                per_block: 250 * scale / 100,
                blocks: 40,
                safe: Box::new(move || drop(black_box(address_list_change_overlapped(&udp2).expect("starts")))),
                raw: Box::new(move || raw_change_start_cancel(udp2_raw, event, true)),
            },
        ]
    }

    fn median(v: &mut [f64]) -> f64 {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }

    fn measure(case: &mut Case) {
        // Warm up both paths (first-use costs: handle caches, the event pool, page faults).
        for _ in 0..case.per_block.min(1000) {
            (case.safe)();
            (case.raw)();
        }
        let mut times = [Vec::new(), Vec::new()];
        let mut allocs = [0u64; 2];
        let mut bytes = [0u64; 2];
        for b in 0..case.blocks {
            let order = if b % 2 == 0 { [0, 1] } else { [1, 0] };
            for v in order {
                let f = if v == 0 { &mut case.safe } else { &mut case.raw };
                let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
                let t = Instant::now();
                for _ in 0..case.per_block {
                    f();
                }
                let ns = t.elapsed().as_nanos() as f64 / case.per_block as f64;
                allocs[v] += ALLOCATIONS.load(Relaxed) - a0;
                bytes[v] += BYTES.load(Relaxed) - b0;
                times[v].push(ns);
            }
        }
        let calls = case.per_block * case.blocks;
        // Each block of one variant ran next to a block of the other: the median of these
        // pairwise ratios is steadier than the ratio of the two medians.
        let mut ratios: Vec<f64> = times[0].iter().zip(&times[1]).map(|(s, r)| s / r).collect();
        println!("ratio\t{}\t{:.4}", case.name, median(&mut ratios));
        for (v, name) in ["safe", "raw"].iter().enumerate() {
            println!(
                "row\t{}\t{}\t{}\t{:.1}\t{:.3}\t{:.1}",
                case.name,
                name,
                calls,
                median(&mut times[v]),
                allocs[v] as f64 / calls as f64,
                bytes[v] as f64 / calls as f64
            );
        }
    }

    /// Leaves a mark in a `WINEDEBUG=+server` trace: a `close_handle` request for a handle value
    /// no process has (`0xbe000 + n`), which the server refuses without other effects.
    fn mark(n: u32) {
        // SAFETY: closing a handle value that was never issued only fails.
        unsafe { windows_sys::Win32::Foundation::CloseHandle((0xbe000 + n as usize) as _) };
    }

    fn trace(cases: &mut [Case], k: u64) {
        for (i, case) in cases.iter_mut().enumerate() {
            for _ in 0..10 {
                (case.safe)();
                (case.raw)();
            }
            for (v, (name, f)) in [("safe", &mut case.safe), ("raw", &mut case.raw)].into_iter().enumerate() {
                let n = (i * 2 + v) as u32 * 4;
                println!("mark\t{:x}\t{}\t{}\t{}", 0xbe000 + n, case.name, name, k);
                mark(n);
                for _ in 0..k {
                    f();
                }
                mark(0xffc);
            }
        }
    }

    pub(crate) fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let arg =
            |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map(|v| v.parse::<u64>().expect("a number"));
        // `--scale P`: P percent of the default number of calls (100: 1,000,000 synchronous and
        // 10,000 overlapped calls per variant).
        let scale = arg("--scale").unwrap_or(100).max(1);
        let mut all = cases(scale);
        match arg("--trace") {
            Some(k) => trace(&mut all, k),
            None => all.iter_mut().for_each(measure),
        }
    }
}

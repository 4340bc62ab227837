//! The audited core: the crate's only `unsafe` code and its single `WSAIoctl` call site.
//!
//! Entry points:
//! - [`ioctl`] and [`ioctl_raw`]: a synchronous call with caller-owned buffers;
//! - [`Overlapped`]: an overlapped call whose `OVERLAPPED`, event and buffers live on the heap,
//!   owned by this module until the kernel is provably done with them; it can also wake an async
//!   task through a thread-pool wait registered on its event ([`Overlapped::poll_ready`]);
//! - [`wait_any`], which waits for the first of several event handles, and [`set_send_buffer`],
//!   which is `setsockopt(SO_SNDBUF)` (these and [`Overlapped`] are built with the `overlapped`
//!   feature);
//! - [`AlignedBuf`]: a zeroed, 8-byte-aligned byte buffer of any length;
//! - [`fn_ptr`]: turns an extension function's address into its typed function pointer.
//!
//! Invariants the rest of the crate relies on:
//! 1. A buffer pointer passed to Winsock is either NULL with length 0, or points to `len`
//!    initialised, writable bytes that outlive the operation.
//! 2. The byte count Winsock returns is checked against the buffer length before any slice of it
//!    is built; output buffers are zeroed first, so a provider that reports bytes it never wrote
//!    cannot make Rust read uninitialised memory.
//! 3. The heap block of an overlapped request is freed only after its completion was observed
//!    (`WSAGetOverlappedResult` or `GetOverlappedResult` stopped reporting "incomplete"). If that
//!    cannot be observed within [`DROP_BOUND`] after cancellation, the block is leaked on purpose:
//!    a leak is safe, a use-after-free by the kernel is not.
//! 4. An overlapped request's output is readable only once its completion was observed.
//! 5. A function pointer is only ever made from an address by [`fn_ptr`], for a type whose
//!    [`FnPtrOption`] impl promises that it is an `Option` of a function pointer.
//! 6. The wait registered on a request's event is unregistered before the event is closed. Its
//!    callback's context is a key into a map of live registrations, not a pointer, so a callback
//!    that runs late (Wine can start one after unregistering returned) reads nothing freed; once
//!    the drop has returned, no callback of the request wakes its task.
#![allow(unsafe_code)]

/// The Win32 functions, constants and types this module calls Windows with, written by
/// windows-bindgen from Microsoft's metadata (`cargo xtask gen`). They are not the sys crate's:
/// it exports only what issuing a control code needs.
#[cfg(windows)]
#[path = "generated/win32.rs"]
pub(crate) mod win32;

/// A zeroed byte buffer of any length, aligned to 8 bytes (it is made of `u64`s).
#[cfg_attr(not(windows), allow(dead_code))] // used by the Windows-only call paths
pub(crate) struct AlignedBuf {
    words: Vec<u64>,
    len: usize,
}

#[cfg_attr(not(windows), allow(dead_code))]
impl AlignedBuf {
    /// `len` zero bytes.
    pub(crate) fn zeroed(len: usize) -> Self {
        AlignedBuf { words: vec![0u64; len.div_ceil(8)], len }
    }

    /// Makes this `len` zero bytes, reusing the allocation when it is large enough.
    #[cfg_attr(not(windows), allow(dead_code))]
    pub(crate) fn refill(&mut self, len: usize) {
        self.words.clear();
        self.words.resize(len.div_ceil(8), 0);
        self.len = len;
    }

    /// The bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: `words` owns at least `len` initialised bytes (`len.div_ceil(8)` u64s, zeroed);
        // u8 has no alignment requirement and every bit pattern is a valid u8; the borrow of
        // `self` keeps the Vec alive and unmoved for the slice's lifetime.
        unsafe { core::slice::from_raw_parts(self.words.as_ptr().cast::<u8>(), self.len) }
    }

    /// The bytes, writable.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`; the exclusive borrow of `self` makes this the only view.
        unsafe { core::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast::<u8>(), self.len) }
    }
}

/// `F` of an `Option<F>`: how the safe layer names the function-pointer type inside the sys
/// crate's `LPFN_*` aliases (`Option<unsafe extern "system" fn(..)>`).
pub trait OptionFn {
    /// The `F` of `Option<F>`.
    type Fn: Copy;
    /// The option itself.
    fn into_option(self) -> Option<Self::Fn>;
}

impl<F: Copy> OptionFn for Option<F> {
    type Fn = F;
    fn into_option(self) -> Option<F> {
        self
    }
}

/// Marks an `Option<unsafe extern "system" fn(..)>` type that the crate may build from an
/// address.
///
/// # Safety
///
/// Implement it only for `Option<F>` where `F` is a function-pointer type. Then the type is
/// pointer-sized, all-zero is `None`, and any other address is a valid value (calling it is a
/// separate, `unsafe` step whose contract is the C function's).
pub(crate) unsafe trait FnPtrOption: OptionFn + Copy {}

/// The function pointer at `addr`, or `None` for a null address.
pub(crate) fn fn_ptr<F: FnPtrOption>(addr: usize) -> Option<F::Fn> {
    const { assert!(core::mem::size_of::<F>() == core::mem::size_of::<usize>()) };
    // SAFETY: `F` is `Option<fn ..>` (the `FnPtrOption` contract), which is pointer-sized (checked
    // above at compile time) and valid for every address: 0 is `None`, anything else `Some`.
    // Producing the value calls nothing.
    let f: F = unsafe { core::mem::transmute_copy(&addr) };
    f.into_option()
}

#[cfg(windows)]
pub(crate) use os::*;

/// Everything that calls Winsock.
#[cfg(windows)]
mod os {
    use super::win32;
    use crate::ControlCodeError;
    use core::ffi::c_void;
    use core::ptr;
    use std::os::windows::io::{AsRawSocket, BorrowedSocket};
    use winsock_ioctl_sys as sys;

    #[cfg(feature = "overlapped")]
    pub(crate) use overlapped::*;

    /// The socket's raw value. Passing it to Winsock is safe whatever it is: Winsock looks it up
    /// and fails for a value that is not an open socket.
    pub(crate) fn raw(socket: BorrowedSocket<'_>) -> win32::SOCKET {
        socket.as_raw_socket() as win32::SOCKET
    }

    fn len_u32(len: usize) -> Option<u32> {
        u32::try_from(len).ok()
    }

    fn last_wsa_error() -> i32 {
        // SAFETY: WSAGetLastError takes no arguments and only reads thread-local state.
        unsafe { win32::WSAGetLastError() }
    }

    /// Calls `WSAIoctl` synchronously and returns the part of `output` that Winsock reports written.
    ///
    /// `output` is zeroed before the call (invariant 2).
    pub(crate) fn ioctl<'o, E: ControlCodeError>(
        socket: BorrowedSocket<'_>,
        code: u32,
        input: &[u8],
        output: &'o mut [u8],
    ) -> Result<&'o [u8], E> {
        let len = output.len();
        match ioctl_raw(socket, code, input, output) {
            Ok(n) => output.get(..n).ok_or(E::unexpected_length(len, n)),
            Err((e, _)) => Err(E::from_raw_os_error(e)),
        }
    }

    /// Calls `WSAIoctl` synchronously: the byte count Winsock reports, or the error code with the
    /// byte count it reported alongside (some codes give the size they need there). The count is
    /// not checked against `output` here; callers check it before slicing.
    pub(crate) fn ioctl_raw(socket: BorrowedSocket<'_>, code: u32, input: &[u8], output: &mut [u8]) -> Result<usize, (i32, usize)> {
        let (Some(in_len), Some(out_len)) = (len_u32(input.len()), len_u32(output.len())) else {
            return Err((sys::WSAEFAULT, 0));
        };
        output.fill(0);
        let in_ptr = if input.is_empty() { ptr::null() } else { input.as_ptr().cast::<c_void>() };
        let out_ptr = if output.is_empty() { ptr::null_mut() } else { output.as_mut_ptr().cast::<c_void>() };
        let mut returned: u32 = 0;
        // SAFETY: `in_ptr`/`out_ptr` are NULL with length 0 or point to `in_len`/`out_len` bytes we
        // borrow for the duration of the call (invariant 1); `returned` is a live u32. With a NULL
        // OVERLAPPED and no completion routine the call finishes before it returns, so nothing
        // outlives these borrows. An invalid socket value makes Winsock fail with an error code,
        // never touch memory.
        let rc = unsafe { win32::WSAIoctl(raw(socket), code, in_ptr, in_len, out_ptr, out_len, &mut returned, ptr::null_mut(), None) };
        if rc != 0 {
            return Err((last_wsa_error(), returned as usize));
        }
        Ok(returned as usize)
    }

    /// Overlapped requests: the `overlapped` feature's `*_overlapped`, `*_async` and `*_stream`
    /// forms, and waiting on events.
    #[cfg(feature = "overlapped")]
    mod overlapped {
        use super::super::AlignedBuf;
        use super::{last_wsa_error, len_u32, raw, win32};
        use crate::ControlCodeError;
        use core::cell::Cell;
        use core::ffi::c_void;
        use core::ptr::{self, NonNull};
        use core::sync::atomic::{AtomicUsize, Ordering::Acquire, Ordering::SeqCst};
        use core::task::{Context, Poll, Waker};
        use std::collections::BTreeMap;
        use std::os::windows::io::{BorrowedHandle, BorrowedSocket, RawHandle};
        use std::sync::{Arc, Condvar, Mutex, PoisonError};
        use std::time::{Duration, Instant};
        use winsock_ioctl_sys as sys;

        /// How long dropping a pending request waits for the kernel after cancelling it, before leaking
        /// its buffers instead of freeing them.
        pub(crate) const DROP_BOUND: Duration = Duration::from_secs(30);

        /// `STATUS_PENDING`, the status of an OVERLAPPED whose request is in flight.
        const STATUS_PENDING: usize = 0x103;

        fn last_error() -> i32 {
            // SAFETY: GetLastError takes no arguments and only reads thread-local state.
            unsafe { win32::GetLastError() as i32 }
        }

        /// Milliseconds to wait for in one Win32 wait, given the deadline (`None`: no bound): the time
        /// left rounded up, so a sub-millisecond remainder still waits, and kept below `INFINITE`;
        /// `None` once the deadline has passed.
        pub(crate) fn wait_ms(deadline: Option<Instant>) -> Option<u32> {
            let Some(d) = deadline else { return Some(win32::INFINITE - 1) };
            let left = d.saturating_duration_since(Instant::now());
            (!left.is_zero()).then(|| left.as_micros().div_ceil(1000).min(u128::from(win32::INFINITE - 1)) as u32)
        }

        /// The heap block of an overlapped request. `repr(C)` with the OVERLAPPED first is not required
        /// by Winsock but keeps the pointer we hand out equal to the block's address.
        #[repr(C)]
        struct Block {
            overlapped: win32::OVERLAPPED,
            event: win32::HANDLE,
            input: Box<[u8]>,
            output: AlignedBuf,
        }

        /// Why a finished request failed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Failure {
            /// A Winsock (or Win32) error code.
            Code(i32),
            /// Success was reported with this byte count, larger than the output buffer.
            Length(usize),
        }

        /// How a finished request ended: the number of output bytes, or why it failed.
        pub(crate) type Completion = Result<usize, Failure>;

        /// An overlapped `WSAIoctl` in flight, or finished.
        pub(crate) struct Overlapped {
            block: NonNull<Block>,
            socket: win32::SOCKET,
            /// Length of the output buffer (kept here so it is read without touching the block).
            out_len: usize,
            /// Set once completion was observed; the block may then be freed.
            result: Option<Completion>,
            /// The socket was closed while the request was pending.
            socket_closed: bool,
            /// The thread-pool wait that wakes an async task, once one has polled.
            wake: Option<Registration>,
            /// Completion was recorded without seeing the provider signal the event: it is signalled
            /// before anyone is given the event (see `settle_event`).
            signal_owed: Cell<bool>,
        }

        /// Blocks of finished requests, each with its event, kept for the next requests. An event
        /// needs no reset before reuse: the call that leaves a request pending resets it (see the
        /// `WSAGetOverlappedResult` documentation), and a completion seen at once never has anyone
        /// wait on the event before `settle_event` signals it.
        static POOL: Mutex<Vec<Idle>> = Mutex::new(Vec::new());

        /// At most this many idle blocks (and events) are kept.
        const POOL_MAX: usize = 16;

        /// An idle block keeps an output buffer of at most this many 8-byte words (512 bytes).
        const POOL_KEEP_WORDS: usize = 64;

        /// An idle block in the pool.
        struct Idle(Box<Block>);

        // SAFETY: an idle block is plain memory and an event handle that no request uses; an event
        // may be used and closed from any thread.
        unsafe impl Send for Idle {}

        /// A block for a new request: an idle one if the pool has one, otherwise a new one with a
        /// new event. `Err` is the Winsock error of `WSACreateEvent`.
        fn take_block(input: &[u8], out_len: usize) -> Result<Box<Block>, i32> {
            let idle = POOL.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut block = match idle {
                Some(Idle(b)) => b,
                None => {
                    // SAFETY: WSACreateEvent has no preconditions; it returns NULL on failure.
                    let event = unsafe { win32::WSACreateEvent() };
                    if event.is_null() {
                        return Err(last_wsa_error());
                    }
                    Box::new(Block {
                        // SAFETY: OVERLAPPED is plain data for which all-zero is the documented
                        // initial state.
                        overlapped: unsafe { core::mem::zeroed() },
                        event,
                        input: Box::default(),
                        output: AlignedBuf::zeroed(0),
                    })
                }
            };
            // SAFETY: as above; the block is idle, so nothing else reads or writes its OVERLAPPED.
            block.overlapped = unsafe { core::mem::zeroed() };
            block.input = input.into();
            block.output.refill(out_len);
            Ok(block)
        }

        /// Puts the block of a finished request back in the pool, or closes its event if the pool
        /// is full.
        fn return_block(mut block: Box<Block>) {
            block.input = Box::default();
            // A small output buffer is kept for the next request; a large one is not held idle.
            if block.output.words.capacity() > POOL_KEEP_WORDS {
                block.output = AlignedBuf::zeroed(0);
            }
            let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
            if pool.len() < POOL_MAX {
                pool.push(Idle(block));
                return;
            }
            drop(pool);
            // SAFETY: the event was created by WSACreateEvent in `take_block` and no request uses
            // it any more; it is closed exactly once, here, as the block is freed.
            unsafe { win32::WSACloseEvent(block.event) };
        }

        // SAFETY: the block is owned by this value alone and only reached through `&mut self` (or `&self`
        // for read-only status queries). Winsock does not tie an OVERLAPPED to the thread that issued it;
        // `CancelIoEx` and `WSAGetOverlappedResult` work from any thread. The wait registration's
        // handle may be unregistered from any thread, and its slot is an `Arc` of `Sync` parts.
        unsafe impl Send for Overlapped {}

        /// Why an overlapped request was not started; nothing is in flight.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum StartError {
            /// Winsock (or the event or the check before it) failed with this code.
            Code(i32),
            /// The socket was opened for synchronous I/O (made without `WSA_FLAG_OVERLAPPED`): the
            /// request would ignore its OVERLAPPED and block inside `WSAIoctl` until it completes.
            NotOverlapped,
        }

        /// Whether [`Overlapped::start`] first asks if the socket was opened for synchronous I/O (one
        /// round trip to the kernel, or to wineserver under Wine).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum SyncCheck {
            /// The code can stay pending until something happens (a notification): on a socket
            /// opened for synchronous I/O `WSAIoctl` would block until then, so ask first.
            Needed,
            /// The code completes at once (on such a socket it just completes inside `WSAIoctl`), or
            /// the caller has already asked about this socket and keeps it open.
            Skip,
        }

        /// Whether the handle was opened for synchronous I/O, as a socket made by `WSASocketW` without
        /// `WSA_FLAG_OVERLAPPED` is. `false` when the handle cannot be asked (a layered provider's
        /// handle that is not a file object): then nothing is known and the request goes ahead.
        fn is_synchronous_handle(socket: win32::SOCKET) -> bool {
            let mut io = win32::IO_STATUS_BLOCK { Anonymous: win32::IO_STATUS_BLOCK_0 { Status: 0 }, Information: 0 };
            let mut info = win32::FILE_MODE_INFORMATION::default();
            let len = core::mem::size_of::<win32::FILE_MODE_INFORMATION>() as u32;
            // SAFETY: `io` and `info` are live locals and `len` is `info`'s size; the call writes at
            // most `len` bytes to `info` and one IO_STATUS_BLOCK to `io`. Any handle value is
            // acceptable: an invalid one makes the call fail with a status, not touch memory.
            let status = unsafe {
                win32::NtQueryInformationFile(socket as win32::HANDLE, &mut io, (&raw mut info).cast(), len, win32::FileModeInformation)
            };
            let sync = (win32::FILE_SYNCHRONOUS_IO_ALERT | win32::FILE_SYNCHRONOUS_IO_NONALERT) as u32;
            status >= 0 && info.Mode & sync != 0
        }

        /// Whether Winsock knows the handle as a socket: `getsockopt(SO_TYPE)` succeeds on it.
        fn is_socket(socket: win32::SOCKET) -> bool {
            let mut ty = 0i32;
            let mut len = core::mem::size_of::<i32>() as i32;
            // SAFETY: the option buffer is a live i32 and `len` says so. Any socket value is
            // acceptable: one that is not a socket makes the call fail.
            unsafe { win32::getsockopt(socket, win32::SOL_SOCKET, win32::SO_TYPE, (&raw mut ty).cast(), &mut len) == 0 }
        }

        impl Overlapped {
            /// Starts the request on the calling thread.
            pub(crate) fn start(
                socket: BorrowedSocket<'_>,
                code: u32,
                input: &[u8],
                out_len: usize,
                check: SyncCheck,
            ) -> Result<Self, StartError> {
                Self::start_raw(raw(socket), code, input, out_len, check)
            }

            /// Starts the request on the socket with this raw value, which the caller keeps open
            /// until the returned value is dropped. `Err` means nothing is in flight.
            pub(crate) fn start_raw(
                socket: win32::SOCKET,
                code: u32,
                input: &[u8],
                out_len: usize,
                check: SyncCheck,
            ) -> Result<Self, StartError> {
                let (Some(in_len), Some(out_len32)) = (len_u32(input.len()), len_u32(out_len)) else {
                    return Err(StartError::Code(sys::WSAEFAULT));
                };
                // A socket opened for synchronous I/O ignores the OVERLAPPED: WSAIoctl would block
                // until the request completes, which for a notification may be never.
                if check == SyncCheck::Needed && is_synchronous_handle(socket) {
                    // A file opened for synchronous I/O is not a socket at all: say that instead.
                    return Err(if is_socket(socket) { StartError::NotOverlapped } else { StartError::Code(sys::WSAENOTSOCK) });
                }
                let block = NonNull::from(Box::leak(take_block(input, out_len).map_err(StartError::Code)?));
                // SAFETY: the block was just leaked from a Box, so it is valid and unaliased.
                let b = unsafe { &mut *block.as_ptr() };
                // The low-order bit keeps the completion off any I/O completion port the socket is
                // associated with (as with tokio/mio/compio sockets), so only our event reports it.
                b.overlapped.hEvent = (b.event as usize | 1) as win32::HANDLE;
                // Windows sets STATUS_PENDING itself; Wine 8 does not, and a zero status would read as
                // "completed successfully" while the request is still in flight.
                b.overlapped.Internal = STATUS_PENDING;
                let in_ptr = if b.input.is_empty() { ptr::null() } else { b.input.as_ptr().cast::<c_void>() };
                let out_ptr = if out_len == 0 { ptr::null_mut() } else { b.output.bytes_mut().as_mut_ptr().cast::<c_void>() };
                let mut returned = 0u32;
                // SAFETY: the OVERLAPPED and both buffers live in the leaked block, which stays allocated
                // until completion is observed (invariant 3); buffer pointers and lengths match
                // (invariant 1). `returned` is only read on synchronous success.
                let rc =
                    unsafe { win32::WSAIoctl(socket, code, in_ptr, in_len, out_ptr, out_len32, &mut returned, &mut b.overlapped, None) };
                let mut op =
                    Overlapped { block, socket, out_len, result: None, socket_closed: false, wake: None, signal_owed: Cell::new(false) };
                if rc == 0 {
                    // Completed at once: the return value is the observed completion (invariant 3).
                    // Take the byte count from lpcbBytesReturned: after a synchronous completion the
                    // OVERLAPPED's InternalHigh stays 0 on Windows and Wine alike (Wine's tests assert
                    // it for FIONREAD), and some providers ignore the OVERLAPPED altogether.
                    op.record(op.checked(returned as usize));
                    return Ok(op);
                }
                let err = last_wsa_error();
                if err == sys::WSA_IO_PENDING {
                    // Look once: a provider may report "pending" for a request that has already
                    // completed and never signal the event (Wine 8 for codes it lacks).
                    op.poll();
                    return Ok(op);
                }
                // Refused at once: nothing is in flight, so the block can be reused.
                op.result = Some(Err(Failure::Code(err)));
                Err(StartError::Code(err))
            }

            /// Records an observed completion. The provider may not have signalled the event (Wine 8
            /// completes some requests in `WSAIoctl` and reports them pending without signalling),
            /// so the event is signalled before anyone is given it (`settle_event`); a waiter on the
            /// event then always sees a completed request.
            fn record(&mut self, r: Completion) {
                self.result = Some(r);
                self.signal_owed.set(true);
            }

            /// Signals the event if a recorded completion may have left it unsignalled.
            fn settle_event(&self) {
                if self.signal_owed.replace(false) {
                    // SAFETY: the event is owned by the block and open until Drop. Setting an event
                    // that is already signalled has no effect.
                    unsafe { win32::SetEvent(self.event()) };
                }
            }

            /// The OVERLAPPED, as a raw pointer: while the request is in flight the kernel may write
            /// to it, so no Rust reference to it (or to the whole block) is made then.
            fn overlapped(&self) -> *mut win32::OVERLAPPED {
                // SAFETY: the block stays allocated for the life of `self` (freed only in Drop);
                // `&raw mut` names the field without creating a reference.
                unsafe { &raw mut (*self.block.as_ptr()).overlapped }
            }

            /// The event handle (never written by the kernel; only its object is signalled).
            fn event(&self) -> win32::HANDLE {
                // SAFETY: as in `overlapped`; the field is read through the raw pointer, by value.
                unsafe { (*self.block.as_ptr()).event }
            }

            /// Length of the output buffer.
            pub(crate) fn out_len(&self) -> usize {
                self.out_len
            }

            fn checked(&self, n: usize) -> Completion {
                if n > self.out_len { Err(Failure::Length(n)) } else { Ok(n) }
            }

            /// The output bytes and the address they were written at, once the request completed
            /// successfully (invariant 4); `None` before that.
            pub(crate) fn output(&self) -> Option<(&[u8], usize)> {
                let Some(Ok(n)) = self.result else { return None };
                // SAFETY: completion was observed, so the kernel no longer writes to the block and a
                // shared reference to it is sound; it lives as long as `self`.
                let bytes = unsafe { self.block.as_ref() }.output.bytes();
                Some((bytes.get(..n)?, bytes.as_ptr() as usize))
            }

            /// Queries the completion status without waiting; `None` while pending.
            fn status(&self) -> Option<Completion> {
                let ov = self.overlapped();
                // Whether the request is still in flight is read from the OVERLAPPED itself: the
                // provider replaces the STATUS_PENDING that `start` put there when, and only when, it
                // has finished with the block (Wine's ntdll writes it last, with release ordering).
                // WSAGetOverlappedResult cannot be trusted with that: Wine 8's reports WSAENOTSOCK
                // without reading the OVERLAPPED for any socket its own list lacks (one this process
                // inherited, for example), which would free a block the kernel still owns.
                // SAFETY: `Internal` is an aligned usize in our live block; the provider writes it as
                // one word, and this only reads it.
                let internal = unsafe { core::sync::atomic::AtomicUsize::from_ptr(&raw mut (*ov).Internal) }.load(Acquire);
                if internal == STATUS_PENDING {
                    return None;
                }
                let mut n = 0u32;
                if !self.socket_closed {
                    let mut flags = 0u32;
                    // SAFETY: `ov` points into our live block; fWait = FALSE, so the call only reads it.
                    let ok = unsafe { win32::WSAGetOverlappedResult(self.socket, ov, &mut n, 0, &mut flags) };
                    if ok != 0 {
                        return Some(self.checked(n as usize));
                    }
                    let e = last_wsa_error();
                    if e != sys::WSAENOTSOCK && e != sys::WSA_IO_INCOMPLETE {
                        return Some(Err(Failure::Code(e)));
                    }
                    // Winsock did not read it (a closed socket value, or one Wine does not list):
                    // read it as kernel32 does.
                }
                // SAFETY: `ov` points into our live block; bWait = FALSE so the handle is not used.
                let ok = unsafe { win32::GetOverlappedResult(ptr::null_mut(), ov, &mut n, 0) };
                if ok != 0 {
                    return Some(self.checked(n as usize));
                }
                // kernel32 reports the final status as a Win32 code; report the Winsock code that
                // WSAGetOverlappedResult gives for it, so a completion maps to the same error
                // whichever way it is observed.
                Some(Err(Failure::Code(crate::error::wsa_from_ntstatus(internal as u32).unwrap_or_else(last_error))))
            }

            /// Records completion if it happened.
            fn poll(&mut self) -> Option<Completion> {
                if self.result.is_none()
                    && let Some(r) = self.status()
                {
                    self.record(r);
                }
                self.result
            }

            /// The event, signalled once the request has completed (and never reset).
            pub(crate) fn event_handle(&self) -> BorrowedHandle<'_> {
                self.settle_event();
                // SAFETY: the event is open for the life of `self` (closed only in Drop), which the
                // returned borrow cannot outlive.
                unsafe { BorrowedHandle::borrow_raw(self.event() as RawHandle) }
            }

            /// The completion if it happened; otherwise arranges for `cx`'s waker to be woken when it
            /// does. `Err` is the Win32 error of a failed wait registration.
            pub(crate) fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<Completion, i32>> {
                if let Some(r) = self.poll() {
                    return Poll::Ready(Ok(r));
                }
                if self.wake.as_ref().is_some_and(|reg| reg.slot.lock().fired) {
                    // The one-shot wait fired, yet the request still pends: a provider left a reused
                    // event signalled instead of resetting it when the request went pending (the
                    // documented contract). Wait again rather than never be woken; with such a
                    // provider the task is polled until the request completes.
                    if let Some(reg) = self.wake.take() {
                        reg.unregister();
                    }
                }
                match &self.wake {
                    Some(reg) => reg.slot.set(cx.waker()),
                    None => match Registration::new(self.event(), cx.waker()) {
                        Ok(reg) => self.wake = Some(reg),
                        Err(e) => return Poll::Ready(Err(e)),
                    },
                }
                // Look again now that the waker is in place: a completion between the first look
                // and the waker's update would otherwise have woken the previous waker only.
                match self.poll() {
                    Some(r) => Poll::Ready(Ok(r)),
                    None => Poll::Pending,
                }
            }

            /// Whether the request has finished (successfully or not).
            pub(crate) fn is_complete(&self) -> bool {
                self.result.is_some() || self.status().is_some()
            }

            /// Waits up to `timeout`; `None` if still pending then. A timeout too large to add to the
            /// current instant (such as `Duration::MAX`) waits without a bound.
            pub(crate) fn wait(&mut self, timeout: Duration) -> Option<Completion> {
                let deadline = Instant::now().checked_add(timeout);
                let mut signalled = false;
                loop {
                    if let Some(r) = self.poll() {
                        if signalled {
                            // Seen signalled: nothing is owed to later waiters.
                            self.signal_owed.set(false);
                        }
                        return Some(r);
                    }
                    if signalled {
                        // Signalled, yet still pending: a provider that did not reset the event.
                        // Poll the status without spinning.
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    let ms = wait_ms(deadline)?;
                    // SAFETY: the event handle is owned by the block and open until Drop.
                    let w = unsafe { win32::WaitForSingleObject(self.event(), ms) };
                    signalled = w == win32::WAIT_OBJECT_0 as u32;
                    if !signalled && w != win32::WAIT_TIMEOUT as u32 {
                        // WAIT_FAILED: poll the status, which needs no handle, without spinning.
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }
            }

            /// Asks the kernel to cancel the request (no effect once it has completed).
            pub(crate) fn cancel(&mut self) {
                if self.poll().is_some() || self.socket_closed {
                    return;
                }
                // SAFETY: the OVERLAPPED is ours and alive. CancelIoEx only matches I/O issued with this
                // exact OVERLAPPED address, so even a reused socket value cannot cancel anything else.
                // Failure (ERROR_NOT_FOUND: already completing) is fine: we wait for completion anyway.
                unsafe { win32::CancelIoEx(self.socket as win32::HANDLE, self.overlapped()) };
            }

            /// Notes that the socket has been closed by its owner while the request was pending.
            pub(crate) fn mark_socket_closed(&mut self) {
                self.socket_closed = true;
            }

            /// The last observed result.
            pub(crate) fn result(&self) -> Option<Completion> {
                self.result
            }
        }

        impl Drop for Overlapped {
            fn drop(&mut self) {
                // Invariant 6: no callback may use the event after it is closed below.
                if let Some(reg) = self.wake.take() {
                    reg.unregister();
                }
                if self.poll().is_none() {
                    self.cancel();
                    if self.wait(DROP_BOUND).is_none() {
                        // Invariant 3: the kernel may still write into the block; leak it.
                        return;
                    }
                }
                // SAFETY: completion was observed, so the kernel no longer references the block; it came
                // from Box::leak in `start` and is given back exactly once, here.
                return_block(unsafe { Box::from_raw(self.block.as_ptr()) });
            }
        }

        /// Where the wait callback finds the waker of the task that last polled a request.
        struct WakeSlot {
            state: Mutex<SlotState>,
            /// Notified when a callback finishes waking (`running_on` back to 0).
            idle: Condvar,
        }

        struct SlotState {
            waker: Option<Waker>,
            /// The id of the thread running the callback's wake, while it runs; 0 otherwise.
            running_on: u32,
            /// Set by the drop: a callback that starts later wakes nobody.
            closed: bool,
            /// The callback has run (it runs at most once).
            fired: bool,
        }

        impl WakeSlot {
            fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
                self.state.lock().unwrap_or_else(PoisonError::into_inner)
            }

            fn set(&self, waker: &Waker) {
                let mut s = self.lock();
                match &s.waker {
                    Some(w) if w.will_wake(waker) => {}
                    _ => s.waker = Some(waker.clone()),
                }
            }
        }

        /// The live wait registrations, by key. The pool gets the key as the callback's context,
        /// never a pointer: Wine 8's `RtlDeregisterWaitEx` can let a callback start after it has
        /// returned (the wait thread saw the event before the wait was removed, and submits the
        /// callback once it retakes its lock), so a context must stay harmless after the drop.
        static SLOTS: Mutex<BTreeMap<usize, Arc<WakeSlot>>> = Mutex::new(BTreeMap::new());
        static NEXT_KEY: AtomicUsize = AtomicUsize::new(1);

        fn slots() -> std::sync::MutexGuard<'static, BTreeMap<usize, Arc<WakeSlot>>> {
            SLOTS.lock().unwrap_or_else(PoisonError::into_inner)
        }

        fn current_thread() -> u32 {
            // SAFETY: GetCurrentThreadId takes no arguments and cannot fail.
            unsafe { win32::GetCurrentThreadId() }
        }

        /// A one-shot thread-pool wait on a request's event, and the slot its callback wakes from.
        struct Registration {
            wait: win32::HANDLE,
            key: usize,
            slot: Arc<WakeSlot>,
        }

        impl Registration {
            fn new(event: win32::HANDLE, waker: &Waker) -> Result<Self, i32> {
                let slot = Arc::new(WakeSlot {
                    state: Mutex::new(SlotState { waker: Some(waker.clone()), running_on: 0, closed: false, fired: false }),
                    idle: Condvar::new(),
                });
                let key = {
                    let mut map = slots();
                    // Skips a key still in use after the counter wraps (32-bit targets only).
                    let mut key = NEXT_KEY.fetch_add(1, SeqCst);
                    while key == 0 || map.contains_key(&key) {
                        key = NEXT_KEY.fetch_add(1, SeqCst);
                    }
                    map.insert(key, Arc::clone(&slot));
                    key
                };
                let mut wait: win32::HANDLE = ptr::null_mut();
                // SAFETY: `event` is open until the owning request is dropped, which unregisters this
                // wait first (invariant 6); the context is a plain number that the callback only looks
                // up; `on_signalled` matches WAITORTIMERCALLBACK. With WT_EXECUTEONLYONCE the callback
                // runs at most once; with INFINITE it never times out.
                let ok = unsafe {
                    win32::RegisterWaitForSingleObject(
                        &mut wait,
                        event,
                        Some(on_signalled),
                        key as *const c_void,
                        win32::INFINITE,
                        win32::WT_EXECUTEONLYONCE as u32,
                    )
                };
                if ok == 0 {
                    let e = last_error();
                    slots().remove(&key);
                    return Err(e);
                }
                Ok(Registration { wait, key, slot })
            }

            /// Removes the wait. On return no callback for it is waking, and none will, except the
            /// one this runs inside of (a waker that dropped its own request), which is past its wake.
            fn unregister(self) {
                let inside = self.slot.lock().running_on == current_thread();
                // Inside the callback, waiting for callbacks to finish would wait for ourselves: a
                // NULL completion event returns at once (reporting ERROR_IO_PENDING, as expected).
                // Elsewhere INVALID_HANDLE_VALUE returns once a running callback has finished.
                let done = if inside { ptr::null_mut() } else { win32::INVALID_HANDLE_VALUE };
                // SAFETY: `wait` is the live handle from RegisterWaitForSingleObject, unregistered
                // once, here; after this the pool no longer waits on the event.
                unsafe { win32::UnregisterWaitEx(self.wait, done) };
                slots().remove(&self.key);
                let mut s = self.slot.lock();
                s.closed = true;
                // A callback that found the slot before it left the map may still be waking (a late
                // one on Wine): wait for it, so no waker of this request runs after the drop.
                while !inside && s.running_on != 0 {
                    s = self.slot.idle.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
            }
        }

        /// The wait callback: wakes the task that last polled the request, unless it was dropped.
        extern "system" fn on_signalled(context: *mut c_void, _timed_out: bool) {
            let Some(slot) = slots().get(&(context as usize)).cloned() else { return };
            let waker = {
                let mut s = slot.lock();
                s.fired = true;
                if s.closed {
                    return;
                }
                s.running_on = current_thread();
                s.waker.take()
            };
            if let Some(w) = waker {
                // May drop the request on this thread (an executor whose waker held the last
                // reference to the task); `Registration::unregister` then does not wait for us.
                w.wake();
            }
            slot.lock().running_on = 0;
            slot.idle.notify_all();
        }

        /// What [`wait_any`] saw.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Signalled {
            /// The handle at this index is signalled (the lowest such index).
            Index(usize),
            /// None was signalled within the timeout.
            TimedOut,
        }

        /// Waits up to `ms` milliseconds (see [`wait_ms`]) for the first of `handles` to be
        /// signalled; at most `MAXIMUM_WAIT_OBJECTS` handles. `Err` is a Win32 error code.
        pub(crate) fn wait_any(handles: &[BorrowedHandle<'_>], ms: u32) -> Result<Signalled, i32> {
            let raw: Vec<win32::HANDLE> =
                handles.iter().map(|h| std::os::windows::io::AsRawHandle::as_raw_handle(h) as win32::HANDLE).collect();
            let Ok(n) = u32::try_from(raw.len()) else { return Err(win32::ERROR_INVALID_PARAMETER) };
            if raw.is_empty() || n > win32::MAXIMUM_WAIT_OBJECTS as u32 {
                return Err(win32::ERROR_INVALID_PARAMETER);
            }
            // SAFETY: `raw` holds `n` handles, each borrowed (so open) for the duration of the call.
            let w = unsafe { win32::WaitForMultipleObjects(n, raw.as_ptr(), 0, ms) };
            if w == win32::WAIT_TIMEOUT as u32 {
                return Ok(Signalled::TimedOut);
            }
            match w.checked_sub(win32::WAIT_OBJECT_0 as u32) {
                Some(i) if i < n => Ok(Signalled::Index(i as usize)),
                // WAIT_FAILED, or WAIT_ABANDONED_0 + i, which only mutexes give.
                _ => Err(last_error()),
            }
        }

        /// `setsockopt(SOL_SOCKET, SO_SNDBUF, bytes)`; `Err` is the Winsock error code.
        #[cfg(feature = "SIO_IDEAL_SEND_BACKLOG_CHANGE")]
        pub(crate) fn set_send_buffer(socket: BorrowedSocket<'_>, bytes: u32) -> Result<(), i32> {
            let value = i32::try_from(bytes).unwrap_or(i32::MAX);
            let len = core::mem::size_of::<i32>() as i32;
            // SAFETY: the option buffer is a live i32 and `len` is its size; Winsock only reads it.
            let rc = unsafe { win32::setsockopt(raw(socket), win32::SOL_SOCKET, win32::SO_SNDBUF, (&raw const value).cast(), len) };
            if rc != 0 { Err(last_wsa_error()) } else { Ok(()) }
        }

        /// Maps a finished request to the control code's error type.
        pub(crate) fn map<E: ControlCodeError>(r: Completion, out_len: usize) -> Result<usize, E> {
            match r {
                Ok(n) => Ok(n),
                Err(Failure::Length(n)) => Err(E::unexpected_length(out_len, n)),
                Err(Failure::Code(e)) => Err(E::from_raw_os_error(e)),
            }
        }
    }
}

//! A downstream crate that calls control codes through `winsock-ioctl-sys`'s raw FFI, the way
//! another binding crate (socket2, mio, …) would: with nothing else, and in a module that also
//! glob-imports windows-sys for the general Win32 around a request ([`with_windows_sys`]).

#[cfg(any(windows, test))]
use winsock_ioctl_sys as sys;

/// Reads the ideal send backlog of a connected TCP socket with a raw `WSAIoctl` call.
///
/// Returns the byte count, or the `WSAGetLastError` value.
#[cfg(windows)]
pub fn ideal_send_backlog(socket: &impl std::os::windows::io::AsRawSocket) -> Result<u32, i32> {
    let mut isb = 0u32;
    let mut returned = 0u32;
    // SAFETY: the output pointer and length describe `isb`, which lives across the call; the
    // input is NULL/0; with a NULL OVERLAPPED the call completes before returning. A value that is
    // not a socket only makes Winsock return an error.
    let rc = unsafe {
        sys::WSAIoctl(
            socket.as_raw_socket() as sys::SOCKET,
            sys::SIO_IDEAL_SEND_BACKLOG_QUERY,
            core::ptr::null(),
            0,
            (&raw mut isb).cast(),
            size_of::<u32>() as u32,
            &mut returned,
            core::ptr::null_mut(),
            None,
        )
    };
    if rc == sys::SOCKET_ERROR {
        // SAFETY: WSAGetLastError only reads thread-local state.
        return Err(unsafe { sys::WSAGetLastError() });
    }
    if returned as usize != size_of::<u32>() {
        return Err(sys::WSAEFAULT);
    }
    Ok(isb)
}

/// The sys crate and windows-sys, both glob-imported. The general Win32 items (events, waits,
/// cancellation, socket options, closing) are used by their bare names: they resolve to
/// windows-sys's, which a second definition in the sys crate would make ambiguous (a compile
/// error). The names both crates define (`SOCKET`, `HANDLE`, `OVERLAPPED`, `WSAIoctl`, the
/// `SIO_*` codes, …) are imported explicitly or named by path. (rustc still accepts some
/// ambiguous glob imports with a warning; here they are errors.)
#[allow(unused_imports)]
#[deny(ambiguous_glob_imports)]
pub mod with_windows_sys {
    use windows_sys::Win32::Foundation::HANDLE;
    use windows_sys::Win32::Foundation::*;
    use windows_sys::Win32::Networking::WinSock::*;
    use windows_sys::Win32::System::IO::*;
    use windows_sys::Win32::System::Threading::*;
    use winsock_ioctl_sys::*;

    // Every general Win32 item that the sys crate once exported by accident (windows-bindgen's
    // helpers of the safe crate's core), by its bare name: each must resolve to windows-sys's.
    const _: () = {
        let _functions = (closesocket, getsockopt, setsockopt, CancelIoEx, GetOverlappedResult, GetLastError, GetCurrentThreadId);
        let _waits = (
            WSACreateEvent,
            WSACloseEvent,
            SetEvent,
            WaitForSingleObject,
            WaitForMultipleObjects,
            RegisterWaitForSingleObject,
            UnregisterWaitEx,
        );
        let _constants =
            (INFINITE, WT_EXECUTEONLYONCE, WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED, SOL_SOCKET, SO_SNDBUF, SO_TYPE, INVALID_SOCKET);
        let _errors = (ERROR_IO_PENDING, ERROR_IO_INCOMPLETE, ERROR_NOT_FOUND, ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
        let _types: Option<(IO_STATUS_BLOCK, HANDLE)> = None;
    };

    /// The socket's type (`SOCK_STREAM`, `SOCK_DGRAM`, …), or the Winsock error.
    #[cfg(windows)]
    pub fn socket_type(socket: &impl std::os::windows::io::AsRawSocket) -> Result<i32, i32> {
        let mut ty = 0i32;
        let mut len = size_of::<i32>() as i32;
        // SAFETY: the option buffer is a live i32 and `len` says so; a value that is not a socket
        // only makes the call fail.
        let rc = unsafe { getsockopt(socket.as_raw_socket() as usize, SOL_SOCKET, SO_TYPE, (&raw mut ty).cast(), &mut len) };
        // SAFETY: WSAGetLastError only reads thread-local state.
        if rc == 0 { Ok(ty) } else { Err(unsafe { windows_sys::Win32::Networking::WinSock::WSAGetLastError() }) }
    }

    /// Issues `SIO_ADDRESS_LIST_CHANGE` overlapped and waits at most `timeout_ms` for it: `true`
    /// if the local addresses changed, `false` if the wait timed out (the request is then
    /// cancelled and waited for), or the Winsock or Win32 error.
    #[cfg(windows)]
    pub fn address_list_changed_within(socket: &impl std::os::windows::io::AsRawSocket, timeout_ms: u32) -> Result<bool, i32> {
        let s = socket.as_raw_socket() as winsock_ioctl_sys::SOCKET;
        // SAFETY: no preconditions; 0 means failure.
        let event = unsafe { WSACreateEvent() };
        if event == 0 {
            // SAFETY: reads thread-local state only.
            return Err(unsafe { winsock_ioctl_sys::WSAGetLastError() });
        }
        let mut ov = winsock_ioctl_sys::OVERLAPPED { hEvent: event as HANDLE, ..Default::default() };
        let mut returned = 0u32;
        // SAFETY: no buffers; `ov` and `event` outlive the request: every path below waits for it
        // to end (after cancelling it) before they go away.
        let rc = unsafe {
            winsock_ioctl_sys::WSAIoctl(
                s,
                winsock_ioctl_sys::SIO_ADDRESS_LIST_CHANGE,
                core::ptr::null(),
                0,
                core::ptr::null_mut(),
                0,
                &mut returned,
                &mut ov,
                None,
            )
        };
        // SAFETY: reads thread-local state only.
        let result = if rc == winsock_ioctl_sys::SOCKET_ERROR
            && unsafe { winsock_ioctl_sys::WSAGetLastError() } != winsock_ioctl_sys::WSA_IO_PENDING
        {
            // SAFETY: as above.
            Err(unsafe { winsock_ioctl_sys::WSAGetLastError() })
        } else {
            // SAFETY: the event is open; the wait is bounded.
            let waited = unsafe { WaitForSingleObject(event as HANDLE, timeout_ms) };
            if waited == WAIT_TIMEOUT {
                // SAFETY: `ov` is the request's OVERLAPPED, still alive; cancelling an ended
                // request does nothing.
                unsafe { CancelIoEx(s as HANDLE, (&raw const ov).cast()) };
            } else if waited != WAIT_OBJECT_0 {
                // SAFETY: reads thread-local state only.
                return Err(unsafe { GetLastError() } as i32);
            }
            let (mut n, mut flags) = (0u32, 0u32);
            // SAFETY: `ov` belongs to the request; fWait = TRUE waits until it has ended, after
            // which the kernel no longer touches `ov`.
            let ok = unsafe { winsock_ioctl_sys::WSAGetOverlappedResult(s, &ov, &mut n, 1, &mut flags) };
            match (ok, waited) {
                (0, WAIT_TIMEOUT) => Ok(false),
                // SAFETY: reads thread-local state only.
                (0, _) => Err(unsafe { winsock_ioctl_sys::WSAGetLastError() }),
                _ => Ok(true),
            }
        };
        // SAFETY: the request has ended; nothing uses the event any more.
        unsafe { WSACloseEvent(event) };
        result
    }
}

#[cfg(test)]
mod tests {
    use super::sys;

    #[test]
    fn constants_are_usable_in_const_context() {
        const CODES: [u32; 2] = [sys::SIO_IDEAL_SEND_BACKLOG_QUERY, sys::SIO_ADDRESS_LIST_CHANGE];
        assert_eq!(CODES[0] & sys::opcode::IOC_OUT, sys::opcode::IOC_OUT);
        assert_eq!(CODES[1] & sys::opcode::IOC_VOID, sys::opcode::IOC_VOID);
    }

    #[cfg(windows)]
    #[test]
    fn raw_query_on_a_connected_pair_and_on_udp() {
        use std::net::{TcpListener, TcpStream, UdpSocket};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let isb = super::ideal_send_backlog(&client).expect("connected TCP has an ISB");
        assert!(isb <= 16 * 1024 * 1024);
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert_eq!(super::ideal_send_backlog(&udp), Err(sys::WSAEOPNOTSUPP));
    }

    #[cfg(windows)]
    #[test]
    fn a_request_beside_windows_sys_waits_times_out_and_cancels() {
        use super::with_windows_sys::{address_list_changed_within, socket_type};
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        assert_eq!(socket_type(&udp), Ok(windows_sys::Win32::Networking::WinSock::SOCK_DGRAM));
        // Nothing changes the host's addresses here, so the request pends until it is cancelled.
        assert_eq!(address_list_changed_within(&udp, 100), Ok(false));
    }
}

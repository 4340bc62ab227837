//! A downstream crate that depends on `winsock-ioctl-sys` alone and calls one control code through
//! the raw FFI, the way another binding crate (socket2, mio, …) would.

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
}

//! Size baseline for `cargo xtask bench size`: FIONREAD through a raw `WSAIoctl`, its result
//! printed as a number.

#[cfg(windows)]
fn main() {
    use std::os::windows::io::AsRawSocket;
    use windows_sys::Win32::Networking::WinSock as ws;
    let s = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let (mut out, mut n) = (0u32, 0u32);
    // SAFETY: `out` is a live u32 and its size is passed; no OVERLAPPED.
    let rc = unsafe {
        ws::WSAIoctl(
            s.as_raw_socket() as ws::SOCKET,
            ws::FIONREAD as u32,
            std::ptr::null(),
            0,
            (&raw mut out).cast(),
            4,
            &mut n,
            std::ptr::null_mut(),
            None,
        )
    };
    // SAFETY: no preconditions.
    let code = if rc == 0 { 0 } else { unsafe { ws::WSAGetLastError() } };
    println!("{out} {code}");
}

#[cfg(not(windows))]
fn main() {}

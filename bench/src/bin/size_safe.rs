//! For `cargo xtask bench size`: FIONREAD through the safe wrapper, an error printed as its raw
//! code (no `Display`).

#[cfg(windows)]
fn main() {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    match winsock_ioctl::fionread(&s) {
        Ok(n) => println!("{n} 0"),
        Err(e) => println!("0 {}", winsock_ioctl::ControlCodeError::raw_os_error(&e).unwrap_or(-1)),
    }
}

#[cfg(not(windows))]
fn main() {}

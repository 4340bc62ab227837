//! For `cargo xtask bench size`: FIONREAD through the safe wrapper, an error printed with its
//! `Display` text.

#[cfg(windows)]
fn main() {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    match winsock_ioctl::fionread(&s) {
        Ok(n) => println!("{n}"),
        Err(e) => println!("{e}"),
    }
}

#[cfg(not(windows))]
fn main() {}

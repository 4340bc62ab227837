//! The control-code composition macros of `winsock2.h` and `ws2def.h` as `const fn`s, so that every
//! code can be recomputed from its parts (the generated constants assert exactly that).
#![allow(non_snake_case)]

/// Mask of the parameter size field in the Unix-style forms (`_IOR`, `_IOW`).
pub const IOCPARM_MASK: u32 = 0x7f;
/// No parameters.
pub const IOC_VOID: u32 = 0x2000_0000;
/// Copies parameters out (output buffer).
pub const IOC_OUT: u32 = 0x4000_0000;
/// Copies parameters in (input buffer).
pub const IOC_IN: u32 = 0x8000_0000;
/// Both directions.
pub const IOC_INOUT: u32 = IOC_IN | IOC_OUT;
/// Type 0: Unix-compatible code.
pub const IOC_UNIX: u32 = 0x0000_0000;
/// Type 1: generic Windows Sockets 2 code.
pub const IOC_WS2: u32 = 0x0800_0000;
/// Type 2: code specific to an address family.
pub const IOC_PROTOCOL: u32 = 0x1000_0000;
/// Type 3: vendor-specific code.
pub const IOC_VENDOR: u32 = 0x1800_0000;

/// `_IO(x, y)`: a Unix-style code without parameters.
pub const fn _IO(x: u8, y: u8) -> u32 {
    IOC_VOID | ((x as u32) << 8) | y as u32
}

/// `_IOR(x, y, t)`: a Unix-style code that writes `size` (= `sizeof(t)`) bytes out.
pub const fn _IOR(x: u8, y: u8, size: u32) -> u32 {
    IOC_OUT | ((size & IOCPARM_MASK) << 16) | ((x as u32) << 8) | y as u32
}

/// `_IOW(x, y, t)`: a Unix-style code that reads `size` (= `sizeof(t)`) bytes in.
pub const fn _IOW(x: u8, y: u8, size: u32) -> u32 {
    IOC_IN | ((size & IOCPARM_MASK) << 16) | ((x as u32) << 8) | y as u32
}

/// `_WSAIO(x, y)`: a Winsock 2 code without buffers.
pub const fn _WSAIO(x: u32, y: u32) -> u32 {
    IOC_VOID | x | y
}

/// `_WSAIOR(x, y)`: a Winsock 2 code with an output buffer.
pub const fn _WSAIOR(x: u32, y: u32) -> u32 {
    IOC_OUT | x | y
}

/// `_WSAIOW(x, y)`: a Winsock 2 code with an input buffer.
pub const fn _WSAIOW(x: u32, y: u32) -> u32 {
    IOC_IN | x | y
}

/// `_WSAIORW(x, y)`: a Winsock 2 code with input and output buffers.
pub const fn _WSAIORW(x: u32, y: u32) -> u32 {
    IOC_INOUT | x | y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_codes_match_the_headers() {
        assert_eq!(_IOW(b'f', 126, 4), 0x8004_667e); // FIONBIO
        assert_eq!(_IOR(b'f', 127, 4), 0x4004_667f); // FIONREAD
        assert_eq!(_IOR(b's', 7, 4), 0x4004_7307); // SIOCATMARK
    }

    #[test]
    fn size_is_masked_like_the_c_macro() {
        assert_eq!(_IOR(b't', 1, 0x80), _IOR(b't', 1, 0));
    }
}

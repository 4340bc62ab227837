//! Encoding of typed values into input buffers and checked decoding of output buffers. Safe code:
//! buffers are byte arrays, every read is bounds-checked (a missing byte reads as zero, never
//! past the end), and every count or embedded pointer a provider returns is checked against the
//! bytes it returned before it is used.
//!
//! All Windows targets are little-endian, so the C layouts are read and written little-endian.
// Off Windows only the data types' codecs are compiled; the wrappers that use the rest are not.
#![cfg_attr(not(windows), allow(dead_code))]

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// Size of a pointer, a `SOCKET` or a `HANDLE` on this target.
pub(crate) const PTR: usize = core::mem::size_of::<usize>();

/// How many calls a variable-length output's wrapper makes at most.
pub const GROW_TRIES: usize = 8;
/// The largest buffer, in bytes, that a variable-length output's wrapper passes.
pub const GROW_MAX: usize = 1 << 20;
/// The first buffer size it tries.
pub(crate) const GROW_FIRST: usize = 4096;

const AF_INET: u16 = 2;
const AF_INET6: u16 = 23;

/// `N` bytes of `b` from `off`; bytes past the end of `b` read as zero.
pub(crate) fn take<const N: usize>(b: &[u8], off: usize) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(src) = b.get(off..) {
        let n = src.len().min(N);
        out[..n].copy_from_slice(&src[..n]);
    }
    out
}

/// Writes `bytes` at `off` into `b`, as far as `b` reaches.
#[allow(dead_code)] // used by generated encoders of input structs
pub(crate) fn put(b: &mut [u8], off: usize, bytes: &[u8]) {
    if let Some(dst) = b.get_mut(off..) {
        let n = dst.len().min(bytes.len());
        dst[..n].copy_from_slice(&bytes[..n]);
    }
}

/// A GUID's memory bytes (little-endian `Data1..Data3`) from or to the big-endian order of its
/// text form, which is how the safe layer shows GUIDs as `u128`.
#[allow(dead_code)] // used by generated codecs of GUID fields
pub(crate) fn guid_be(b: [u8; 16]) -> [u8; 16] {
    let mut out = b;
    out[..4].reverse();
    out[4..6].reverse();
    out[6..8].reverse();
    out
}

/// A pointer-sized value (an address, a `SOCKET`) from the first bytes of `b`.
pub(crate) fn pointer(b: &[u8]) -> usize {
    usize::from_le_bytes(take::<PTR>(b, 0))
}

/// A `SOCKET` from the first bytes of `b` (`RawSocket` is pointer-sized: `u32` on 32-bit targets).
#[cfg(windows)]
#[allow(dead_code)] // used by generated decoders of handle outputs
pub(crate) fn socket(b: &[u8]) -> std::os::windows::io::RawSocket {
    pointer(b) as std::os::windows::io::RawSocket
}

/// A `SOCKET` as the bytes of a pointer-sized input.
#[cfg(windows)]
#[allow(dead_code)] // used by generated encoders of handle inputs
pub(crate) fn socket_bytes(s: std::os::windows::io::RawSocket) -> [u8; PTR] {
    (s as usize).to_le_bytes()
}

/// The returned bytes, which must be exactly `n` long.
pub(crate) fn exact<E: crate::ControlCodeError>(returned: &[u8], n: usize) -> Result<&[u8], E> {
    if returned.len() == n { Ok(returned) } else { Err(E::unexpected_length(n, returned.len())) }
}

/// An output buffer of `N` zeroed bytes aligned for any field a C struct may hold (8 bytes), so
/// a provider that checks alignment, as the kernel does for some structures, accepts it.
#[repr(C, align(8))]
pub(crate) struct Aligned<const N: usize>(pub [u8; N]);

impl<const N: usize> Aligned<N> {
    pub(crate) fn new() -> Self {
        Aligned([0u8; N])
    }

    /// The first `len` bytes (all of them if `len > N`, which the generator never emits).
    pub(crate) fn prefix(&mut self, len: usize) -> &mut [u8] {
        let n = len.min(N);
        &mut self.0[..n]
    }
}

/// A socket address as `sockaddr_in` (16 bytes) or `sockaddr_in6` (28 bytes).
pub(crate) struct SockAddrBytes {
    bytes: [u8; 28],
    len: usize,
}

impl SockAddrBytes {
    #[allow(dead_code)] // used by generated encoders of socket-address inputs and address fields
    pub(crate) fn new(a: &SocketAddr) -> Self {
        let mut bytes = [0u8; 28];
        let len = sockaddr_write(a, &mut bytes);
        SockAddrBytes { bytes, len }
    }
}

impl core::ops::Deref for SockAddrBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

fn sockaddr_write(a: &SocketAddr, b: &mut [u8; 28]) -> usize {
    match a {
        SocketAddr::V4(v4) => {
            b[..2].copy_from_slice(&AF_INET.to_le_bytes());
            b[2..4].copy_from_slice(&v4.port().to_be_bytes());
            b[4..8].copy_from_slice(&v4.ip().octets());
            16
        }
        SocketAddr::V6(v6) => {
            b[..2].copy_from_slice(&AF_INET6.to_le_bytes());
            b[2..4].copy_from_slice(&v6.port().to_be_bytes());
            b[4..8].copy_from_slice(&v6.flowinfo().to_be_bytes());
            b[8..24].copy_from_slice(&v6.ip().octets());
            b[24..28].copy_from_slice(&v6.scope_id().to_le_bytes());
            28
        }
    }
}

/// Reads an IPv4 or IPv6 socket address; `None` for another family or too few bytes for it.
/// An IPv6 address without a scope id (the 24-byte `sockaddr_in6_old`) reads with scope 0.
pub(crate) fn sockaddr_decode(b: &[u8]) -> Option<SocketAddr> {
    let family = u16::from_le_bytes(take::<2>(b, 0));
    let port = u16::from_be_bytes(take::<2>(b, 2));
    match family {
        AF_INET if b.len() >= 8 => Some(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(take::<4>(b, 4)), port))),
        AF_INET6 if b.len() >= 24 => {
            let flow = u32::from_be_bytes(take::<4>(b, 4));
            let scope = if b.len() >= 28 { u32::from_le_bytes(take::<4>(b, 24)) } else { 0 };
            Some(SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(take::<16>(b, 8)), port, flow, scope)))
        }
        _ => None,
    }
}

/// Where a `SOCKET_ADDRESS_LIST`'s entries start: `SOCKET_ADDRESS` is a pointer then an `INT`,
/// padded to pointer alignment, and the array starts at the first pointer-aligned offset after
/// the `INT` count.
const ADDRESS_LIST_FIRST: usize = if PTR > 4 { PTR } else { 4 };
/// The size of one `SOCKET_ADDRESS` entry.
const ADDRESS_LIST_ENTRY: usize = 2 * PTR;

/// Decodes a `SOCKET_ADDRESS_LIST` that a provider wrote at address `base`: an `INT` count, then
/// that many `SOCKET_ADDRESS { LPSOCKADDR lpSockaddr; INT iSockaddrLength; }` whose pointers
/// must point into the same returned bytes. Nothing is dereferenced: a pointer is turned into
/// an offset and checked against `b` before any byte is read there.
pub(crate) fn address_list(b: &[u8], base: usize) -> Result<Vec<std::net::SocketAddr>, &'static str> {
    if b.len() < 4 {
        return Err("shorter than the address count");
    }
    let count = i32::from_le_bytes(take::<4>(b, 0));
    let count = usize::try_from(count).map_err(|_| "negative address count")?;
    let (first, entry) = (ADDRESS_LIST_FIRST, ADDRESS_LIST_ENTRY);
    let end = count.checked_mul(entry).and_then(|n| n.checked_add(first)).ok_or("address count too large")?;
    if count > 0 && end > b.len() {
        return Err("address count larger than the returned bytes");
    }
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let at = first + i * entry;
        let ptr = pointer(b.get(at..).unwrap_or(&[]));
        let len = i32::from_le_bytes(take::<4>(b, at + PTR));
        let len = usize::try_from(len).map_err(|_| "negative address length")?;
        let off = ptr.checked_sub(base).ok_or("address pointer before the buffer")?;
        let bytes = off.checked_add(len).and_then(|stop| b.get(off..stop)).ok_or("address outside the returned bytes")?;
        out.push(sockaddr_decode(bytes).ok_or("not an IPv4 or IPv6 address")?);
    }
    Ok(out)
}

/// A `SOCKET_ADDRESS_LIST` input: the count, the `SOCKET_ADDRESS` entries, then the addresses
/// themselves, in one heap buffer whose entries point at the addresses by absolute address.
/// Safe code: the pointers are written as integers computed from the buffer's own address, which
/// does not change while the value lives (the bytes are on the heap). Only synchronous calls take
/// it; an overlapped request copies its input and would break the pointers.
#[cfg(windows)]
#[allow(dead_code)] // used by generated encoders of address-list inputs
pub(crate) struct AddressListInput {
    buf: crate::call::AlignedBuf,
}

#[cfg(windows)]
#[allow(dead_code)]
impl AddressListInput {
    pub(crate) fn new(addresses: &[SocketAddr]) -> Self {
        let (first, entry) = (ADDRESS_LIST_FIRST, ADDRESS_LIST_ENTRY);
        let encoded: Vec<SockAddrBytes> = addresses.iter().map(SockAddrBytes::new).collect();
        let head = first + entry * encoded.len();
        let len = head + encoded.iter().map(|a| a.len().next_multiple_of(PTR)).sum::<usize>();
        let mut buf = crate::call::AlignedBuf::zeroed(len);
        let base = buf.bytes().as_ptr() as usize;
        let b = buf.bytes_mut();
        put(b, 0, &i32::try_from(encoded.len()).unwrap_or(i32::MAX).to_le_bytes());
        let mut at = head;
        for (i, a) in encoded.iter().enumerate() {
            let e = first + i * entry;
            put(b, e, &(base + at).to_le_bytes());
            put(b, e + PTR, &i32::try_from(a.len()).unwrap_or(0).to_le_bytes());
            put(b, at, a);
            at += a.len().next_multiple_of(PTR);
        }
        AddressListInput { buf }
    }
}

#[cfg(windows)]
impl core::ops::Deref for AddressListInput {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.buf.bytes()
    }
}

/// Decodes `b` as a sequence of `size`-byte records, which must fill it exactly.
pub(crate) fn array<T>(b: &[u8], size: usize, decode: fn(&[u8]) -> T) -> Result<Vec<T>, &'static str> {
    if size == 0 || !b.len().is_multiple_of(size) {
        return Err("the returned bytes are not a whole number of records");
    }
    Ok(b.chunks_exact(size).map(decode).collect())
}

/// Calls a control code whose output length is not known in advance. Starts with `first` bytes
/// (the wrappers pass [`GROW_FIRST`]); when the provider answers with one of `grow_on` (buffer too small), grows
/// the buffer to the size it reports in `lpcbBytesReturned` if that is larger, else doubles it, and
/// calls again: at most [`GROW_TRIES`] calls and [`GROW_MAX`] bytes. Then the last error is
/// returned as it is.
#[cfg(windows)]
pub(crate) fn grow<E: crate::ControlCodeError, T>(
    socket: std::os::windows::io::BorrowedSocket<'_>,
    code: u32,
    input: &[u8],
    grow_on: &[i32],
    first: usize,
    decode: impl Fn(&[u8], usize) -> Result<T, E>,
) -> Result<T, E> {
    let mut len = first.clamp(1, GROW_MAX);
    let mut tries = 0;
    loop {
        tries += 1;
        let mut buf = crate::call::AlignedBuf::zeroed(len);
        match crate::call::ioctl_raw(socket, code, input, buf.bytes_mut()) {
            Ok(n) => {
                let base = buf.bytes().as_ptr() as usize;
                let bytes = buf.bytes().get(..n).ok_or(E::unexpected_length(len, n))?;
                return decode(bytes, base);
            }
            Err((e, reported)) if grow_on.contains(&e) && tries < GROW_TRIES && len < GROW_MAX => {
                len = if reported > len { reported } else { len * 2 }.min(GROW_MAX);
            }
            Err((e, _)) => return Err(E::from_raw_os_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_past_the_end_are_zero_not_a_panic() {
        assert_eq!(take::<4>(&[1, 2], 0), [1, 2, 0, 0]);
        assert_eq!(take::<4>(&[1, 2], 9), [0; 4]);
        let mut b = [0u8; 3];
        put(&mut b, 2, &[7, 8, 9]);
        assert_eq!(b, [0, 0, 7]);
    }

    #[test]
    fn socket_addresses_round_trip() {
        for a in ["127.0.0.1:80", "[::1]:443", "[fe80::1%7]:9"] {
            let a: SocketAddr = a.parse().unwrap();
            let bytes = SockAddrBytes::new(&a);
            assert_eq!(sockaddr_decode(&bytes), Some(a));
        }
        assert_eq!(SockAddrBytes::new(&"1.2.3.4:5".parse().unwrap()).len(), 16);
        // Unknown family, or too short for its family.
        assert_eq!(sockaddr_decode(&[1, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(sockaddr_decode(&[2, 0, 0, 80]), None);
        assert_eq!(sockaddr_decode(&[23, 0, 0, 80, 0, 0, 0, 0, 0]), None);
    }

    fn list(addrs: &[&[u8]]) -> Vec<u8> {
        // Lays out a SOCKET_ADDRESS_LIST for this target's pointer size, with base address 0x1000.
        let first = PTR.max(4);
        let head = first + addrs.len() * 2 * PTR;
        let mut b = vec![0u8; head];
        b[..4].copy_from_slice(&(addrs.len() as i32).to_le_bytes());
        for (i, a) in addrs.iter().enumerate() {
            let at = first + i * 2 * PTR;
            let ptr = 0x1000 + b.len();
            b[at..at + PTR].copy_from_slice(&ptr.to_le_bytes()[..PTR]);
            b[at + PTR..at + PTR + 4].copy_from_slice(&(a.len() as i32).to_le_bytes());
            b.extend_from_slice(a);
        }
        b
    }

    #[test]
    fn address_lists_decode_only_pointers_inside_the_buffer() {
        let v4 = SockAddrBytes::new(&"10.1.2.3:0".parse().unwrap());
        let v6 = SockAddrBytes::new(&"[::1]:0".parse().unwrap());
        let b = list(&[&v4, &v6]);
        let got = address_list(&b, 0x1000).unwrap();
        assert_eq!(got, vec!["10.1.2.3:0".parse::<SocketAddr>().unwrap(), "[::1]:0".parse().unwrap()]);
        // Wrong base: every pointer lands outside the bytes.
        assert_eq!(address_list(&b, 0x2000), Err("address pointer before the buffer"));
        assert_eq!(address_list(&b, 0x0100), Err("address outside the returned bytes"));
        // A count larger than the bytes, a negative count, a truncated list.
        let mut big = b.clone();
        big[..4].copy_from_slice(&1000i32.to_le_bytes());
        assert_eq!(address_list(&big, 0x1000), Err("address count larger than the returned bytes"));
        let mut neg = b.clone();
        neg[..4].copy_from_slice(&(-1i32).to_le_bytes());
        assert_eq!(address_list(&neg, 0x1000), Err("negative address count"));
        assert_eq!(address_list(&b[..b.len() - 1], 0x1000), Err("address outside the returned bytes"));
        assert_eq!(address_list(&[0, 0, 0, 0], 0), Ok(vec![]));
        assert_eq!(address_list(&[0, 0], 0), Err("shorter than the address count"));
    }

    #[test]
    fn arrays_must_be_whole_records() {
        assert_eq!(array(&[1, 2, 3, 4], 2, |b| b[0]), Ok(vec![1, 3]));
        assert!(array(&[1, 2, 3], 2, |b| b[0]).is_err());
        assert_eq!(array(&[], 2, |b| b[0]), Ok(vec![]));
    }

    /// Starting from an 8-byte buffer forces the retry path: the provider must answer "too small"
    /// and the loop must grow until the whole output fits, giving what one big buffer gives.
    #[cfg(windows)]
    #[test]
    fn growing_from_a_tiny_buffer_gives_the_same_output_as_a_big_one() {
        use crate::{AddressListQueryError, GetInterfaceListError, InterfaceInfo};
        use std::os::windows::io::AsSocket;
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let s = udp.as_socket();
        let fault = [winsock_ioctl_sys::WSAEFAULT];
        // SIO_GET_INTERFACE_LIST: Wine reports no size, so the loop doubles (8, 16, ..., 1024).
        let list = |first| {
            grow::<GetInterfaceListError, _>(s, winsock_ioctl_sys::SIO_GET_INTERFACE_LIST, &[], &fault, first, |b, _| {
                array(b, InterfaceInfo::SIZE, InterfaceInfo::decode).map_err(GetInterfaceListError::MalformedOutput)
            })
        };
        let small = list(8).expect("grows until the list fits");
        assert!(!small.is_empty(), "loopback at least");
        assert_eq!(Ok(small), list(GROW_FIRST));
        // SIO_ADDRESS_LIST_QUERY: Wine reports the size it needs, so the second call fits. (On a
        // host with loopback only, both calls fail alike with WSAEINVAL.)
        let addrs = |first| {
            grow::<AddressListQueryError, _>(s, winsock_ioctl_sys::SIO_ADDRESS_LIST_QUERY, &[], &fault, first, |b, base| {
                address_list(b, base).map_err(AddressListQueryError::MalformedOutput)
            })
        };
        assert_eq!(addrs(8), addrs(GROW_FIRST));
    }

    /// The input form decodes back to the same addresses with the output decoder.
    #[cfg(windows)]
    #[test]
    fn address_list_inputs_point_into_themselves() {
        let addrs: Vec<SocketAddr> = vec!["10.1.2.3:0".parse().unwrap(), "[fe80::1%3]:0".parse().unwrap()];
        let input = AddressListInput::new(&addrs);
        let base = input.as_ptr() as usize;
        assert_eq!(address_list(&input, base), Ok(addrs));
        assert_eq!(address_list(&AddressListInput::new(&[]), 0), Ok(vec![]));
    }

    #[test]
    fn guids_show_in_text_order() {
        // WSAID_CONNECTEX = 25a207b9-ddf3-4660-8ee9-76e58c74063e, as laid out in memory.
        let mem = [0xb9, 0x07, 0xa2, 0x25, 0xf3, 0xdd, 0x60, 0x46, 0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e];
        assert_eq!(u128::from_be_bytes(guid_be(mem)), 0x25a207b9_ddf3_4660_8ee9_76e58c74063e);
        assert_eq!(guid_be(guid_be(mem)), mem);
    }
}

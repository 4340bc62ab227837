//! Handwritten runtime tests of the buffer shapes, run on the Windows target (here under Wine
//! 8.0): extension functions that are fetched and then called, outputs that depend on the host's
//! network (compared with a raw `WSAIoctl` instead of a fixed value), the `base_socket` helper,
//! and `Pending`'s typed outputs. Every wait is bounded.
#![cfg(windows)]
#![allow(unsafe_code)]

use socket2::{Domain, Protocol, SockAddr, SockAddrStorage, Socket, Type};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::os::windows::io::{AsRawSocket, AsSocket};
use std::time::Duration;
// Events and waits are general Win32, which the sys crate leaves to windows-sys.
use windows_sys::Win32::Foundation::WAIT_OBJECT_0;
use windows_sys::Win32::Networking::WinSock::{WSACloseEvent, WSACreateEvent};
use windows_sys::Win32::System::Threading::WaitForSingleObject;
use winsock_ioctl::*;
use winsock_ioctl_tests::fixtures;

const BOUND: Duration = Duration::from_secs(10);

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// A socket address from the C bytes a provider wrote, read by socket2 (not by the code under
/// test).
fn sockaddr_from(bytes: &[u8]) -> SocketAddr {
    let mut storage = SockAddrStorage::zeroed();
    assert!(bytes.len() <= std::mem::size_of::<SockAddrStorage>());
    // SAFETY: the storage is at least `bytes.len()` bytes of plain data; the copy stays in it.
    let addr = unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), (&raw mut storage).cast::<u8>(), bytes.len());
        SockAddr::new(storage, bytes.len() as i32)
    };
    addr.as_socket().expect("an IP address")
}

/// A raw `WSAIoctl` with a 64 KiB output buffer: the error code, or the bytes returned.
fn raw_ioctl(s: &impl AsSocket, code: u32, input: &[u8]) -> Result<Vec<u8>, i32> {
    let mut out = vec![0u64; 8192];
    let mut returned = 0u32;
    let in_ptr = if input.is_empty() { std::ptr::null() } else { input.as_ptr().cast() };
    // SAFETY: the buffers are live and their lengths are the ones passed; no OVERLAPPED.
    let rc = unsafe {
        sys::WSAIoctl(
            s.as_socket().as_raw_socket() as sys::SOCKET,
            code,
            in_ptr,
            input.len() as u32,
            out.as_mut_ptr().cast(),
            (out.len() * 8) as u32,
            &mut returned,
            std::ptr::null_mut(),
            None,
        )
    };
    if rc != 0 {
        // SAFETY: reads thread-local state only.
        return Err(unsafe { sys::WSAGetLastError() });
    }
    // SAFETY: the provider wrote `returned` bytes into `out` (checked against its size).
    let bytes = unsafe { std::slice::from_raw_parts(out.as_ptr().cast::<u8>(), (returned as usize).min(out.len() * 8)) };
    let mut v = bytes.to_vec();
    // Keep the original buffer's address next to the copy, for lists with embedded pointers.
    v.extend_from_slice(&(out.as_ptr() as usize).to_le_bytes());
    std::mem::forget(out); // the pointers in `v` refer to it
    Ok(v)
}

#[test]
fn connect_ex_from_the_extension_pointer_connects_a_socket() {
    let listener = TcpListener::bind(loopback()).unwrap();
    let s = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    s.bind(&SockAddr::from(loopback())).unwrap(); // ConnectEx needs a bound socket
    let connect_ex = get_extension_function_pointer::<ConnectEx>(&s).expect("the TCP provider has ConnectEx");
    let to = SockAddr::from(listener.local_addr().unwrap());
    // SAFETY: WSACreateEvent has no preconditions.
    let event = unsafe { WSACreateEvent() } as sys::HANDLE;
    assert!(!event.is_null());
    // SAFETY: all-zero is a valid OVERLAPPED.
    let mut ov: sys::OVERLAPPED = unsafe { std::mem::zeroed() };
    ov.hEvent = event;
    let mut sent = 0u32;
    // SAFETY: ConnectEx's contract: a bound, unconnected socket; an address and its length; no
    // send buffer; a live OVERLAPPED with an event, which outlives the operation (we wait below).
    let ok = unsafe {
        (connect_ex.get())(s.as_raw_socket() as sys::SOCKET, to.as_ptr().cast(), to.len(), std::ptr::null(), 0, &mut sent, &mut ov)
    };
    if ok == 0 {
        // SAFETY: reads thread-local state only.
        assert_eq!(unsafe { sys::WSAGetLastError() }, sys::WSA_IO_PENDING);
    }
    // SAFETY: the event is open; the wait is bounded.
    assert_eq!(unsafe { WaitForSingleObject(event, BOUND.as_millis() as u32) }, WAIT_OBJECT_0);
    let (mut n, mut flags) = (0u32, 0u32);
    // SAFETY: the OVERLAPPED is the one the operation used; it has completed.
    let done = unsafe { sys::WSAGetOverlappedResult(s.as_raw_socket() as sys::SOCKET, &ov, &mut n, 0, &mut flags) };
    assert_ne!(done, 0, "ConnectEx completed successfully");
    // SAFETY: closes the event created above, after the operation completed.
    unsafe { WSACloseEvent(event as isize) };

    let (mut peer, _) = listener.accept().expect("the listener sees the connection");
    (&s).write_all(b"ping").unwrap();
    let mut got = [0u8; 4];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
}

#[test]
fn wsa_recv_msg_from_the_extension_pointer_receives_a_datagram_and_its_source() {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).unwrap();
    s.bind(&SockAddr::from(loopback())).unwrap();
    let sender = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).unwrap();
    sender.bind(&SockAddr::from(loopback())).unwrap();
    sender.send_to(b"datagram", &s.local_addr().unwrap()).unwrap();
    let recv_msg = get_extension_function_pointer::<WsaRecvMsg>(&s).expect("the UDP provider has WSARecvMsg");

    let mut data = [0u8; 64];
    let mut from = [0u8; 128];
    let mut buf = sys::WSABUF { len: data.len() as u32, buf: data.as_mut_ptr().cast() };
    let mut msg = sys::WSAMSG {
        name: from.as_mut_ptr().cast(),
        namelen: from.len() as i32,
        lpBuffers: &mut buf,
        dwBufferCount: 1,
        Control: sys::WSABUF { len: 0, buf: std::ptr::null_mut() },
        dwFlags: 0,
    };
    let mut received = 0u32;
    s.set_read_timeout(Some(BOUND)).unwrap();
    // SAFETY: WSARecvMsg's contract: a bound datagram socket, a WSAMSG whose name and buffers
    // point to live memory of the lengths given; no OVERLAPPED, so it completes before returning.
    let rc = unsafe { (recv_msg.get())(s.as_raw_socket() as sys::SOCKET, &mut msg, &mut received, std::ptr::null_mut(), None) };
    assert_eq!(rc, 0, "WSARecvMsg succeeded");
    assert_eq!(&data[..received as usize], b"datagram");
    assert_eq!(Some(sockaddr_from(&from[..msg.namelen as usize])), sender.local_addr().unwrap().as_socket());
}

#[test]
fn every_extension_function_of_the_tcp_provider_is_found() {
    if !winsock_ioctl_tests::host::wine_only("Wine 8.0 does not know TransmitPackets' GUID; Windows' TCP provider has it") {
        return;
    }
    let fx = fixtures::tcp_unconnected();
    let s = fx.socket();
    // Non-null typed pointers; the two above are also called.
    get_extension_function_pointer::<AcceptEx>(s).unwrap();
    get_extension_function_pointer::<ConnectEx>(s).unwrap();
    get_extension_function_pointer::<DisconnectEx>(s).unwrap();
    get_extension_function_pointer::<GetAcceptExSockaddrs>(s).unwrap();
    get_extension_function_pointer::<TransmitFile>(s).unwrap();
    // Windows' TCP provider has TransmitPackets; Wine 8.0 does not know its GUID and answers
    // WSAEINVAL (dlls/ws2_32/socket.c), as SIO_GET_EXTENSION_FUNCTION_POINTER.toml records.
    assert_eq!(get_extension_function_pointer::<TransmitPackets>(s).unwrap_err(), GetExtensionFunctionPointerError::InvalidArgument);
    get_extension_function_pointer::<WsaRecvMsg>(s).unwrap();
    get_extension_function_pointer::<WsaSendMsg>(s).unwrap();
}

/// Decodes a raw SOCKET_ADDRESS_LIST the way a C program would, following its pointers.
fn raw_address_list(bytes: &[u8]) -> Vec<SocketAddr> {
    let base_at = bytes.len() - std::mem::size_of::<usize>();
    let list = usize::from_le_bytes(bytes[base_at..].try_into().unwrap()) as *const sys::SOCKET_ADDRESS_LIST;
    // SAFETY: `list` is the buffer the provider filled (kept alive by `raw_ioctl`); its count and
    // pointers are the provider's, trusted here as a C program would.
    unsafe {
        let count = (*list).iAddressCount as usize;
        let first = (*list).Address.as_ptr();
        (0..count)
            .map(|i| {
                let a = &*first.add(i);
                sockaddr_from(std::slice::from_raw_parts(a.lpSockaddr.cast::<u8>(), a.iSockaddrLength as usize))
            })
            .collect()
    }
}

#[test]
fn address_list_query_returns_what_a_raw_call_returns() {
    // Wine lists the host's adapters (not loopback) and fails with WSAEINVAL on a host with
    // loopback only, so the answer depends on the machine: compare with a raw call.
    let fx = fixtures::udp();
    let safe = address_list_query(fx.socket());
    match raw_ioctl(&fx.socket(), sys::SIO_ADDRESS_LIST_QUERY, &[]) {
        Ok(bytes) => assert_eq!(safe, Ok(raw_address_list(&bytes))),
        Err(code) => assert_eq!(safe, Err(AddressListQueryError::from_raw_os_error(code))),
    }
}

#[test]
fn interface_list_includes_loopback_and_matches_a_raw_call() {
    let fx = fixtures::udp();
    let list = get_interface_list(fx.socket()).expect("Wine lists the host's IPv4 interfaces");
    let lo = list.iter().find(|i| i.address == Some("127.0.0.1:0".parse().unwrap())).expect("loopback is listed");
    assert_eq!(lo.flags & 0x4, 0x4, "IFF_LOOPBACK");
    assert_eq!(lo.flags & 0x1, 0x1, "IFF_UP");
    let raw = raw_ioctl(&fx.socket(), sys::SIO_GET_INTERFACE_LIST, &[]).unwrap();
    let raw_len = raw.len() - std::mem::size_of::<usize>();
    assert_eq!(raw_len, list.len() * InterfaceInfo::SIZE);
}

#[test]
fn routing_interface_query_returns_what_a_raw_call_returns() {
    // The answer is the address of the interface the host would route through.
    let fx = fixtures::udp();
    let to: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let safe = routing_interface_query(fx.socket(), to);
    let input = SockAddr::from(to);
    // SAFETY: a SockAddr's storage holds `len` initialised bytes.
    let input = unsafe { std::slice::from_raw_parts(input.as_ptr().cast::<u8>(), input.len() as usize) };
    match raw_ioctl(&fx.socket(), sys::SIO_ROUTING_INTERFACE_QUERY, input) {
        Ok(bytes) => {
            let n = bytes.len() - std::mem::size_of::<usize>();
            assert_eq!(safe, Ok(sockaddr_from(&bytes[..n])));
        }
        Err(code) => assert_eq!(safe, Err(RoutingInterfaceQueryError::from_raw_os_error(code))),
    }
}

#[test]
fn base_socket_of_a_plain_socket_is_the_socket_itself() {
    let fx = fixtures::tcp_connected();
    let own = fx.socket().as_raw_socket();
    assert_eq!(base_socket(fx.socket()), Ok(own));
    // A listening socket and a datagram socket are their own base too.
    let l = fixtures::tcp_listening();
    assert_eq!(base_socket(l.socket()), Ok(l.socket().as_raw_socket()));
    let u = fixtures::udp();
    assert_eq!(base_socket(u.socket()), Ok(u.socket().as_raw_socket()));
}

#[test]
fn an_overlapped_request_hands_back_its_typed_output() {
    let fx = fixtures::tcp_connected_with_data();
    let mut pending = fionread_overlapped(fx.socket()).expect("starts");
    assert_eq!(pending.wait(BOUND), Ok(WaitOutcome::Completed(5)));
    // Waiting again returns the same output.
    assert_eq!(pending.wait(Duration::ZERO), Ok(WaitOutcome::Completed(5)));
    let f = get_extension_function_pointer_overlapped::<_, WsaSendMsg>(fx.socket()).expect("starts");
    assert!(matches!(f.cancel(), Ok(WsaSendMsg { .. })), "completed before the cancel could take effect");
}

#[test]
fn a_wait_without_bound_returns_when_the_request_ends() {
    if !winsock_ioctl_tests::host::wine_only("the request asserted ends at once only on Wine, which lacks SIO_IDEAL_SEND_BACKLOG_CHANGE") {
        return;
    }
    // Duration::MAX used to overflow; now it means "no bound". Wine fails this request at once.
    let fx = fixtures::tcp_connected();
    let mut pending = ideal_send_backlog_change_overlapped(fx.socket()).expect("Wine reports WSA_IO_PENDING");
    assert_eq!(pending.wait(Duration::MAX), Err(IdealSendBacklogChangeError::OperationNotSupported));
}

#[test]
fn a_completion_maps_to_the_same_error_however_it_is_observed() {
    // The same already-failed request, observed through WSAGetOverlappedResult (wait) and, after
    // the socket is closed, through the final status (close_socket): one variant for both.
    let fx = fixtures::tcp_connected();
    let mut waited = ideal_send_backlog_change_overlapped(fx.socket()).unwrap();
    let by_wait = waited.wait(BOUND).unwrap_err();
    let socket = fixtures::tcp_connected().into_socket();
    let closed = ideal_send_backlog_change_overlapped(socket).unwrap();
    let by_close = closed.close_socket(BOUND).unwrap_err();
    assert_eq!(by_wait, IdealSendBacklogChangeError::OperationNotSupported);
    assert_eq!(by_close, by_wait);
}

#[test]
fn keepalive_values_are_accepted_on_a_connection() {
    let fx = fixtures::tcp_connected();
    let ka = TcpKeepalive { on: true, time_ms: 30_000, interval_ms: 1_000 };
    assert_eq!(keepalive_vals(fx.socket(), ka), Ok(()));
    assert_eq!(keepalive_vals(fx.socket(), TcpKeepalive { on: false, ..ka }), Ok(()));
}

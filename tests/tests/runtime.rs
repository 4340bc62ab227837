//! Handwritten runtime tests of the overlapped machinery and of the socket types users pass in,
//! run on the Windows target (here under Wine 8.0). Every wait is bounded.
#![cfg(windows)]

use std::os::windows::io::{AsRawSocket, AsSocket};
use std::thread;
use std::time::{Duration, Instant};
use winsock_ioctl::*;
use winsock_ioctl_tests::fixtures;

const SHORT: Duration = Duration::from_millis(300);
const BOUND: Duration = Duration::from_secs(10);

#[test]
fn address_list_change_pends_then_drop_cancels_promptly() {
    let fx = fixtures::udp();
    let mut pending = address_list_change_overlapped(fx.socket()).expect("starts");
    assert_eq!(pending.wait(SHORT), Ok(WaitOutcome::TimedOut));
    assert!(!pending.is_complete());
    let start = Instant::now();
    drop(pending);
    assert!(start.elapsed() < BOUND, "drop cancelled and observed completion in {:?}", start.elapsed());
    // The socket is still usable and accepts a new request.
    let mut again = address_list_change_overlapped(fx.socket()).expect("starts again");
    assert_eq!(again.wait(SHORT), Ok(WaitOutcome::TimedOut));
}

#[test]
fn address_list_change_cancel_reports_operation_aborted() {
    let fx = fixtures::tcp_unconnected();
    let pending = address_list_change_overlapped(fx.socket()).expect("starts");
    assert_eq!(pending.cancel(), Err(AddressListChangeError::OperationAborted));
}

#[test]
fn waiting_again_after_completion_returns_the_same_result_at_once() {
    let fx = fixtures::tcp_connected();
    // Wine lacks SIO_IDEAL_SEND_BACKLOG_CHANGE: the request is reported pending but has already
    // failed; the documented Windows behaviour is to pend until the ISB changes.
    let mut pending = ideal_send_backlog_change_overlapped(fx.socket()).expect("Wine reports WSA_IO_PENDING");
    assert_eq!(pending.wait(BOUND), Err(IdealSendBacklogChangeError::OperationNotSupported));
    assert!(pending.is_complete());
    let start = Instant::now();
    assert_eq!(pending.wait(BOUND), Err(IdealSendBacklogChangeError::OperationNotSupported));
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn closing_an_owned_socket_ends_the_pending_request() {
    let socket = fixtures::udp().into_socket();
    let mut pending = address_list_change_overlapped(socket).expect("starts");
    assert_eq!(pending.wait(SHORT), Ok(WaitOutcome::TimedOut));
    assert_eq!(pending.close_socket(BOUND), Err(AddressListChangeError::OperationAborted));
}

#[test]
fn two_requests_pend_side_by_side_and_cancel_separately() {
    // SIO_ADDRESS_LIST_CHANGE documents no per-socket limit; Wine keeps both pending.
    let fx = fixtures::udp();
    let mut first = address_list_change_overlapped(fx.socket()).expect("first starts");
    let second = address_list_change_overlapped(fx.socket()).expect("second starts");
    assert_eq!(second.cancel(), Err(AddressListChangeError::OperationAborted));
    assert_eq!(first.wait(SHORT), Ok(WaitOutcome::TimedOut), "cancelling one leaves the other pending");
}

#[test]
fn the_blocking_form_blocks_until_the_socket_is_closed() {
    let socket: &'static socket2::Socket = Box::leak(Box::new(fixtures::udp().into_socket()));
    let raw = socket.as_raw_socket();
    let call = thread::spawn(move || address_list_change(socket));
    thread::sleep(SHORT);
    assert!(!call.is_finished(), "a blocking socket blocks in SIO_ADDRESS_LIST_CHANGE");
    // The socket object is leaked and never used again, so closing its handle here cannot lead
    // to a double close; this is the only way to end the call from outside.
    #[allow(unsafe_code)]
    // SAFETY: `raw` is the open socket leaked above; nothing else closes it.
    let rc = unsafe { sys::closesocket(raw as sys::SOCKET) };
    assert_eq!(rc, 0);
    let deadline = Instant::now() + BOUND;
    while !call.is_finished() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert!(call.is_finished(), "closing the socket ends the blocking call");
    assert_eq!(call.join().unwrap(), Err(AddressListChangeError::OperationAborted));
}

#[test]
fn std_and_socket2_sockets_are_accepted_and_wine_reports_64_kib() {
    let (client, server, _listener) = fixtures::tcp_pair();
    // Wine 8.0 answers a fixed 0x10000 (dlls/ws2_32/socket.c); Windows computes the ISB from the
    // connection, anywhere in 0..=16 MiB.
    assert_eq!(ideal_send_backlog_query(&client), Ok(0x10000));
    assert_eq!(ideal_send_backlog_query(server.as_socket()), Ok(0x10000));
    let s2 = socket2::Socket::from(client);
    assert_eq!(ideal_send_backlog_query(&s2), Ok(0x10000));
}

#[test]
fn errors_convert_to_io_error_with_the_raw_code() {
    let fx = fixtures::tcp_unconnected();
    let err = ideal_send_backlog_query(fx.socket()).unwrap_err();
    assert_eq!(err, IdealSendBacklogQueryError::NotConnected);
    assert!(err.to_string().contains("WSAENOTCONN (10057)"), "{err}");
    let io = std::io::Error::from(err);
    assert_eq!(io.raw_os_error(), Some(10057));
    assert_eq!(io.kind(), std::io::ErrorKind::NotConnected);
}

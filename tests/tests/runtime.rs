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

/// The scenario tests pick Wine's or the documented Windows outcome by run-time detection; a
/// detector that got it wrong would make a Wine run assert the Windows outcomes, or the reverse.
/// The Wine runner and the Windows workflow each say where they run in `WINSOCK_IOCTL_HOST`.
#[test]
fn wine_is_detected_exactly_where_the_runner_says() {
    let on_wine = winsock_ioctl_tests::host::on_wine();
    match std::env::var("WINSOCK_IOCTL_HOST").as_deref() {
        Ok("wine") => {
            assert!(on_wine, "started by the Wine runner, but ntdll has no wine_get_version");
            assert!(winsock_ioctl_tests::host::wine_version().is_some_and(|v| v.starts_with(char::is_numeric)));
        }
        Ok("windows") => assert!(!on_wine, "started on Windows, but ntdll exports wine_get_version"),
        other => println!("WINSOCK_IOCTL_HOST is {other:?}: nothing to compare; detected Wine: {on_wine}"),
    }
}

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
    if !winsock_ioctl_tests::host::wine_only("Wine fails SIO_IDEAL_SEND_BACKLOG_CHANGE at once; Windows pends until the backlog changes") {
        return;
    }
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
    let rc = unsafe { windows_sys::Win32::Networking::WinSock::closesocket(raw as sys::SOCKET) };
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
    if !winsock_ioctl_tests::host::wine_only("Wine answers a fixed 64 KiB; Windows computes the backlog from the connection") {
        return;
    }
    let (client, server, _listener) = fixtures::tcp_pair();
    // Wine 8.0 answers a fixed 0x10000 (dlls/ws2_32/socket.c); Windows computes the ISB from the
    // connection, anywhere in 0..=16 MiB.
    assert_eq!(ideal_send_backlog_query(&client), Ok(0x10000));
    assert_eq!(ideal_send_backlog_query(server.as_socket()), Ok(0x10000));
    let s2 = socket2::Socket::from(client);
    assert_eq!(ideal_send_backlog_query(&s2), Ok(0x10000));
}

/// `io::Error::from` a typed error keeps the kind of its Winsock code, names the control code in
/// its message (the system has no message for a Winsock code under Wine 8.0: `io::Error`'s own is
/// "OS Error 10057 (FormatMessageW() returned error 317)"), and holds the typed error, whose code
/// `raw_os_error` reads.
#[test]
fn errors_convert_to_an_io_error_that_names_the_control_code() {
    let fx = fixtures::tcp_unconnected();
    let err = ideal_send_backlog_query(fx.socket()).unwrap_err();
    assert_eq!(err, IdealSendBacklogQueryError::NotConnected);
    let io = std::io::Error::from(err);
    println!(
        "from the OS code: {}
from the typed error: {io}",
        std::io::Error::from_raw_os_error(10057)
    );
    assert_eq!(io.kind(), std::io::ErrorKind::NotConnected);
    assert!(io.to_string().starts_with("SIO_IDEAL_SEND_BACKLOG_QUERY failed with WSAENOTCONN (10057): "), "{io}");
    assert_eq!(raw_os_error(&io), Some(10057));
    assert_eq!(io.raw_os_error(), None, "not an OS error value: it holds the typed error");
    assert_eq!(io.get_ref().and_then(|e| e.downcast_ref::<IdealSendBacklogQueryError>()), Some(&err));
    let os = std::io::Error::from_raw_os_error(10057);
    assert_eq!((raw_os_error(&os), os.kind()), (Some(10057), io.kind()), "the same code and kind as the OS error");
}

/// `Display` names the code and the error; its English text is the table's. Errors outside the
/// table are named by number (the catalogue stays out of programs that only print errors).
#[test]
fn every_kind_of_error_displays_the_code_and_what_went_wrong() {
    let row = IdealSendBacklogQueryError::TABLE.iter().find(|r| r.name == "WSAENOTCONN").expect("a row");
    assert_eq!(
        IdealSendBacklogQueryError::NotConnected.to_string(),
        format!("SIO_IDEAL_SEND_BACKLOG_QUERY failed with WSAENOTCONN (10057): {}", row.meaning)
    );
    assert_eq!(
        IdealSendBacklogQueryError::Unlisted(10055).to_string(),
        "SIO_IDEAL_SEND_BACKLOG_QUERY failed with error 10055, which its table does not list"
    );
    assert_eq!(
        IdealSendBacklogQueryError::from_raw_os_error(997).to_string(),
        "SIO_IDEAL_SEND_BACKLOG_QUERY reported WSA_IO_PENDING (997): the request was started overlapped and has not finished"
    );
    assert_eq!(
        IdealSendBacklogQueryError::UnexpectedLength { expected: 4, returned: 2 }.to_string(),
        "SIO_IDEAL_SEND_BACKLOG_QUERY reported success with 2 bytes of output where its type has 4"
    );
    assert_eq!(
        IdealSendBacklogQueryError::MalformedOutput("a null pointer").to_string(),
        "SIO_IDEAL_SEND_BACKLOG_QUERY reported success with an output it cannot return: a null pointer"
    );
}

/// No handle is asked whether it is a socket before a request is issued. Windows refuses a
/// handle that is not a socket with WSAENOTSOCK inside `WSAIoctl`; Wine 8.0 answers WSA_IO_PENDING
/// for a code it lacks, but has written the final status (STATUS_NOT_SUPPORTED) into the
/// OVERLAPPED by then, so the request is complete at once and every way of ending it is prompt.
/// (Wine's WSAGetOverlappedResult says WSAENOTSOCK for such a handle without reading the
/// OVERLAPPED; the crate reads the status itself.)
#[test]
fn a_handle_that_is_not_a_socket_gets_the_providers_answer_without_a_check_first() {
    if !winsock_ioctl_tests::host::wine_only("the answer asserted is Wine's (pending, then WSAENOTSOCK); Windows fails inside WSAIoctl") {
        return;
    }
    use std::os::windows::io::{AsRawHandle, BorrowedSocket, FromRawHandle, OwnedHandle, RawSocket};
    use windows_sys::Win32::System::Threading::{CreateEventW, WaitForSingleObject};
    #[allow(unsafe_code)]
    // SAFETY: CreateEventW with no name and no security attributes; the handle is checked and
    // then owned by `event`, which closes it once.
    let event = unsafe {
        let h = CreateEventW(std::ptr::null(), 1, 0, std::ptr::null());
        assert!(!h.is_null(), "CreateEventW");
        OwnedHandle::from_raw_handle(h)
    };
    #[allow(unsafe_code)]
    // SAFETY: the event stays open for the whole test. It is not a socket, which is the point:
    // Winsock only looks the value up; no Rust code treats it as a socket's memory.
    let not_a_socket = unsafe { BorrowedSocket::borrow_raw(event.as_raw_handle() as RawSocket) };
    let start = || bsp_handle_overlapped(not_a_socket).expect("Wine reports it pending");

    let mut p = start();
    assert!(p.is_complete(), "the final status is already in the OVERLAPPED");
    assert_eq!(p.wait(Duration::ZERO), Err(BspHandleError::OperationNotSupported));

    // Its event is signalled for any waiter, although Wine never signalled it.
    let p = start();
    #[allow(unsafe_code)]
    // SAFETY: the handle is the request's event, open while `p` lives.
    let w = unsafe { WaitForSingleObject(p.as_raw_handle() as _, 2000) };
    assert_eq!(w, 0, "the event was signalled");
    assert_eq!(wait_any(&[&p], BOUND).expect("waits"), Some(0));
    let begin = Instant::now();
    drop(p);
    assert!(begin.elapsed() < SHORT, "the drop took {:?}", begin.elapsed());

    let awaited = winsock_ioctl_tests::exec::runtime().block_on(async { tokio::time::timeout(BOUND, start()).await });
    assert_eq!(awaited.expect("resolved in time"), Err(BspHandleError::OperationNotSupported));
}

/// A code that completes at once is issued without asking how the socket was opened: on a socket
/// without the overlapped attribute it simply completes inside the call.
#[test]
fn a_code_that_completes_at_once_works_on_a_socket_without_the_overlapped_attribute() {
    let fx = fixtures::udp_not_overlapped();
    let mut p = fionread_overlapped(fx.socket()).expect("completes");
    assert_eq!(p.wait(Duration::ZERO), Ok(WaitOutcome::Completed(0)));
    assert_eq!(address_list_change_overlapped(fx.socket()).err(), Some(AddressListChangeError::SocketNotOverlapped));
}

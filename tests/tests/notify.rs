//! Notifications for async and event-driven programs: `Pending` as a future under a real
//! executor (tokio), the async forms and their issuing thread, the event handle, `wait_any`, the
//! change streams, send pacing, and sockets without the overlapped attribute. Run under Wine
//! 8.0; every wait is bounded. The completions that need an address change are in `netns.rs`.
#![cfg(windows)]

use std::os::windows::io::{AsHandle, AsRawHandle, AsRawSocket};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Wake, Waker};
use std::time::{Duration, Instant};
use winsock_ioctl::*;
use winsock_ioctl_tests::exec::{poll_once, runtime};
use winsock_ioctl_tests::fixtures;

const SHORT: Duration = Duration::from_millis(300);
const BOUND: Duration = Duration::from_secs(10);

/// The first item a blocking address-list stream gives, for what the query returns now (Wine
/// answers WSAEINVAL on a host with no adapter but loopback; the stream hands that on).
fn as_first_item(
    query: Result<Vec<std::net::SocketAddr>, AddressListQueryError>,
) -> Result<WaitOutcome<Vec<std::net::SocketAddr>>, ChangeError<AddressListChangeError, AddressListQueryError>> {
    query.map(WaitOutcome::Completed).map_err(ChangeError::Query)
}

#[test]
fn an_awaited_notification_loses_a_select_against_a_timer_and_is_cancelled() {
    let fx = fixtures::udp();
    runtime().block_on(async {
        let start = Instant::now();
        tokio::select! {
            r = address_list_change_async(fx.socket()) => panic!("no address changed, yet it resolved: {r:?}"),
            () = tokio::time::sleep(SHORT) => {}
        }
        assert!(start.elapsed() < BOUND, "the losing branch was dropped (cancelled) promptly");
    });
    // The dropped request is gone: the socket takes a new one.
    let mut again = address_list_change_overlapped(fx.socket()).expect("starts");
    assert_eq!(again.wait(SHORT), Ok(WaitOutcome::TimedOut));
}

#[test]
fn every_notification_form_is_awaited_and_resolves_to_what_wine_does() {
    if !winsock_ioctl_tests::host::wine_only("two of the notification codes fail at once on Wine, and pend on Windows") {
        return;
    }
    let tcp = fixtures::tcp_connected();
    let udp = fixtures::udp();
    runtime().block_on(async {
        // Wine 8.0 lacks both: the request fails at once (Windows pends until a change).
        assert_eq!(
            tokio::time::timeout(BOUND, ideal_send_backlog_change_async(tcp.socket())).await,
            Ok(Err(IdealSendBacklogChangeError::OperationNotSupported))
        );
        let dest = "127.0.0.1:9".parse().expect("address");
        assert_eq!(
            tokio::time::timeout(BOUND, routing_interface_change_async(udp.socket(), dest)).await,
            Ok(Err(RoutingInterfaceChangeError::OperationNotSupported))
        );
        // Implemented by Wine: pends, so the timer wins.
        assert!(tokio::time::timeout(SHORT, address_list_change_async(udp.socket())).await.is_err());
        // The `_overlapped` form's `Pending` is a future too.
        let p = ideal_send_backlog_change_overlapped(tcp.socket()).expect("Wine reports WSA_IO_PENDING");
        assert_eq!(p.await, Err(IdealSendBacklogChangeError::OperationNotSupported));
    });
}

#[test]
fn async_forms_of_codes_with_an_output_return_it() {
    let fx = fixtures::tcp_connected_with_data();
    let rt = runtime();
    assert_eq!(rt.block_on(fionread_async(fx.socket())), Ok(5));
    assert_eq!(rt.block_on(ideal_send_backlog_query_async(fx.socket())), ideal_send_backlog_query(fx.socket()));
    assert_eq!(rt.block_on(siocatmark_async(fx.socket())), siocatmark(fx.socket()));
}

#[test]
fn a_socket_without_the_overlapped_attribute_gets_a_typed_error_not_a_hang() {
    let fx = fixtures::udp_not_overlapped();
    let start = Instant::now();
    assert_eq!(address_list_change_overlapped(fx.socket()).err(), Some(AddressListChangeError::SocketNotOverlapped));
    let r = runtime().block_on(async { tokio::time::timeout(BOUND, address_list_change_async(fx.socket())).await });
    assert_eq!(r, Ok(Err(AddressListChangeError::SocketNotOverlapped)));
    // The stream still reads the current value, then ends with the same error.
    let mut s = address_list_change_stream(fx.socket());
    assert_eq!(s.next_timeout(SHORT), Some(as_first_item(address_list_query(fx.socket()))));
    assert_eq!(s.next_timeout(SHORT), Some(Err(ChangeError::Change(AddressListChangeError::SocketNotOverlapped))));
    assert_eq!(s.next_timeout(SHORT), None);
    assert!(start.elapsed() < BOUND);
    // The error says what happened and converts to InvalidInput.
    let e = AddressListChangeError::SocketNotOverlapped;
    assert!(e.to_string().contains("WSA_FLAG_OVERLAPPED"), "{e}");
    assert_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::InvalidInput);
    // Synchronous codes still work on it.
    assert!(fionread(fx.socket()).is_ok());
}

#[test]
fn a_request_issued_by_a_thread_that_exits_is_aborted_unless_it_came_from_an_async_form() {
    let fx = fixtures::udp();
    let raw = fx.socket().as_raw_socket();
    let borrowed = move || {
        #[allow(unsafe_code)]
        // SAFETY: the fixture keeps the socket open for the whole test.
        unsafe {
            std::os::windows::io::BorrowedSocket::borrow_raw(raw)
        }
    };
    // The `_overlapped` form issues on the calling thread: its exit cancels the request, as on
    // Windows for a handle without a completion port.
    let mut p = std::thread::spawn(move || address_list_change_overlapped(borrowed()).expect("starts")).join().expect("thread");
    assert_eq!(p.wait(BOUND), Err(AddressListChangeError::OperationAborted));

    // The async form issues on the crate's thread: the first poll's thread may end.
    let mut f = std::thread::spawn(move || {
        let mut f = Box::pin(address_list_change_async(borrowed()));
        assert!(poll_once(&mut f).is_pending());
        f
    })
    .join()
    .expect("thread");
    std::thread::sleep(SHORT);
    assert!(poll_once(&mut f).is_pending(), "still pending after the thread that first polled it exited");
    // And the same holds for a stream.
    let mut s = std::thread::spawn(move || {
        let mut s = address_list_change_stream(borrowed());
        assert_eq!(s.next_timeout(Duration::ZERO), Some(as_first_item(address_list_query(borrowed()))));
        s
    })
    .join()
    .expect("thread");
    std::thread::sleep(SHORT);
    assert_eq!(s.next_timeout(SHORT), Some(Ok(WaitOutcome::TimedOut)));
}

#[test]
fn the_event_handle_is_signalled_exactly_when_the_request_has_completed() {
    if !winsock_ioctl_tests::host::wine_only("the second half needs Wine's failed-but-pending SIO_IDEAL_SEND_BACKLOG_CHANGE") {
        return;
    }
    use windows_sys::Win32::Foundation::{WAIT_OBJECT_0, WAIT_TIMEOUT};
    use windows_sys::Win32::System::Threading::WaitForSingleObject;
    let wait = |h: std::os::windows::io::RawHandle| {
        #[allow(unsafe_code)]
        // SAFETY: the handle is borrowed from a live `Pending`; waiting does not modify it.
        unsafe {
            WaitForSingleObject(h, 200)
        }
    };
    let udp = fixtures::udp();
    let pending = address_list_change_overlapped(udp.socket()).expect("starts");
    assert_eq!(wait(pending.as_raw_handle()), WAIT_TIMEOUT);
    assert_eq!(pending.as_handle().as_raw_handle(), pending.as_raw_handle());
    // Wine reports this one pending but has already failed it without signalling the event; the
    // crate signals it, so the handle still means "complete".
    let tcp = fixtures::tcp_connected();
    let failed = ideal_send_backlog_change_overlapped(tcp.socket()).expect("Wine reports WSA_IO_PENDING");
    assert_eq!(wait(failed.as_raw_handle()), WAIT_OBJECT_0);
}

#[test]
fn wait_any_returns_the_first_request_to_complete_or_none_after_the_timeout() {
    let a = fixtures::udp();
    let b = fixtures::udp6();
    let tcp = fixtures::tcp_connected();
    let pa = address_list_change_overlapped(a.socket()).expect("starts");
    let pb = address_list_change_overlapped(b.socket()).expect("starts");
    let start = Instant::now();
    assert_eq!(wait_any(&[&pa, &pb], SHORT).expect("waits"), None);
    assert!(start.elapsed() >= SHORT - Duration::from_millis(20), "waited the timeout: {:?}", start.elapsed());
    let mut done = ideal_send_backlog_change_overlapped(tcp.socket()).expect("starts");
    assert_eq!(wait_any(&[&pa, &pb, &done], BOUND).expect("waits"), Some(2));
    assert_eq!(done.wait(Duration::ZERO), Err(IdealSendBacklogChangeError::OperationNotSupported));
    assert_eq!(wait_any(&[], SHORT).map_err(|e| e.kind()), Err(std::io::ErrorKind::InvalidInput));
}

/// Drops the request it holds when woken, on the waking thread, and reports that thread.
struct DropOnWake {
    pending: Mutex<Option<Pending<socket2::Socket, (), AddressListChangeError>>>,
    done: Mutex<Option<mpsc::Sender<std::thread::ThreadId>>>,
}

impl Wake for DropOnWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        drop(self.pending.lock().expect("lock").take());
        if let Some(tx) = self.done.lock().expect("lock").take() {
            let _ = tx.send(std::thread::current().id());
        }
    }
}

#[test]
fn a_request_dropped_inside_the_wait_callback_is_cancelled_without_deadlock() {
    use windows_sys::Win32::System::IO::CancelIoEx;
    let socket = fixtures::udp().into_socket();
    let raw = socket.as_raw_socket();
    let pending = address_list_change_overlapped(socket).expect("starts");
    let (tx, rx) = mpsc::channel();
    let waker = Arc::new(DropOnWake { pending: Mutex::new(Some(pending)), done: Mutex::new(Some(tx)) });
    {
        let mut guard = waker.pending.lock().expect("lock");
        let p = guard.as_mut().expect("present");
        let w = Waker::from(Arc::clone(&waker));
        assert!(std::pin::Pin::new(p).poll(&mut Context::from_waker(&w)).is_pending());
    }
    // Complete the request from outside the crate: cancel all I/O on the socket. The wait
    // callback then wakes the waker, which drops the request on the callback's thread.
    #[allow(unsafe_code)]
    // SAFETY: `raw` is the open socket the request holds; a NULL OVERLAPPED cancels its I/O.
    let ok = unsafe { CancelIoEx(raw as _, std::ptr::null()) };
    assert_ne!(ok, 0, "CancelIoEx found the pending request");
    let thread = rx.recv_timeout(BOUND).expect("woken and dropped within the bound");
    assert_ne!(thread, std::thread::current().id(), "dropped on the thread pool's callback thread");
    assert!(waker.pending.lock().expect("lock").is_none());
}

#[test]
fn change_streams_yield_the_current_value_then_end_after_a_change_request_error() {
    if !winsock_ioctl_tests::host::wine_only("the streams end because Wine lacks the change codes; on Windows they wait for changes") {
        return;
    }
    let udp = fixtures::udp();
    let mut s = address_list_change_stream(udp.socket());
    let first = s.next_timeout(Duration::ZERO);
    assert_eq!(first, Some(as_first_item(address_list_query(udp.socket()))));
    assert_eq!(s.next_timeout(SHORT), Some(Ok(WaitOutcome::TimedOut)), "armed, no change");

    // Wine lacks the two other notifications: the current value, then the error, then the end.
    let tcp = fixtures::tcp_connected();
    let mut isb = ideal_send_backlog_change_stream(tcp.socket());
    let now = ideal_send_backlog_query(tcp.socket()).expect("Wine answers for connected TCP");
    runtime().block_on(async {
        assert_eq!(isb.next().await, Some(Ok(now)));
        assert_eq!(isb.next().await, Some(Err(ChangeError::Change(IdealSendBacklogChangeError::OperationNotSupported))));
        assert_eq!(isb.next().await, None);
    });
    let dest: std::net::SocketAddr = "127.0.0.1:9".parse().expect("address");
    let mut route = routing_interface_change_stream(udp.socket(), dest);
    assert_eq!(route.next_timeout(SHORT), Some(Ok(WaitOutcome::Completed(routing_interface_query(udp.socket(), dest).expect("query")))));
    assert_eq!(route.next_timeout(SHORT), Some(Err(ChangeError::Change(RoutingInterfaceChangeError::OperationNotSupported))));
}

#[test]
fn a_change_stream_is_a_futures_stream_and_is_send() {
    fn is_stream<S: futures_core::Stream + Send + Unpin>(_: &S) {}
    let udp = fixtures::udp();
    let s = address_list_change_stream(udp.socket());
    is_stream(&s);
    fn is_send<F: Send>(_: &F) {}
    is_send(&address_list_change_async(udp.socket()));
}

/// What `SO_SNDBUF` reads back after being set to `value` directly (Wine passes it to Linux,
/// which keeps twice the value).
fn send_buffer_read_back(value: u32) -> usize {
    let probe = fixtures::tcp_connected().into_socket();
    probe.set_send_buffer_size(value as usize).expect("set SO_SNDBUF");
    probe.send_buffer_size().expect("get SO_SNDBUF")
}

#[test]
fn the_send_pacer_applies_the_ideal_send_backlog_to_so_sndbuf() {
    if !winsock_ioctl_tests::host::wine_only("pacing stops because Wine cannot report backlog changes; on Windows it waits for them") {
        return;
    }
    let (client, server, _listener) = fixtures::tcp_pair();
    let c = socket2::SockRef::from(&client);
    c.set_send_buffer_size(4096).expect("shrink SO_SNDBUF");
    let isb = ideal_send_backlog_query(&client).expect("Wine answers for connected TCP");
    let mut pacer = SendPacer::new(&client);
    assert!(matches!(pacer.apply_next_timeout(Duration::ZERO), Some(Ok(WaitOutcome::Completed(v))) if v == isb));
    assert_eq!(pacer.applied(), Some(isb));
    assert_eq!(c.send_buffer_size().expect("get SO_SNDBUF"), send_buffer_read_back(isb));
    // Wine cannot report ISB changes, so pacing stops there, with the reason.
    assert!(matches!(
        pacer.apply_next_timeout(SHORT),
        Some(Err(PaceError::Isb(ChangeError::Change(IdealSendBacklogChangeError::OperationNotSupported))))
    ));
    drop(server);
}

#[test]
fn a_paced_std_writer_sets_the_backlog_before_writing_and_keeps_writing() {
    if !winsock_ioctl_tests::host::wine_only("the pace error asserted is Wine's WSAEOPNOTSUPP for SIO_IDEAL_SEND_BACKLOG_CHANGE") {
        return;
    }
    use std::io::{Read, Write};
    let (client, mut server, _listener) = fixtures::tcp_pair();
    socket2::SockRef::from(&client).set_send_buffer_size(4096).expect("shrink SO_SNDBUF");
    let isb = ideal_send_backlog_query(&client).expect("query");
    let mut w = PacedWriter::new(client);
    w.write_all(b"paced").expect("write");
    assert_eq!(w.applied(), Some(isb));
    assert_eq!(socket2::SockRef::from(w.get_ref()).send_buffer_size().expect("get"), send_buffer_read_back(isb));
    assert!(matches!(w.pace_error(), Some(PaceError::Isb(ChangeError::Change(IdealSendBacklogChangeError::OperationNotSupported)))));
    w.write_all(b" on").expect("writes go on unpaced");
    let mut got = [0u8; 8];
    server.read_exact(&mut got).expect("read");
    assert_eq!(&got, b"paced on");
}

#[test]
fn a_paced_tokio_writer_and_a_send_pacer_work_with_tokio_streams() {
    if !winsock_ioctl_tests::host::wine_only("the pace error asserted is Wine's WSAEOPNOTSUPP for SIO_IDEAL_SEND_BACKLOG_CHANGE") {
        return;
    }
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    runtime().block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let client = tokio::net::TcpStream::connect(listener.local_addr().expect("addr")).await.expect("connect");
        let (mut server, _) = listener.accept().await.expect("accept");
        let isb = ideal_send_backlog_query(&client).expect("query");

        // A pacer beside the writes, borrowing the same stream.
        let pacer = SendPacer::new(&client);
        let write = async {
            client.writable().await?;
            client.try_write(b"one ")
        };
        let (written, stopped) = tokio::join!(write, tokio::time::timeout(BOUND, pacer.run()));
        assert_eq!(written.expect("write"), 4);
        assert!(matches!(stopped, Ok(PaceError::Isb(ChangeError::Change(IdealSendBacklogChangeError::OperationNotSupported)))));
        assert_eq!(socket2::SockRef::from(&client).send_buffer_size().expect("get"), send_buffer_read_back(isb));

        let mut paced = PacedWriter::new(client);
        paced.write_all(b"two").await.expect("write");
        assert_eq!(paced.applied(), Some(isb));
        let mut got = [0u8; 7];
        server.read_exact(&mut got).await.expect("read");
        assert_eq!(&got, b"one two");
    });
}

/// Counts wakes, and takes its time in each, so that a drop on another thread overlaps it.
#[derive(Default)]
struct SlowWaker {
    running: std::sync::atomic::AtomicBool,
    woken: std::sync::atomic::AtomicUsize,
}

impl Wake for SlowWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        use std::sync::atomic::Ordering::SeqCst;
        self.running.store(true, SeqCst);
        std::thread::sleep(Duration::from_millis(2));
        self.woken.fetch_add(1, SeqCst);
        self.running.store(false, SeqCst);
    }
}

#[test]
fn a_request_dropped_while_its_wait_callback_runs_on_another_thread_waits_for_the_callback() {
    use std::sync::atomic::Ordering::SeqCst;
    use windows_sys::Win32::System::IO::CancelIoEx;
    let fx = fixtures::udp();
    let raw = fx.socket().as_raw_socket();
    let waker = Arc::new(SlowWaker::default());
    let w = Waker::from(Arc::clone(&waker));
    for _ in 0..100 {
        let mut p = address_list_change_overlapped(fx.socket()).expect("starts");
        assert!(std::pin::Pin::new(&mut p).poll(&mut Context::from_waker(&w)).is_pending());
        // Complete it from outside: the callback starts on a pool thread and sleeps in `wake`
        // while this thread drops the request.
        #[allow(unsafe_code)]
        // SAFETY: `raw` is the fixture's open socket; a NULL OVERLAPPED cancels its I/O.
        unsafe {
            CancelIoEx(raw as _, std::ptr::null())
        };
        drop(p);
        assert!(!waker.running.load(SeqCst), "the drop returned while the callback was still running");
    }
    let woken = waker.woken.load(SeqCst);
    assert!(woken > 0, "no drop overlapped a callback: the test did not exercise the race");
    println!("{woken} of 100 drops came after the callback had started");
}

#[test]
fn each_notification_form_loses_a_select_against_a_timer_or_reports_what_wine_lacks() {
    if !winsock_ioctl_tests::host::wine_only("two of the notification codes fail at once on Wine, and pend on Windows") {
        return;
    }
    let udp = fixtures::udp();
    let tcp = fixtures::tcp_connected();
    let dest: std::net::SocketAddr = "127.0.0.1:9".parse().expect("address");
    runtime().block_on(async {
        let timer = || tokio::time::sleep(SHORT);
        // Wine implements SIO_ADDRESS_LIST_CHANGE: every form pends and the timer wins.
        let p = address_list_change_overlapped(udp.socket()).expect("starts");
        tokio::select! { r = p => panic!("{r:?}"), () = timer() => {} }
        tokio::select! { r = address_list_change_async(udp.socket()) => panic!("{r:?}"), () = timer() => {} }
        let mut s = address_list_change_stream(udp.socket());
        assert!(s.next().await.is_some(), "the current list (or the error reading it)");
        tokio::select! { r = s.next() => panic!("{r:?}"), () = timer() => {} }
        drop(s);
        // Wine lacks the other two: the request side wins with WSAEOPNOTSUPP.
        tokio::select! {
            r = ideal_send_backlog_change_async(tcp.socket()) => assert_eq!(r, Err(IdealSendBacklogChangeError::OperationNotSupported)),
            () = timer() => panic!("Wine fails this at once"),
        }
        tokio::select! {
            r = routing_interface_change_async(udp.socket(), dest) => assert_eq!(r, Err(RoutingInterfaceChangeError::OperationNotSupported)),
            () = timer() => panic!("Wine fails this at once"),
        }
    });
    // Everything that lost was cancelled: the socket takes a new request.
    let mut again = address_list_change_overlapped(udp.socket()).expect("starts");
    assert_eq!(again.wait(SHORT), Ok(WaitOutcome::TimedOut));
}

/// Counts wakes.
#[derive(Default)]
struct CountingWaker(std::sync::atomic::AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Events are reused from request to request, relying on the documented contract that the call
/// which leaves a request pending resets its event. A provider that broke it would leave the
/// event signalled while the request pends; the task must still be woken by the completion.
/// Signalling the event by hand plays that provider.
#[test]
fn a_task_is_woken_by_the_completion_even_after_its_event_was_signalled_early() {
    use std::sync::atomic::Ordering::SeqCst;
    use windows_sys::Win32::System::IO::CancelIoEx;
    use windows_sys::Win32::System::Threading::{ResetEvent, SetEvent};
    let fx = fixtures::udp();
    let waker = Arc::new(CountingWaker::default());
    let w = Waker::from(Arc::clone(&waker));
    let mut cx = Context::from_waker(&w);
    let mut p = address_list_change_overlapped(fx.socket()).expect("starts");
    let woken_after = |n: usize| {
        let start = Instant::now();
        while waker.0.load(SeqCst) < n {
            assert!(start.elapsed() < BOUND, "no wake number {n}");
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    assert!(std::pin::Pin::new(&mut p).poll(&mut cx).is_pending());
    let event = p.as_raw_handle();
    #[allow(unsafe_code)]
    // SAFETY: the request's event, open while `p` lives; signalling it early is the broken
    // provider this test plays.
    unsafe {
        SetEvent(event as _)
    };
    woken_after(1);
    // Still pending: the poll waits again. The event is still signalled, so that wait fires at
    // once; reset it (as the next request of such a provider would not) and wait once more.
    assert!(std::pin::Pin::new(&mut p).poll(&mut cx).is_pending());
    woken_after(2);
    #[allow(unsafe_code)]
    // SAFETY: as above.
    unsafe {
        ResetEvent(event as _)
    };
    assert!(std::pin::Pin::new(&mut p).poll(&mut cx).is_pending());
    // Now the real completion: the cancellation ends the request and signals its event.
    #[allow(unsafe_code)]
    // SAFETY: the fixture's open socket; a NULL OVERLAPPED cancels its I/O.
    unsafe {
        CancelIoEx(fx.socket().as_raw_socket() as _, std::ptr::null())
    };
    woken_after(3);
    let done = std::pin::Pin::new(&mut p).poll(&mut cx);
    assert!(matches!(done, std::task::Poll::Ready(Err(AddressListChangeError::OperationAborted))), "{done:?}");
}

//! Real completions of SIO_ADDRESS_LIST_CHANGE under Wine, which needs addresses to change.
//!
//! `cargo xtask test` runs these tests (they are `#[ignore]`d elsewhere) in a network namespace
//! of their own, with loopback up, a veth pair `wsi0`/`wsi1` without addresses, and a Wine prefix
//! whose wineserver starts in the namespace (see `xtask/src/netns.rs`). A test asks for a change by
//! printing `netns: addr add|del 127.x.y.z/n dev <if>`; xtask carries it out in the namespace.
//! Only loopback-range addresses are used, and every test removes what it added.
//!
//! What Wine 8.0 does there (asserted below):
//! - any IPv4 address added or removed, on any interface (loopback included), completes a
//!   pending request;
//! - SIO_ADDRESS_LIST_QUERY lists one address per non-loopback adapter, `0.0.0.0` for an adapter
//!   without one (Windows lists only addresses a socket can bind to), and leaves loopback out:
//!   a change on `lo` completes the request but the list read afterwards is unchanged.
#![cfg(windows)]

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;
use winsock_ioctl::*;
use winsock_ioctl_tests::exec::{poll_once, runtime};
use winsock_ioctl_tests::fixtures;

/// Long enough for any notification to arrive.
const BOUND: Duration = Duration::from_secs(10);
/// How long to watch for a second, unwanted item after one change.
const SETTLE: Duration = Duration::from_millis(700);

/// Asks xtask to run `ip <change>` in the namespace; the request it completes is waited for by
/// the caller.
fn change(what: &str) {
    println!("netns: {what}");
}

fn addr(s: &str) -> SocketAddr {
    format!("{s}:0").parse().expect("address")
}

fn set(list: &[SocketAddr]) -> BTreeSet<SocketAddr> {
    list.iter().copied().collect()
}

#[test]
#[ignore = "needs a network namespace: cargo xtask test runs it in one"]
fn an_awaited_address_list_change_completes_after_an_address_is_added() {
    let udp = fixtures::udp();
    runtime().block_on(async {
        // The async form, issued by its first poll and then selected against a timer.
        let mut f = Box::pin(address_list_change_async(udp.socket()));
        assert!(poll_once(&mut f).is_pending(), "issued, nothing changed yet");
        change("addr add 127.0.0.11/8 dev wsi0");
        tokio::select! {
            r = &mut f => assert_eq!(r, Ok(())),
            () = tokio::time::sleep(BOUND) => panic!("no completion within {BOUND:?} of the address change"),
        }
        // The `_overlapped` form's Pending, awaited.
        let p = address_list_change_overlapped(udp.socket()).expect("starts");
        change("addr del 127.0.0.11/8 dev wsi0");
        assert_eq!(tokio::time::timeout(BOUND, p).await, Ok(Ok(())));
    });
}

#[test]
#[ignore = "needs a network namespace: cargo xtask test runs it in one"]
fn an_async_request_first_polled_on_a_thread_that_has_exited_still_completes() {
    let udp = fixtures::udp();
    let socket = udp.socket();
    std::thread::scope(|scope| {
        let mut f = scope
            .spawn(|| {
                let mut f = Box::pin(address_list_change_async(socket));
                assert!(poll_once(&mut f).is_pending());
                f
            })
            .join()
            .expect("thread");
        // The thread that issued it has exited; a request it had issued itself would have ended
        // with WSA_OPERATION_ABORTED (see notify.rs).
        change("addr add 127.0.0.12/8 dev wsi1");
        assert_eq!(runtime().block_on(async { tokio::time::timeout(BOUND, &mut f).await }), Ok(Ok(())));
    });
    let mut p = address_list_change_overlapped(udp.socket()).expect("starts");
    change("addr del 127.0.0.12/8 dev wsi1");
    assert_eq!(p.wait(BOUND), Ok(WaitOutcome::Completed(())));
}

#[test]
#[ignore = "needs a network namespace: cargo xtask test runs it in one"]
fn the_address_list_stream_yields_once_per_change_and_the_list_shows_the_change() {
    let udp = fixtures::udp();
    runtime().block_on(async {
        let mut s = address_list_change_stream(udp.socket());
        let next = async |s: &mut ChangeStream<_, Vec<SocketAddr>, _, _>| match tokio::time::timeout(BOUND, s.next()).await {
            Ok(Some(Ok(list))) => set(&list),
            other => panic!("expected the list after a change, got {other:?}"),
        };
        let first = next(&mut s).await;
        assert!(!first.contains(&addr("127.0.0.21")));
        assert!(first.iter().all(|a| a.ip().is_unspecified()), "the veths start without addresses: {first:?}");

        change("addr add 127.0.0.21/8 dev wsi0");
        let added = next(&mut s).await;
        assert!(added.contains(&addr("127.0.0.21")), "{added:?}");
        assert!(tokio::time::timeout(SETTLE, s.next()).await.is_err(), "one item for one change");

        // A loopback address is a change too, but Wine's list leaves loopback adapters out.
        change("addr add 127.0.0.22/8 dev lo");
        assert_eq!(next(&mut s).await, added, "the list does not show loopback addresses");
        assert!(tokio::time::timeout(SETTLE, s.next()).await.is_err(), "one item for one change");

        change("addr del 127.0.0.21/8 dev wsi0");
        assert_eq!(next(&mut s).await, first);
        change("addr del 127.0.0.22/8 dev lo");
        assert_eq!(next(&mut s).await, first);
    });
}

#[test]
#[ignore = "needs a network namespace: cargo xtask test runs it in one"]
fn the_blocking_forms_with_a_timeout_see_each_change() {
    let udp = fixtures::udp();
    let mut p = address_list_change_overlapped(udp.socket()).expect("starts");
    assert_eq!(p.wait(Duration::from_millis(300)), Ok(WaitOutcome::TimedOut));
    change("addr add 127.0.0.31/8 dev wsi1");
    assert_eq!(p.wait(BOUND), Ok(WaitOutcome::Completed(())));

    let mut s = address_list_change_stream(udp.socket());
    let Some(Ok(WaitOutcome::Completed(now))) = s.next_timeout(Duration::ZERO) else { panic!("the current list at once") };
    assert!(set(&now).contains(&addr("127.0.0.31")), "{now:?}");
    assert_eq!(s.next_timeout(Duration::from_millis(300)), Some(Ok(WaitOutcome::TimedOut)));
    change("addr del 127.0.0.31/8 dev wsi1");
    match s.next_timeout(BOUND) {
        Some(Ok(WaitOutcome::Completed(after))) => assert!(!set(&after).contains(&addr("127.0.0.31")), "{after:?}"),
        other => panic!("expected the list after the change, got {other:?}"),
    }
    assert_eq!(s.next_timeout(SETTLE), Some(Ok(WaitOutcome::TimedOut)), "one item for one change");
}

#[test]
#[ignore = "needs a network namespace: cargo xtask test runs it in one"]
fn wait_any_returns_the_request_that_a_change_completed() {
    let v4 = fixtures::udp();
    let tcp = fixtures::tcp_unconnected();
    let a = address_list_change_overlapped(v4.socket()).expect("starts");
    let b = address_list_change_overlapped(tcp.socket()).expect("starts");
    assert_eq!(wait_any(&[&a, &b], Duration::from_millis(300)).expect("waits"), None);
    change("addr add 127.0.0.41/8 dev wsi0");
    let first = wait_any(&[&a, &b], BOUND).expect("waits").expect("a change completes a request");
    assert!(first < 2);
    // Both watch IPv4: both complete.
    assert_eq!(wait_any(&[[&a, &b][1 - first]], BOUND).expect("waits"), Some(0));
    let mut c = address_list_change_overlapped(v4.socket()).expect("starts");
    change("addr del 127.0.0.41/8 dev wsi0");
    assert_eq!(c.wait(BOUND), Ok(WaitOutcome::Completed(())));
}

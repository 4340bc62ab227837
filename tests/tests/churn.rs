//! The drop-and-cancel churn (`tests/src/churn.rs`), alone in its test binary: it reads the
//! process's handle count and committed memory, which tests running beside it in the same
//! process would move. 500 cycles by default; `WINSOCK_IOCTL_CHURN` sets another count (the
//! README has the 10,000-cycle command).
#![cfg(windows)]

#[test]
fn churn_of_start_and_every_way_of_ending_leaks_nothing() {
    let cycles = std::env::var("WINSOCK_IOCTL_CHURN").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let report = winsock_ioctl_tests::churn::run(cycles);
    println!("{report}");
    report.assert_bounded();
}

//! The notification test in a network namespace of its own (`tests/tests/netns.rs`).
//!
//! Wine's server completes SIO_ADDRESS_LIST_CHANGE when the host's addresses change, so the test
//! needs addresses it may change without touching the machine's network. This module:
//! 1. makes a namespace (`unshare --net`) with loopback up and a veth pair `wsi0`/`wsi1`;
//! 2. runs the test binary in it, with a Wine prefix of its own so that the prefix's wineserver
//!    starts inside the namespace;
//! 3. carries out the changes the test asks for: the test prints `netns: addr add|del
//!    127.x.y.z/n dev <wsi0|wsi1|lo>` and waits for the notification, and this module runs that
//!    `ip` command in the namespace (`nsenter`). Only loopback-range addresses are accepted;
//! 4. stops the prefix's wineserver. The namespace ends with its last process.

use crate::testcmd::Counts;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The interfaces the namespace has besides `lo`.
pub const VETH: [&str; 2] = ["wsi0", "wsi1"];

/// Checks a request from the test and returns the arguments for `ip`.
pub fn parse_step(line: &str) -> Option<Result<Vec<String>, String>> {
    // The test harness may have printed `test name ... ` on the same line first.
    let rest = &line[line.find("netns: ")? + "netns: ".len()..];
    let words: Vec<&str> = rest.split_whitespace().collect();
    let ok = match words.as_slice() {
        ["addr", "add" | "del", addr, "dev", dev] => {
            let ip = addr.split_once('/').and_then(|(a, n)| n.parse::<u8>().ok().filter(|n| (8..=32).contains(n)).map(|_| a));
            ip.and_then(|a| a.parse::<std::net::Ipv4Addr>().ok()).is_some_and(|a| a.is_loopback()) && (VETH.contains(dev) || *dev == "lo")
        }
        _ => false,
    };
    Some(if ok {
        Ok(words.iter().map(|w| (*w).to_owned()).collect())
    } else {
        Err(format!("the netns test asked for `{rest}`; only `addr add|del 127.x.y.z/n dev wsi0|wsi1|lo` is carried out"))
    })
}

/// Whether this machine lets us make a network namespace; `Err` says why not, in one line.
pub fn available() -> Result<(), String> {
    let out = Command::new("unshare").args(["--net", "true"]).output().map_err(|e| format!("cannot run `unshare`: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "network namespaces are not available here (`unshare --net true`: {}); the notification test needs one, which needs root or unprivileged user namespaces",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Runs the namespace test; the cargo command is built by the caller (the same test flags as
/// the Wine suite, plus `--test netns -- --ignored --test-threads=1 --nocapture`).
pub fn run(root: &Path, cargo_args: &[&str]) -> Result<Counts, String> {
    available()?;
    let prefix = crate::setup::netns_wine_prefix(root);
    // A server of this prefix left running outside the namespace would answer the test instead.
    crate::setup::stop_wineserver(&prefix);
    let ip = crate::setup::ip_command().unwrap_or("ip");
    let setup = format!(
        "{{ {ip} link set lo up && {ip} link add {a} type veth peer name {b} && {ip} link set {a} up && {ip} link set {b} up; }} \
         || {{ echo 'xtask: could not set up the namespace (lo up, veth pair {a}/{b}): the kernel needs veth' >&2; exit 1; }}; \
         exec \"$0\" \"$@\"",
        a = VETH[0],
        b = VETH[1]
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new("unshare");
    cmd.current_dir(root)
        .args(["--net", "--", "sh", "-c", &setup])
        .arg(&cargo)
        .args(cargo_args)
        .env("WINSOCK_IOCTL_WINEPREFIX", &prefix)
        // Everything is built and fetched by now; the namespace has no route out anyway.
        .env("CARGO_NET_OFFLINE", "true")
        .stdout(Stdio::piped());
    eprintln!("xtask: running {cmd:?}");
    let mut child = cmd.spawn().map_err(|e| format!("unshare: {e}"))?;
    let netns = format!("--net=/proc/{}/ns/net", child.id());
    let mut counts = Counts::default();
    let mut failure = None;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_line(&line);
            match parse_step(&line) {
                None => {}
                Some(Err(e)) => failure = failure.or(Some(e)),
                Some(Ok(args)) => {
                    let status = Command::new("nsenter").arg(&netns).arg(ip).args(&args).status();
                    if !status.as_ref().is_ok_and(|s| s.success()) {
                        failure = failure.or(Some(format!("`ip {}` in the namespace failed: {status:?}", args.join(" "))));
                    }
                }
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string());
    crate::setup::stop_wineserver(&prefix);
    if let Some(f) = failure {
        return Err(f);
    }
    match status? {
        s if s.success() => Ok(counts),
        s => Err(format!("the network-namespace test failed ({s})")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_step;

    #[test]
    fn only_loopback_range_address_changes_on_the_namespace_interfaces_are_carried_out() {
        assert_eq!(parse_step("test foo ... ok"), None);
        let ok = parse_step("netns: addr add 127.0.0.6/8 dev wsi0").expect("a step").expect("allowed");
        assert_eq!(ok, ["addr", "add", "127.0.0.6/8", "dev", "wsi0"]);
        assert!(parse_step("netns: addr del 127.1.2.3/32 dev lo").expect("a step").is_ok());
        assert!(parse_step("test a_test ... netns: addr add 127.0.0.6/8 dev wsi1").expect("a step").is_ok());
        for bad in [
            "netns: addr add 10.0.0.1/8 dev wsi0",
            "netns: addr add 127.0.0.6/8 dev eth0",
            "netns: addr add 127.0.0.6 dev wsi0",
            "netns: link set wsi0 down",
            "netns: addr add 127.0.0.6/8 dev wsi0; reboot",
        ] {
            assert!(parse_step(bad).expect("a step").is_err(), "{bad}");
        }
    }
}

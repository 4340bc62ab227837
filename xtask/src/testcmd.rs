//! `cargo xtask test`: set-up, then the host tests, a short run of the fuzz targets, the header check, `cargo check` of the
//! bindings for the other Windows targets, and the Wine suite; ends with a summary of counts.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use winsock_ioctl_codegen::ir::Ir;

/// Totals parsed from cargo's `test result:` lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Passed tests.
    pub passed: u64,
    /// Failed tests.
    pub failed: u64,
    /// Ignored tests.
    pub ignored: u64,
}

impl Counts {
    /// Adds the numbers from one `test result: ok. 3 passed; 0 failed; 1 ignored; …` line.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { return };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(n), Some(what)) = (words.next(), words.next())
                && let Ok(n) = n.parse::<u64>()
            {
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.ignored += n,
                    _ => {}
                }
            }
        }
    }
}

/// The cargo that runs xtask (`CARGO`), or `cargo` on PATH.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a cargo test command, streaming its output and counting results.
fn cargo_test(root: &Path, args: &[&str]) -> Result<Counts, String> {
    let mut cmd = cargo();
    cmd.current_dir(root).arg("test").args(args).stdout(Stdio::piped());
    eprintln!("xtask: running {cmd:?}");
    let mut child = cmd.spawn().map_err(|e| format!("cargo test: {e}"))?;
    let mut counts = Counts::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_line(&line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() { Ok(counts) } else { Err(format!("`cargo test {}` failed ({status})", args.join(" "))) }
}

/// The namespace test: its `#[ignore]`d tests, one at a time, with their output as it comes (the
/// steps they ask for are read from it).
const NETNS_TEST: [&str; 11] = [
    "test",
    "--target",
    "x86_64-pc-windows-gnu",
    "-p",
    "winsock-ioctl-tests",
    "--test",
    "netns",
    "--",
    "--ignored",
    "--test-threads=1",
    "--nocapture",
];

/// Runs everything; `Err` names the phase that failed.
pub fn run(root: &Path) -> Result<(), String> {
    crate::setup::all(root)?;

    let host = cargo_test(root, &["--workspace"])?;
    let taplo_files = taplo_check(root)?;
    println!("taplo: {taplo_files} files of metadata/ valid against metadata/schema/");

    // The fuzz targets, briefly, each from its seeds alone (`cargo xtask fuzz` runs them longer).
    let started = std::time::Instant::now();
    let fuzz = crate::fuzz::run(root, crate::fuzz::TEST_SECONDS, &crate::fuzz::TARGETS, crate::fuzz::Corpus::Fresh)?;
    print!("{}", crate::fuzz::summary(&fuzz));
    println!("fuzz: the step took {:.0?} (tools, build and runs)", started.elapsed());
    let fuzz_execs: u64 = fuzz.iter().map(|(_, s)| s.execs).sum();

    let ir = crate::headers::load_ir(root)?;
    let headers = crate::headers::check(&ir)?;
    println!(
        "headers: {} values and {} layouts agree with mingw-w64 (not defined there: {})",
        headers.values_checked,
        headers.layouts_checked,
        if headers.missing.is_empty() { "none".to_owned() } else { headers.missing.join(", ") }
    );
    let (table, sources_rows) = sources_table(root, &ir, &headers.values)?;
    print!("{table}");
    println!("{}", struct_coverage(&ir, &headers.missing));

    // Every code on the other targets; and, for the Wine target, no code at all and one code
    // without the overlapped forms (the cfgs of the shared parts must hold for any selection).
    let checks = [
        ("x86_64-pc-windows-msvc", "winsock-ioctl/full"),
        ("i686-pc-windows-gnu", "winsock-ioctl/full"),
        ("aarch64-pc-windows-msvc", "winsock-ioctl/full"),
        ("x86_64-pc-windows-gnu", ""),
        ("x86_64-pc-windows-gnu", "winsock-ioctl/SIO_ADDRESS_LIST_CHANGE"),
    ];
    for (target, features) in checks {
        let mut cmd = cargo();
        cmd.current_dir(root).args([
            "check",
            "--quiet",
            "-p",
            "winsock-ioctl-sys",
            "-p",
            "winsock-ioctl",
            "-p",
            "downstream",
            "--target",
            target,
        ]);
        if !features.is_empty() {
            cmd.args(["--features", features]);
        }
        crate::setup::run(&mut cmd).map_err(|e| format!("cargo check for {target} with features [{features}] failed: {e}"))?;
    }

    // One style for the handwritten code (rustfmt.toml); generated files opt out of rustfmt.
    let mut cmd = cargo();
    cmd.current_dir(root).args(["fmt", "--all", "--check"]);
    crate::setup::run(&mut cmd).map_err(|e| format!("`cargo fmt --all` would change files: {e}"))?;

    // Lints, denied: the host workspace, then the Windows target (every code, and no code).
    let lints: [&[&str]; 3] = [
        &["clippy", "--quiet", "--workspace", "--all-targets"],
        &[
            "clippy",
            "--quiet",
            "--target",
            "x86_64-pc-windows-gnu",
            "--workspace",
            "--all-targets",
            "--exclude",
            "xtask",
            "--exclude",
            "winsock-ioctl-codegen",
            "--exclude",
            "codegen-harness",
        ],
        &["clippy", "--quiet", "--target", "x86_64-pc-windows-gnu", "-p", "winsock-ioctl"],
    ];
    for args in lints {
        let mut cmd = cargo();
        cmd.current_dir(root).args(args).args(["--", "-D", "warnings"]);
        crate::setup::run(&mut cmd).map_err(|e| format!("clippy found problems: {e}"))?;
    }

    // The GitHub workflows: valid against GitHub's workflow schema, and clean of zizmor's findings.
    let workflows = workflow_files(root)?;
    let linters = crate::setup::workflow_linters_dir(root);
    crate::setup::run(
        Command::new(linters.join("bin/check-jsonschema"))
            .env("PYTHONPATH", &linters)
            .args(["--builtin-schema", "vendor.github-workflows"])
            .args(&workflows),
    )
    .map_err(|e| format!("a workflow does not fit GitHub's schema: {e}"))?;
    crate::setup::run(Command::new(linters.join("bin/zizmor")).arg("--offline").args(&workflows))
        .map_err(|e| format!("zizmor found problems in a workflow: {e}"))?;

    // The published crates with the oldest compiler they claim to support, every feature on,
    // for the host and for Windows (their own target directory: another compiler's artefacts).
    let msrv = crate::setup::msrv(root)?;
    for target in [None, Some("x86_64-pc-windows-gnu")] {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(root)
            .arg(format!("+{msrv}"))
            .args([
                "check",
                "--quiet",
                "-p",
                "winsock-ioctl-sys",
                "-p",
                "winsock-ioctl",
                "--features",
                "winsock-ioctl/full,winsock-ioctl/tokio",
            ])
            .args(target.map(|t| ["--target", t]).into_iter().flatten())
            .env("CARGO_TARGET_DIR", root.join("target/msrv"));
        crate::setup::run(&mut cmd).map_err(|e| format!("the published crates do not build with Rust {msrv}, their rust-version: {e}"))?;
    }

    // Both crates as crates.io would receive them: packaged (README and licences included),
    // and the packages built (the safe crate against the packaged sys crate).
    let mut cmd = cargo();
    cmd.current_dir(root).args(["publish", "--dry-run", "--allow-dirty", "--quiet", "-p", "winsock-ioctl-sys", "-p", "winsock-ioctl"]);
    crate::setup::run(&mut cmd)?;

    let wine = cargo_test(
        root,
        &[
            "--target",
            "x86_64-pc-windows-gnu",
            "-p",
            "winsock-ioctl-tests",
            "-p",
            "winsock-ioctl",
            "-p",
            "winsock-ioctl-sys",
            "-p",
            "downstream",
            "--lib",
            "--tests",
        ],
    );
    crate::setup::stop_wineserver(&crate::setup::wine_prefix(root));
    let wine = wine?;

    // The completions that need an address change, in a network namespace of their own.
    let netns = crate::netns::run(root, &NETNS_TEST)?;

    println!(
        "\nsummary: host {} passed, {} failed, {} ignored; taplo {} files; fuzz {} executions over {} targets, no crash; wine {} passed, {} failed, {} ignored; wine in a network namespace {} passed; headers {} values, {} layouts; three sources: {} values; cargo check: 3 targets with every code, 2 selections; rustfmt clean; clippy clean; workflows linted; MSRV {} checked; publish dry-run: 2 crates",
        host.passed,
        host.failed,
        host.ignored,
        taplo_files,
        fuzz_execs,
        fuzz.len(),
        wine.passed,
        wine.failed,
        wine.ignored,
        netns.passed,
        headers.values_checked,
        headers.layouts_checked,
        sources_rows,
        msrv
    );
    Ok(())
}

/// Checks `metadata/` with taplo and `.taplo.toml`, as an editor does, and returns how many files
/// there are. First makes sure this taplo applies the schemas at all: a spec with a misspelt
/// value, given on standard input with the code schema, must fail.
fn taplo_check(root: &Path) -> Result<usize, String> {
    let taplo = crate::setup::taplo_bin(root);
    let code_schema = winsock_ioctl_codegen::schema::FILES.iter().find(|f| f.root == "CodeSpec").expect("the code schema");
    let schema = root.join(code_schema.path);
    let spec = std::fs::read_to_string(root.join("metadata/codes/FIONREAD.toml")).map_err(|e| format!("FIONREAD.toml: {e}"))?;
    let wrong = spec.replacen("wine_support = \"", "wine_support = \"no_such_", 1);
    let mut probe = Command::new(&taplo)
        .current_dir(root)
        .args(["check", "--no-auto-config", "--colors", "never", "--schema"])
        .arg(format!("file://{}", schema.display()))
        .arg("-")
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", taplo.display()))?;
    probe.stdin.take().expect("piped").write_all(wrong.as_bytes()).map_err(|e| e.to_string())?;
    if probe.wait().map_err(|e| e.to_string())?.success() {
        return Err("taplo accepted a spec with a misspelt `wine_support`: it does not apply metadata/schema/".into());
    }
    let mut check = Command::new(&taplo);
    check.current_dir(root).args(["check", "--colors", "never", "metadata/**/*.toml"]).env("RUST_LOG", "warn");
    crate::setup::run(&mut check).map_err(|e| format!("taplo found problems in metadata/: {e}"))?;
    let codes = std::fs::read_dir(root.join("metadata/codes")).map_err(|e| e.to_string())?.count();
    Ok(codes + 2)
}

/// `cargo xtask test-netns`: only the network-namespace test (after the set-up).
pub fn run_netns(root: &Path) -> Result<(), String> {
    crate::setup::all(root)?;
    let counts = crate::netns::run(root, &NETNS_TEST)?;
    println!("\nsummary: wine in a network namespace {} passed, {} failed", counts.passed, counts.failed);
    Ok(())
}

/// The three-source coverage table, or the disagreements as an error.
fn sources_table(root: &Path, ir: &Ir, mingw: &std::collections::BTreeMap<String, i128>) -> Result<(String, usize), String> {
    let (rows, ws_version) = crate::sources::check(root, ir, mingw)?;
    if let Some(d) = crate::sources::disagreements(&rows) {
        return Err(format!("the sources disagree with the specs:\n{d}"));
    }
    Ok((crate::sources::table(&rows, &ws_version), rows.len()))
}

/// Which sources each struct's layout is checked against.
fn struct_coverage(ir: &Ir, mingw_missing: &[String]) -> String {
    let structs = &ir.ffi.structs;
    let mingw = structs.iter().filter(|s| !mingw_missing.contains(&s.name)).count();
    let metadata = structs.iter().filter(|s| s.source == winsock_ioctl_codegen::ir::FfiSource::Win32metadata).count();
    let ws: Vec<&str> = structs.iter().filter(|s| s.windows_sys.is_none()).map(|s| s.name.as_str()).collect();
    format!(
        "{} struct layouts: mingw-w64 {mingw} (bindgen probe), Win32 metadata {metadata} (compile-time asserts in layouts.rs), windows-sys {} (tests/tests/generated_windows_sys.rs; absent there: {})",
        structs.len(),
        structs.len() - ws.len(),
        if ws.is_empty() { "none".to_owned() } else { ws.join(", ") }
    )
}

/// `cargo xtask check-sources`: the mingw-w64 probe, then the three-source table.
pub fn check_sources(root: &Path) -> Result<String, String> {
    let ir = crate::headers::load_ir(root)?;
    let headers = crate::headers::check(&ir)?;
    let (table, _) = sources_table(root, &ir, &headers.values)?;
    Ok(format!("{table}{}\n", struct_coverage(&ir, &headers.missing)))
}

/// The workflow files under `.github/workflows/`, sorted.
fn workflow_files(root: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let dir = root.join(".github/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no workflow in {}", dir.display()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn counts_add_up_cargo_result_lines() {
        let mut c = Counts::default();
        c.add_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        c.add_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s");
        c.add_line("running 3 tests");
        assert_eq!(c, Counts { passed: 15, failed: 2, ignored: 1 });
    }
}

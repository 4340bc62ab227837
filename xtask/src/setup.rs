//! Installs what the test run needs on a fresh Debian machine: rustup targets, rustfmt and clippy, the
//! Debian packages (mingw-w64, Wine, libclang, iproute2), the `ProcessPrng` stand-in DLL for
//! Wine, and taplo (from PyPI).
//! Each step is skipped when its result is already present.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Targets the bindings are checked for, plus the one the Wine suite runs.
pub const TARGETS: &[&str] = &["x86_64-pc-windows-gnu", "x86_64-pc-windows-msvc", "i686-pc-windows-gnu", "aarch64-pc-windows-msvc"];

/// Debian packages: the mingw-w64 linker, Wine 8, libclang for bindgen, and `ip` for the
/// network-namespace test (`unshare` and `nsenter` are in util-linux, which Debian always has).
pub const PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "wine64", "libclang-dev", "iproute2"];

/// Where the stand-in DLL goes (the Wine runner puts this on `WINEPATH`).
pub fn shim_dir(root: &Path) -> PathBuf {
    root.join("target/wine/shim")
}

/// The Wine prefix the runner uses.
pub fn wine_prefix(root: &Path) -> PathBuf {
    root.join("target/wine/prefix")
}

/// The Wine prefix of the network-namespace test: its own, so that its wineserver starts inside
/// the namespace (a program talks to its prefix's server, and the server is what sees the
/// network).
pub fn netns_wine_prefix(root: &Path) -> PathBuf {
    root.join("target/wine/netns-prefix")
}

fn on_path(cmd: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
}

/// Runs `cmd`, saying so first; `Err` names it and how it ended.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed with {status}")) }
}

fn output(cmd: &mut Command) -> Option<String> {
    cmd.output().ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// `rustup target add` for missing targets, `rustup component add rustfmt` (windows-bindgen
/// formats its output with rustfmt) and `clippy` (the test run lints with it).
pub fn rust_toolchain() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    let missing: Vec<&str> = TARGETS.iter().copied().filter(|t| !installed.lines().any(|l| l.trim() == *t)).collect();
    if !missing.is_empty() {
        run(Command::new("rustup").args(["target", "add"]).args(&missing))?;
    }
    if output(Command::new("rustfmt").arg("--version")).is_none() {
        run(Command::new("rustup").args(["component", "add", "rustfmt"]))?;
    }
    if output(Command::new("cargo").args(["clippy", "--version"])).is_none() {
        run(Command::new("rustup").args(["component", "add", "clippy"]))?;
    }
    Ok(())
}

/// The published crates' minimum Rust: `rust-version` in the workspace's `Cargo.toml`.
pub fn msrv(root: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \"")?.strip_suffix('"').map(str::to_owned))
        .ok_or_else(|| "Cargo.toml states no `rust-version`".to_owned())
}

/// That toolchain, minimal, with the Windows target the crates are checked for.
fn msrv_toolchain(root: &Path) -> Result<(), String> {
    let v = msrv(root)?;
    let has = output(Command::new("rustup").args(["target", "list", "--installed", "--toolchain", &v]))
        .is_some_and(|t| t.lines().any(|l| l.trim() == "x86_64-pc-windows-gnu"));
    if !has {
        run(Command::new("rustup").args(["toolchain", "install", &v, "--profile", "minimal", "--target", "x86_64-pc-windows-gnu"]))?;
    }
    Ok(())
}

fn have_libclang() -> bool {
    crate::headers::clang_include().is_some()
        && ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"]
            .iter()
            .any(|d| std::fs::read_dir(d).is_ok_and(|rd| rd.flatten().any(|e| e.file_name().to_string_lossy().starts_with("libclang"))))
}

/// Stops the wineserver of `prefix`, if the prefix exists (the server outlives the last program
/// by a few seconds, and a test run leaves no process behind).
pub fn stop_wineserver(prefix: &Path) {
    if prefix.exists() {
        let server = ["/usr/lib/wine/wineserver64", "/usr/lib/wine/wineserver"].into_iter().find(|p| Path::new(p).exists());
        let _ = Command::new(server.unwrap_or("wineserver")).arg("-k").env("WINEPREFIX", prefix).status();
    }
}

/// iproute2's `ip`, which the network-namespace test needs.
pub fn ip_command() -> Option<&'static str> {
    ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].into_iter().find(|p| Path::new(p).is_file())
}

/// The Wine loader to run 64-bit programs with.
pub fn wine_loader() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/lib/wine/wine64");
    if debian.is_file() {
        return Some(debian);
    }
    ["wine64", "wine"].iter().find(|c| on_path(c)).map(PathBuf::from)
}

/// Installs the Debian packages if any of their files is missing (as root, or with passwordless sudo).
pub fn debian_packages() -> Result<(), String> {
    let ok = on_path("x86_64-w64-mingw32-gcc")
        && wine_loader().is_some()
        && ip_command().is_some()
        && have_libclang()
        && Path::new(crate::headers::MINGW_INCLUDE).join("winsock2.h").exists();
    if ok {
        return Ok(());
    }
    let root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let sudo = !root && Command::new("sudo").args(["-n", "true"]).status().is_ok_and(|s| s.success());
    if !root && !sudo {
        return Err(format!("missing Debian packages; run as root: apt-get update && apt-get install -y {}", PACKAGES.join(" ")));
    }
    let apt = |args: &[&str]| {
        let mut c = if root { Command::new("apt-get") } else { Command::new("sudo") };
        if !root {
            c.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        }
        c.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        run(&mut c)
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q"];
    install.extend(PACKAGES);
    apt(&install)
}

/// Builds `bcryptprimitives.dll` from `xtask/shim/bcryptprimitives.c` unless it is up to date.
pub fn wine_shim(root: &Path) -> Result<(), String> {
    let src = root.join("xtask/shim/bcryptprimitives.c");
    let dir = shim_dir(root);
    let dll = dir.join("bcryptprimitives.dll");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(s), Some(d)) = (modified(&src), modified(&dll))
        && d >= s
    {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    run(Command::new("x86_64-w64-mingw32-gcc").args(["-shared", "-O2", "-s", "-o"]).arg(&dll).arg(&src).arg("-ladvapi32"))
}

/// The workflow linters, from PyPI, at these versions: check-jsonschema (with the GitHub workflow
/// schema it ships, so no download at run time) and zizmor (GitHub Actions' security audits,
/// run offline).
pub const WORKFLOW_LINTERS: &[&str] = &["check-jsonschema==0.33.0", "zizmor==1.32.0"];

/// Where they are installed: a `pip install --target` folder of this checkout.
pub fn workflow_linters_dir(root: &Path) -> PathBuf {
    root.join("target/tools/workflow-lint")
}

/// Installs the workflow linters unless this exact set is there already.
fn workflow_linters(root: &Path) -> Result<(), String> {
    let dir = workflow_linters_dir(root);
    let stamp = dir.join("installed.txt");
    let want = WORKFLOW_LINTERS.join("\n");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == want) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    run(Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-warn-script-location", "--target"])
        .arg(&dir)
        .args(WORKFLOW_LINTERS))?;
    std::fs::write(&stamp, want).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// The taplo that `cargo xtask test` checks `metadata/` with, as editors do: PyPI's `taplo`
/// package, a wheel holding the prebuilt binary (4.5 MB), installed with pip into `target/taplo`.
pub const TAPLO_VERSION: &str = "0.9.3";

/// taplo's binary.
pub fn taplo_bin(root: &Path) -> PathBuf {
    root.join("target/taplo/bin/taplo")
}

/// Installs [`TAPLO_VERSION`] of taplo unless it is there.
pub fn taplo(root: &Path) -> Result<(), String> {
    let bin = taplo_bin(root);
    if output(Command::new(&bin).arg("--version")).is_some_and(|v| v.split_whitespace().nth(1) == Some(TAPLO_VERSION)) {
        return Ok(());
    }
    let dir = root.join("target/taplo");
    let _ = std::fs::remove_dir_all(&dir);
    run(Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target"])
        .arg(&dir)
        .arg(format!("taplo=={TAPLO_VERSION}")))
    .map_err(|e| format!("{e}\n(taplo comes from PyPI: python3 with pip is needed)"))
}

/// Everything above, in order.
pub fn all(root: &Path) -> Result<(), String> {
    rust_toolchain()?;
    msrv_toolchain(root)?;
    debian_packages()?;
    workflow_linters(root)?;
    wine_shim(root)?;
    taplo(root)
}

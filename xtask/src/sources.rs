//! The values of every control code and WSA error code, checked against sources that do not
//! derive from each other:
//! 1. the mingw-w64 headers (through bindgen, in [`crate::headers`]);
//! 2. Microsoft's Win32 metadata, the winmd that windows-bindgen reads;
//! 3. the windows-sys crate's source, as published on crates.io.
//!
//! A source that lacks a name is reported as absent, never as agreeing; a value that differs
//! fails the check with the spec's file. Struct layouts are checked against (1) by
//! `headers.rs`, against (2) at compile time by the sys crate, whose structs windows-bindgen
//! writes from the metadata and whose `layouts.rs` asserts every size and offset, and against
//! (3) by the generated test `tests/tests/generated_windows_sys.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use winsock_ioctl_codegen::ir::Ir;

/// What one source says about one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The source has the name with the spec's value.
    Agrees,
    /// The source does not define the name.
    Absent,
    /// The source has another value.
    Disagrees(i128),
}

/// One row of the coverage table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Constant name.
    pub name: String,
    /// The spec's value.
    pub spec: i128,
    /// The spec file (or catalogue) the value comes from.
    pub file: String,
    /// mingw-w64, Win32 metadata, windows-sys.
    pub verdicts: [Verdict; 3],
}

/// Source names, in the table's column order.
pub const SOURCES: [&str; 3] = ["mingw-w64", "Win32 metadata", "windows-sys"];

fn verdict(values: &BTreeMap<String, i128>, name: &str, want: i128) -> Verdict {
    match values.get(name) {
        None => Verdict::Absent,
        // Sources type control codes as i32 or u32: compare the 32 bits.
        Some(v) if (*v as u32) == (want as u32) => Verdict::Agrees,
        Some(v) => Verdict::Disagrees(*v),
    }
}

/// Parses every `pub const NAME: TYPE = VALUE;` with an integer value in Rust source, such as
/// `pub const SIO_KEEPALIVE_VALS: u32 = 2550136836u32;` (windows-sys) or
/// `pub const FIONREAD: i32 = 1074030207;` (windows-bindgen), possibly wrapped over lines.
pub fn rust_consts(text: &str) -> BTreeMap<String, i128> {
    let mut out = BTreeMap::new();
    for item in text.split(';') {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(rest) = item.split("pub const ").nth(1) else { continue };
        let Some((name, tail)) = rest.split_once(':') else { continue };
        let Some(v) = tail.split('=').nth(1) else { continue };
        let v = v.trim();
        let digits: String = v.chars().take_while(|c| *c == '-' || c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<i128>() {
            out.insert(name.trim().to_owned(), n);
        }
    }
    out
}

/// The values Microsoft's metadata gives for `names`, through windows-bindgen. A name the
/// metadata lacks makes windows-bindgen stop with "not found: `NAME`"; such names are dropped
/// and the run repeated.
pub fn metadata_values(root: &Path, names: &[String]) -> Result<(BTreeMap<String, i128>, Vec<String>), String> {
    let scratch = root.join("target/xtask");
    fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let out = scratch.join("sources-metadata.rs");
    let out_str = out.to_str().ok_or("non-UTF-8 target path")?.to_owned();
    let mut missing: Vec<String> = Vec::new();
    loop {
        let mut args: Vec<String> = ["--in", "default", "--out", &out_str, "--sys", "--flat", "--filter"].map(String::from).to_vec();
        args.extend(names.iter().filter(|n| !missing.contains(n)).cloned());
        match crate::generate::run_windows_bindgen(&args) {
            Ok(()) => break,
            Err(msg) => {
                let name = msg.split('`').nth(1).map(str::to_owned);
                match name {
                    Some(n) if msg.contains("not found") && names.contains(&n) && !missing.contains(&n) => missing.push(n),
                    _ => return Err(format!("windows-bindgen failed: {msg}")),
                }
            }
        }
    }
    let text = fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok((rust_consts(&text), missing))
}

/// The directory of the windows-sys package in the lock file (its source, as cargo downloaded it).
fn windows_sys_dir(root: &Path) -> Result<(String, PathBuf), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // Every package's `"manifest_path":".../windows-sys-0.61.2/Cargo.toml"`; the newest wins.
    let mut found: Option<(String, PathBuf)> = None;
    for path in text.split("\"manifest_path\":\"").skip(1).filter_map(|r| r.split('"').next()) {
        let dir = PathBuf::from(path).parent().map(Path::to_path_buf).unwrap_or_default();
        let Some(version) = dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_prefix("windows-sys-")) else { continue };
        let version = version.to_owned();
        if found.as_ref().is_none_or(|(v, _)| version_key(&version) > version_key(v)) {
            found = Some((version, dir));
        }
    }
    found.ok_or_else(|| "windows-sys is not in the lock file".to_owned())
}

fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Every integer constant of windows-sys's Win32 networking and system modules.
pub fn windows_sys_values(root: &Path) -> Result<(String, BTreeMap<String, i128>), String> {
    let (version, dir) = windows_sys_dir(root)?;
    let mut values = BTreeMap::new();
    for module in ["Win32/Networking/WinSock", "Win32/Foundation", "Win32/Devices/Bluetooth"] {
        let file = dir.join("src/Windows").join(module).join("mod.rs");
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        values.extend(rust_consts(&text));
    }
    Ok((version, values))
}

/// Compares every control code and error code of `ir` with the three sources.
pub fn check(root: &Path, ir: &Ir, mingw: &BTreeMap<String, i128>) -> Result<(Vec<Row>, String), String> {
    let mut wanted: Vec<(String, i128, String)> = ir
        .codes
        .iter()
        .flat_map(|c| {
            let file = format!("metadata/codes/{}.toml", c.name);
            std::iter::once(c.name.clone())
                .chain(c.aliases.iter().map(|a| a.0.clone()))
                .map(move |n| (n, i128::from(c.value), file.clone()))
        })
        .collect();
    wanted.extend(ir.catalogue.iter().map(|e| (e.name.clone(), i128::from(e.value), "metadata/errors.toml".to_owned())));
    let names: Vec<String> = wanted.iter().map(|w| w.0.clone()).collect();
    let (meta, _) = metadata_values(root, &names)?;
    let (ws_version, ws) = windows_sys_values(root)?;
    let rows: Vec<Row> = wanted
        .into_iter()
        .map(|(name, spec, file)| Row {
            verdicts: [verdict(mingw, &name, spec), verdict(&meta, &name, spec), verdict(&ws, &name, spec)],
            name,
            spec,
            file,
        })
        .collect();
    Ok((rows, ws_version))
}

/// The coverage table, as text: one line per control code (error codes are summarised).
pub fn table(rows: &[Row], ws_version: &str) -> String {
    let mut out = format!("{:<44} {:>10}  {:<10} {:<14} windows-sys {ws_version}\n", "control code", "value", SOURCES[0], SOURCES[1]);
    let cell = |v: &Verdict| match v {
        Verdict::Agrees => "agrees".to_owned(),
        Verdict::Absent => "absent".to_owned(),
        Verdict::Disagrees(x) => format!("DISAGREES ({:#x})", *x as u32),
    };
    for r in rows.iter().filter(|r| r.file.starts_with("metadata/codes/")) {
        out += &format!(
            "{:<44} {:>#10x}  {:<10} {:<14} {}\n",
            r.name,
            r.spec,
            cell(&r.verdicts[0]),
            cell(&r.verdicts[1]),
            cell(&r.verdicts[2])
        );
    }
    let unconfirmed: Vec<&str> = rows.iter().filter(|r| !r.verdicts.contains(&Verdict::Agrees)).map(|r| r.name.as_str()).collect();
    out += &format!(
        "values no outside source confirms: {}\n",
        if unconfirmed.is_empty() { "none".to_owned() } else { unconfirmed.join(", ") }
    );
    let errors: Vec<&Row> = rows.iter().filter(|r| r.file == "metadata/errors.toml").collect();
    let count = |i: usize, v: Verdict| errors.iter().filter(|r| r.verdicts[i] == v).count();
    out += &format!(
        "{} WSA error codes: mingw-w64 {} agree, {} absent; Win32 metadata {} agree, {} absent; windows-sys {} agree, {} absent\n",
        errors.len(),
        count(0, Verdict::Agrees),
        count(0, Verdict::Absent),
        count(1, Verdict::Agrees),
        count(1, Verdict::Absent),
        count(2, Verdict::Agrees),
        count(2, Verdict::Absent)
    );
    out
}

/// The disagreements, one line each with the spec's file, or `None` if there are none.
pub fn disagreements(rows: &[Row]) -> Option<String> {
    let lines: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.verdicts.iter().zip(SOURCES).filter_map(move |(v, src)| match v {
                Verdict::Disagrees(x) => Some(format!("{}: {} is {:#x} in the spec but {:#x} in {src}", r.file, r.name, r.spec, *x as u32)),
                _ => None,
            })
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_parse_from_windows_sys_and_windows_bindgen_text() {
        let text = "pub const SIO_KEEPALIVE_VALS: u32 = 2550136836u32;\npub const FIONREAD: i32 =\n    1074030207;\npub const WSAENOTSOCK: WSA_ERROR = 10038i32;\npub const INVALID_SOCKET: SOCKET = -1i32 as _;\npub const NAME: PCSTR = s!(\"x\");";
        let c = rust_consts(text);
        assert_eq!(c.get("SIO_KEEPALIVE_VALS"), Some(&2550136836));
        assert_eq!(c.get("FIONREAD"), Some(&1074030207));
        assert_eq!(c.get("WSAENOTSOCK"), Some(&10038));
        assert_eq!(c.get("INVALID_SOCKET"), Some(&-1));
        assert_eq!(c.get("NAME"), None);
    }

    #[test]
    fn a_value_compares_on_its_32_bits_and_absence_is_not_agreement() {
        let mut v = BTreeMap::new();
        v.insert("A".to_owned(), -1744830460); // 0x98000004 as i32
        v.insert("B".to_owned(), 5);
        assert_eq!(verdict(&v, "A", 0x9800_0004), Verdict::Agrees);
        assert_eq!(verdict(&v, "B", 6), Verdict::Disagrees(5));
        assert_eq!(verdict(&v, "C", 1), Verdict::Absent);
    }
}

//! Checks the specs against the mingw-w64 C headers with bindgen: every control code and error
//! code the headers define must have the specified value, and every struct from
//! `metadata/ffi.toml` (plus `WSAOVERLAPPED`) must have the computed size and field offsets, for
//! x86_64, i686 and aarch64.
//!
//! Function-like macros such as `_WSAIOW(IOC_VENDOR,16)` cannot be evaluated by bindgen as macros,
//! so the probe declares `static const long long probe_NAME = (long long)(NAME);` for each name
//! (inside `#ifdef NAME`, since mingw lacks some codes) and lets clang evaluate the initialisers.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use winsock_ioctl_codegen::ir::Ir;

/// The mingw-w64 header directory (Debian package `mingw-w64-common`).
pub const MINGW_INCLUDE: &str = "/usr/share/mingw-w64/include";

/// Result of a check.
#[derive(Debug, Default)]
pub struct HeaderReport {
    /// Values compared and equal.
    pub values_checked: usize,
    /// Names the headers do not define (not an error: mingw lags the Windows SDK).
    pub missing: Vec<String>,
    /// Sizes and offsets compared and equal (all targets).
    pub layouts_checked: usize,
    /// Every value the x86_64 headers define for the specified names, for the three-source check.
    pub values: BTreeMap<String, i128>,
}

/// Finds clang's own include dir (for `x86intrin.h`), e.g. `/usr/lib/llvm-14/lib/clang/14.0.6/include`.
pub fn clang_include() -> Option<PathBuf> {
    let mut found = Vec::new();
    for llvm in fs::read_dir("/usr/lib").ok()?.flatten() {
        let name = llvm.file_name().to_string_lossy().into_owned();
        if !name.starts_with("llvm-") {
            continue;
        }
        if let Ok(versions) = fs::read_dir(llvm.path().join("lib/clang")) {
            for v in versions.flatten() {
                let inc = v.path().join("include");
                if inc.join("x86intrin.h").exists() {
                    found.push(inc);
                }
            }
        }
    }
    found.sort();
    found.pop()
}

/// Names that the mingw-w64 headers define as a struct typedef (`} NAME;` or `} NAME, *PNAME;`)
/// or as a struct tag (`struct NAME {`).
fn mingw_typedefs() -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let Ok(rd) = fs::read_dir(MINGW_INCLUDE) else { return out };
    for e in rd.flatten() {
        let Ok(text) = fs::read_to_string(e.path()) else { continue };
        for line in text.lines() {
            // `struct NAME {`: a tag that C++ (which the probe is compiled as) accepts as a type name.
            if let Some(tag) = line.trim_start().strip_prefix("struct ").and_then(|r| r.strip_suffix('{')) {
                let tag = tag.trim();
                if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.insert(tag.to_owned());
                }
            }
            if let Some(rest) = line.trim_start().strip_prefix('}') {
                for name in rest.split([',', ';', '*', ' ']).filter(|w| !w.is_empty()) {
                    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        out.insert(name.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// Reads and validates `metadata/` (no output).
pub fn load_ir(root: &Path) -> Result<Ir, String> {
    crate::generate::Inputs::read(root).map_err(|e| e.to_string())?.load().map_err(|d| d.to_string())
}

fn probe(target: &str, clang_inc: &Path, source: &str) -> Result<BTreeMap<String, i128>, String> {
    let out = bindgen::Builder::default()
        .header_contents("probe.h", source)
        .clang_args([
            format!("--target={target}"),
            format!("-I{MINGW_INCLUDE}"),
            format!("-I{}", clang_inc.display()),
            "-w".to_owned(),
            // C++, because in C the SDK declares some members (INET_PORT_RESERVATION_INSTANCE's)
            // anonymously, and offsetof cannot name them.
            "-xc++".to_owned(),
        ])
        .allowlist_var("probe_.*")
        .generate()
        .map_err(|e| format!("bindgen on the mingw headers for {target}: {e}"))?
        .to_string();
    let mut values = BTreeMap::new();
    // `pub const probe_X: ::std::os::raw::c_longlong = 123;`, possibly wrapped over two lines.
    for item in out.split(';') {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(rest) = item.split("pub const probe_").nth(1) else { continue };
        let Some((name, tail)) = rest.split_once(':') else { continue };
        let Some(v) = tail.split('=').nth(1).map(|v| v.trim().trim_end_matches(';').trim()) else { continue };
        let v: i128 = v.parse().map_err(|_| format!("unparsable probe value `{v}` for {name}"))?;
        values.insert(name.to_owned(), v);
    }
    Ok(values)
}

/// Runs the check for all three targets.
pub fn check(ir: &Ir) -> Result<HeaderReport, String> {
    let clang_inc = clang_include().ok_or("clang's include directory not found: install libclang-dev")?;
    if !Path::new(MINGW_INCLUDE).join("winsock2.h").exists() {
        return Err(format!("{MINGW_INCLUDE}/winsock2.h not found: install gcc-mingw-w64-x86-64"));
    }
    let mut report = HeaderReport::default();
    let mut mismatches = Vec::new();
    let mut src = String::from(
        "#define WIN32_LEAN_AND_MEAN\n#define _WIN32_WINNT 0x0A00\n#define NTDDI_VERSION 0x0A00000B\n#include <winsock2.h>\n#include <ws2tcpip.h>\n#include <mstcpip.h>\n#include <mswsock.h>\n#include <ws2spi.h>\n#include <qos.h>\n#include <qossp.h>\n#include <afunix.h>\n#include <af_irda.h>\n#include <ws2atm.h>\n#include <ws2bth.h>\n#include <stddef.h>\n",
    );
    let mut expected: BTreeMap<String, (i128, Option<u32>)> = BTreeMap::new(); // value, or layout per pointer width
    for c in &ir.codes {
        for name in std::iter::once(&c.name).chain(c.aliases.iter().map(|a| &a.0)) {
            src += &format!("#ifdef {0}\nstatic const long long probe_{0} = (long long)(unsigned int)({0});\n#endif\n", name);
            expected.insert(name.clone(), (i128::from(c.value), None));
        }
    }
    for e in &ir.catalogue {
        src += &format!("#ifdef {0}\nstatic const long long probe_{0} = (long long)({0});\n#endif\n", e.name);
        expected.insert(e.name.clone(), (i128::from(e.value), None));
    }
    let mut layout_src = String::from(
        "static const long long probe_size_WSAOVERLAPPED = sizeof(WSAOVERLAPPED);\nstatic const long long probe_off_WSAOVERLAPPED_hEvent = offsetof(WSAOVERLAPPED, hEvent);\n",
    );
    // C cannot ask whether a typedef exists, and mingw-w64 lags the Windows SDK: probe only the
    // structs whose name its headers define.
    let defined = mingw_typedefs();
    let structs: Vec<_> = ir.ffi.structs.iter().filter(|s| defined.contains(&s.name)).collect();
    for s in ir.ffi.structs.iter().filter(|s| !defined.contains(&s.name)) {
        report.missing.push(s.name.clone());
    }
    for s in &structs {
        layout_src += &format!("static const long long probe_size_{0} = sizeof({0});\n", s.name);
        for f in s.fields.iter() {
            layout_src += &format!("static const long long probe_off_{0}_{1} = offsetof({0}, {1});\n", s.name, f.name);
        }
    }
    for (target, width) in [("x86_64-w64-mingw32", 8u32), ("i686-w64-mingw32", 4), ("aarch64-w64-mingw32", 8)] {
        let values = probe(target, &clang_inc, &format!("{src}{layout_src}"))?;
        if width == 8 && target.starts_with("x86_64") {
            report.values = expected.keys().filter_map(|n| values.get(n).map(|v| (n.clone(), *v))).collect();
            for (name, (want, _)) in &expected {
                match values.get(name) {
                    Some(got) if got == want => report.values_checked += 1,
                    Some(got) => mismatches.push(format!("{name}: spec {want:#x}, mingw header {got:#x}")),
                    None => report.missing.push(name.clone()),
                }
            }
        }
        let mut layout_expect = vec![
            ("size_WSAOVERLAPPED".to_owned(), if width == 8 { 32 } else { 20 }),
            ("off_WSAOVERLAPPED_hEvent".to_owned(), if width == 8 { 24 } else { 16 }),
        ];
        for s in &structs {
            let l = if width == 8 { &s.layout64 } else { &s.layout32 };
            layout_expect.push((format!("size_{}", s.name), l.size));
            for (f, o) in s.fields.iter().zip(&l.offsets) {
                layout_expect.push((format!("off_{}_{}", s.name, f.name), *o));
            }
        }
        for (name, want) in layout_expect {
            match values.get(&name) {
                Some(got) if *got == i128::from(want) => report.layouts_checked += 1,
                got => mismatches.push(format!("{target} {name}: computed {want}, mingw header {got:?}")),
            }
        }
    }
    if mismatches.is_empty() { Ok(report) } else { Err(format!("headers disagree with the specs:\n  {}", mismatches.join("\n  "))) }
}

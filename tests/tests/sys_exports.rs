//! What the sys crate exports from windows-bindgen's output, read from its sources and checked
//! against `metadata/ffi.toml` (read here with the toml crate, not through the generator): every
//! public item is one the file declares, every declared item is exported, and each item, field
//! and function has a doc. An item that windows-bindgen emits only because the filter grew (as
//! the safe crate's Win32 helpers once were) fails here, as well as in `cargo xtask gen`.

use std::collections::BTreeSet;

const FFI_TOML: &str = include_str!("../../metadata/ffi.toml");
const LIB: &str = include_str!("../../bindings/winsock-ioctl-sys/src/lib.rs");
const MOD: &str = include_str!("../../bindings/winsock-ioctl-sys/src/generated/mod.rs");
const FFI: &str = include_str!("../../bindings/winsock-ioctl-sys/src/generated/ffi.rs");
const FUNCTIONS: &str = include_str!("../../bindings/winsock-ioctl-sys/src/generated/functions.rs");

/// Names `metadata/ffi.toml` declares for windows-bindgen to write: `(items, functions)`.
fn declared() -> (BTreeSet<String>, BTreeSet<String>) {
    let spec: toml::Table = toml::from_str(FFI_TOML).expect("ffi.toml parses");
    let tables = |key: &str| spec.get(key).and_then(|v| v.as_array()).cloned().unwrap_or_default();
    let name = |t: &toml::Value| t["name"].as_str().expect("a name").to_owned();
    let from_metadata = |t: &toml::Value| t.get("source").and_then(|s| s.as_str()) == Some("win32metadata");
    let mut items = BTreeSet::new();
    let mut functions = BTreeSet::new();
    for key in ["struct", "function_pointer"] {
        items.extend(tables(key).iter().filter(|t| from_metadata(t)).map(name));
    }
    for e in tables("enum").iter().filter(|t| from_metadata(t)) {
        items.insert(name(e));
        items.extend(e["values"].as_array().expect("values").iter().map(name));
    }
    for w in tables("win32") {
        match w["kind"].as_str() {
            Some("function") => functions.insert(name(&w)),
            _ => items.insert(name(&w)),
        };
    }
    (items, functions)
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    &s[..s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len())]
}

/// Whether the lines before line `i`, skipping attributes, end with a doc comment.
fn documented(lines: &[&str], i: usize) -> bool {
    lines[..i].iter().rev().map(|l| l.trim_start()).find(|l| !l.starts_with("#[")).is_some_and(|l| l.starts_with("///"))
}

#[test]
fn the_sys_crate_exports_only_the_generated_modules() {
    let public: Vec<&str> = LIB.lines().filter(|l| l.starts_with("pub ")).collect();
    assert_eq!(public, ["pub mod opcode;", "pub use generated::*;"], "lib.rs exports opcode and what generated/mod.rs exports");
    let globs: Vec<&str> = MOD.lines().filter(|l| l.starts_with("pub use") && l.ends_with("::*;")).collect();
    assert_eq!(globs, ["pub use codes::*;", "pub use errors::*;", "pub use ffi::*;", "pub use types::*;"]);
    assert!(!MOD.lines().any(|l| l.starts_with("pub mod")), "generated modules are private; their items are re-exported");
}

#[test]
fn every_public_ffi_item_is_declared_in_ffi_toml_and_documented() {
    let (items, functions) = declared();
    let lines: Vec<&str> = FFI.lines().collect();
    let mut exported = BTreeSet::new();
    let mut body = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("pub ") {
            let (kw, rest) = rest.split_once(' ').expect("pub <kind> <name>");
            let name = ident(rest);
            assert!(items.contains(name), "ffi.rs exports `{name}`, which metadata/ffi.toml does not declare");
            assert!(documented(&lines, i), "`{name}` has no doc");
            exported.insert(name.to_owned());
            body = matches!(kw, "struct" | "union").then_some(name);
        } else if let (Some(item), Some(field)) = (body, line.strip_prefix("    pub ")) {
            assert!(documented(&lines, i), "field `{}` of `{item}` has no doc", ident(field));
        } else if *line == "}" {
            body = None;
        }
    }
    let missing: Vec<_> = items.difference(&exported).collect();
    assert!(missing.is_empty(), "declared in metadata/ffi.toml but not exported: {missing:?}");
    assert!(!FFI.contains("link!("), "functions live in functions.rs");

    let linked: BTreeSet<String> = FUNCTIONS
        .lines()
        .filter_map(|l| l.strip_prefix("windows_link::link!(")?.split_once(" fn ").map(|(_, r)| ident(r).to_owned()))
        .collect();
    assert_eq!(linked, functions, "the functions are exactly ffi.toml's `[[win32]]` functions");
    let mod_lines: Vec<&str> = MOD.lines().collect();
    for f in &functions {
        let i =
            mod_lines.iter().position(|l| *l == format!("pub use functions::{f};")).unwrap_or_else(|| panic!("mod.rs re-exports `{f}`"));
        assert!(documented(&mod_lines, i), "the re-export of `{f}` carries its doc");
    }
}

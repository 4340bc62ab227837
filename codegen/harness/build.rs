//! Embeds every spec of `metadata/codes/` (`CODES`, a `&[Source]` in input order): the fuzz targets and the
//! mutation test take the real specs as companions of the one they mutate, without file I/O.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../metadata/codes");
    // A directory here makes cargo look at every file in it.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("metadata/codes")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for n in names {
        let path = dir.join(&n).canonicalize().expect("spec path");
        let text = path.display().to_string();
        writeln!(out, "    Source {{ path: \"metadata/codes/{n}\", text: include_str!({text:?}) }},").unwrap();
    }
    out.push_str("]\n");
    let out_dir = std::env::var_os("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("codes.rs"), out).expect("write codes.rs");
}

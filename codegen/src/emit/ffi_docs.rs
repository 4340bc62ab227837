//! Documents windows-bindgen's output for the sys crate, from `metadata/ffi.toml`, as two files:
//! its functions, and everything else with a `///` line before every item and every field.
//!
//! The functions are declared by windows-link's `link!` macro, which takes no doc comments: they
//! go to a module of their own that allows that, and their docs go on their re-exports in the
//! generated `mod.rs` ([`super::sys`]); this pass only checks that each one has a doc. Nothing
//! else is changed, so [`undocument_ffi`] gives windows-bindgen's text back, which lets xtask
//! tell whether windows-bindgen has to run again.

use super::push_doc_lines;
use crate::ir::{FfiSource, Ir, Win32Kind};
use std::collections::{BTreeMap, BTreeSet};

/// The docs of everything windows-bindgen may emit for the sys crate: item docs by name, field
/// docs by `(item, field)`, and the names of the functions.
struct Docs {
    items: BTreeMap<String, String>,
    fields: BTreeMap<(String, String), String>,
    functions: BTreeSet<String>,
}

fn docs(ir: &Ir) -> Docs {
    let mut d = Docs { items: BTreeMap::new(), fields: BTreeMap::new(), functions: BTreeSet::new() };
    let metadata = |source: FfiSource| source == FfiSource::Win32metadata;
    for s in ir.ffi.structs.iter().filter(|s| metadata(s.source)) {
        d.items.insert(s.name.clone(), format!("{} (`{}`)", s.doc, s.header));
        for f in &s.fields {
            if let Some(doc) = &f.doc {
                d.fields.insert((s.name.clone(), f.name.clone()), doc.clone());
            }
        }
    }
    for e in ir.ffi.enums.iter().filter(|e| metadata(e.source)) {
        d.items.insert(e.name.clone(), format!("{} (`{}`)", e.doc, e.header));
        for (name, _, _, doc) in &e.values {
            d.items.insert(name.clone(), format!("{doc}\n\nA value of [`{}`].", e.name));
        }
    }
    for f in ir.ffi.function_pointers.iter().filter(|f| metadata(f.source)) {
        d.items.insert(f.name.clone(), format!("{} (`{}`)", f.doc, f.header));
    }
    for w in &ir.ffi.win32 {
        if w.kind == Win32Kind::Function {
            d.functions.insert(w.name.clone());
            continue;
        }
        d.items.insert(w.name.clone(), w.doc.clone());
        for (field, doc) in &w.fields {
            d.fields.insert((w.name.clone(), field.clone()), doc.clone());
        }
    }
    d
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// What a line of windows-bindgen's flat `--sys` output declares, if anything public.
enum Line<'a> {
    /// `pub struct|union|type|const NAME`; `opens` when a struct or union body starts here.
    Item { name: &'a str, opens: bool },
    /// `    pub NAME: TYPE,` inside a struct or union.
    Field(&'a str),
    /// `windows_link::link!(… fn NAME(…) …);`
    Function(&'a str),
    /// An outer attribute of the next item.
    Attribute,
    /// The end of a block at column 0.
    Close,
    /// Anything else (the bodies of `impl` blocks, continuation lines).
    Other,
}

fn classify(line: &str) -> Line<'_> {
    let l = line.trim_end();
    if let Some(rest) = l.strip_prefix("pub ") {
        for kw in ["struct ", "union ", "type ", "const "] {
            if let Some(r) = rest.strip_prefix(kw) {
                let body = matches!(kw, "struct " | "union ");
                return Line::Item { name: ident(r), opens: body && l.ends_with('{') };
            }
        }
        return Line::Other;
    }
    if let Some(r) = l.strip_prefix("    pub ") {
        return Line::Field(ident(r));
    }
    if l.starts_with("windows_link::link!(")
        && let Some((_, r)) = l.split_once(" fn ")
    {
        return Line::Function(ident(r));
    }
    if l.starts_with("#[") {
        return Line::Attribute;
    }
    if l == "}" {
        return Line::Close;
    }
    Line::Other
}

/// windows-bindgen's output (`raw`) as `[items, functions]`: the items with a `///` doc before
/// each of them and of their fields, from `metadata/ffi.toml`, and the `link!` lines of the
/// functions. `Err` lists every item, field or function without a doc, and every documented one
/// that windows-bindgen did not emit: the sys crate exports exactly what the file documents.
pub fn document_ffi(ir: &Ir, raw: &str) -> Result<[String; 2], Vec<String>> {
    let d = docs(ir);
    let mut out = String::with_capacity(raw.len() * 2);
    let mut functions = String::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    // Attribute lines wait until the item they belong to is known: its doc goes before them.
    let mut attrs = String::new();
    let mut body: Option<&str> = None;
    for line in raw.split_inclusive('\n') {
        match classify(line) {
            Line::Attribute => {
                attrs.push_str(line);
                continue;
            }
            Line::Item { name, opens } => {
                seen.insert(name.to_owned());
                match d.items.get(name) {
                    Some(doc) => push_doc_lines(&mut out, "", "///", doc),
                    None => errors.push(format!("windows-bindgen emitted `{name}` for the sys crate, and metadata/ffi.toml does not document it: add it (a `[[win32]]` type, usually), or keep what needs it out of the filter")),
                }
                if opens {
                    body = Some(name);
                }
            }
            Line::Field(field) => {
                if let Some(item) = body {
                    match d.fields.get(&(item.to_owned(), field.to_owned())) {
                        Some(doc) => push_doc_lines(&mut out, "    ", "///", doc),
                        None => errors.push(format!("metadata/ffi.toml does not document the field `{field}` of `{item}`, which windows-bindgen emitted for the sys crate")),
                    }
                }
            }
            Line::Function(name) => {
                seen.insert(name.to_owned());
                if !d.functions.contains(name) {
                    errors.push(format!("windows-bindgen emitted the function `{name}` for the sys crate, and metadata/ffi.toml does not document it as a `[[win32]]` function"));
                }
                functions.push_str(line);
                continue;
            }
            Line::Close => body = None,
            Line::Other => {}
        }
        out.push_str(&attrs);
        attrs.clear();
        out.push_str(line);
    }
    out.push_str(&attrs);
    for name in d.items.keys().chain(&d.functions).filter(|n| !seen.contains(*n)) {
        errors.push(format!(
            "metadata/ffi.toml documents `{name}`, which windows-bindgen did not emit for the sys crate: remove it, or name what uses it"
        ));
    }
    errors.sort();
    errors.dedup();
    if errors.is_empty() { Ok([out, functions]) } else { Err(errors) }
}

/// windows-bindgen's output from what [`document_ffi`] made of it: the functions, then the items
/// without the `///` lines (windows-bindgen writes no doc comments, and its functions first).
pub fn undocument_ffi([items, functions]: &[String; 2]) -> String {
    let items = items.split_inclusive('\n').filter(|l| !l.trim_start().starts_with("///"));
    functions.split_inclusive('\n').chain(items).collect()
}

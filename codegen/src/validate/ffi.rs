//! `metadata/ffi.toml`: the structs, unions, enums, GUIDs and function pointers that buffers and
//! the service-provider interface use. Computes every struct's layout for 32- and 64-bit targets
//! (the sys crate asserts them at compile time, and `cargo xtask test` compares them with the
//! mingw-w64 headers) and decides which structs the safe layer can show as Rust types.

use super::names::{c_name, derived};
use super::{Sink, is_snake_ident, is_upper_camel, snake, sp, upper_camel};
use crate::ctypes::{self, CType, SafeScalar};
use crate::ir::{self, FieldType, Layout};
use crate::spec::{self, FfiSource};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// Validates the file and builds the registry.
pub(crate) fn check(spec: &spec::FfiSpec, sink: &mut Sink<'_, '_>) -> ir::Ffi {
    let mut names = BTreeSet::new();
    let mut unique = |n: &Spanned<String>, sink: &mut Sink<'_, '_>| {
        c_name(n, sink);
        if !names.insert(n.get_ref().clone()) {
            sink.err(sp(n), format!("duplicate FFI item `{}`", n.get_ref()));
        }
    };
    let mut out = ir::Ffi::default();
    for a in &spec.alias {
        unique(&a.name, sink);
        if syn::parse_str::<syn::Type>(a.target.get_ref()).is_err() {
            sink.err(sp(&a.target), format!("`{}` is not a Rust type", a.target.get_ref()));
        }
        out.aliases.push((a.name.get_ref().clone(), a.target.get_ref().clone(), a.header.clone(), a.doc.clone()));
    }
    for e in &spec.enums {
        unique(&e.name, sink);
        if let Some(en) = enumeration(e, sink) {
            out.enums.push(en);
        }
    }
    for s in &spec.structs {
        unique(&s.name, sink);
    }
    for g in &spec.guid {
        unique(&g.name, sink);
        match parse_guid(g.value.get_ref()) {
            Some(value) => {
                out.guids.push(ir::FfiGuid { name: g.name.get_ref().clone(), header: g.header.clone(), value, doc: g.doc.clone() })
            }
            None => sink.err(sp(&g.value), format!("`{}` is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", g.value.get_ref())),
        }
    }
    for f in &spec.function_pointer {
        unique(&f.name, sink);
        if let Some(fp) = fn_ptr(f, sink) {
            out.function_pointers.push(fp);
        }
    }
    for w in &spec.win32 {
        unique(&w.name, sink);
        if let Some(item) = win32(w, sink) {
            out.win32.push(item);
        }
    }
    out.structs = structs(&spec.structs, &out.enums, sink);
    out.enums.sort_by(|a, b| a.name.cmp(&b.name));
    out.guids.sort_by(|a, b| a.name.cmp(&b.name));
    out.function_pointers.sort_by(|a, b| a.name.cmp(&b.name));
    out.aliases.sort();
    out.win32.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A `[[win32]]` item: only types have fields, each named once.
fn win32(w: &spec::FfiWin32, sink: &mut Sink<'_, '_>) -> Option<ir::FfiWin32> {
    let start = sink.count();
    if w.kind != spec::Win32Kind::Type
        && let Some(f) = w.fields.first()
    {
        sink.err(sp(&f.name), format!("`{}` is not a type: only a type's fields are documented", w.name.get_ref()));
    }
    let mut seen = BTreeSet::new();
    for f in &w.fields {
        if !seen.insert(f.name.get_ref()) {
            sink.err(sp(&f.name), format!("duplicate field `{}`", f.name.get_ref()));
        }
    }
    (sink.count() == start).then(|| ir::FfiWin32 {
        name: w.name.get_ref().clone(),
        kind: w.kind,
        doc: w.doc.clone(),
        fields: w.fields.iter().map(|f| (f.name.get_ref().clone(), f.doc.clone())).collect(),
    })
}

fn enumeration(e: &spec::FfiEnum, sink: &mut Sink<'_, '_>) -> Option<ir::FfiEnum> {
    let start = sink.count();
    let ty = ctypes::lookup_fixed(e.ty.get_ref()).filter(|t| t.safe.is_integer());
    if ty.is_none() {
        sink.err(sp(&e.ty), format!("an enum's `type` is a fixed-size integer scalar; `{}` is not", e.ty.get_ref()));
    }
    let rust = rust_type_name(&e.name, e.rust.as_ref(), sink);
    if e.values.is_empty() {
        sink.err(sp(&e.name), "an enum needs at least one value");
    }
    let prefix = common_prefix(e.values.iter().map(|v| v.name.get_ref().as_str()));
    let mut values = Vec::new();
    let mut seen = BTreeSet::new();
    for v in &e.values {
        c_name(&v.name, sink);
        let variant = match &v.rust {
            Some(r) => {
                if !is_upper_camel(r.get_ref()) {
                    sink.err(sp(r), format!("`{}` is not an UpperCamelCase identifier", r.get_ref()));
                }
                r.get_ref().clone()
            }
            None => {
                let variant = upper_camel(&v.name.get_ref()[prefix.len()..]);
                derived(is_upper_camel(&variant), &variant, &v.name, "`rust = \"…\"`", sink);
                variant
            }
        };
        if variant == "Unknown" {
            sink.err(v.rust.as_ref().map_or(sp(&v.name), sp), "variant `Unknown` is reserved for values the spec does not name");
        }
        if !seen.insert(variant.clone()) {
            sink.err(v.rust.as_ref().map_or(sp(&v.name), sp), format!("duplicate variant `{variant}`"));
        }
        if let Some(t) = ty
            && !fits(*v.value.get_ref(), t)
        {
            sink.err(sp(&v.value), format!("{} does not fit in `{}`", v.value.get_ref(), t.c));
        }
        values.push((v.name.get_ref().clone(), *v.value.get_ref(), variant, v.doc.clone()));
    }
    (sink.count() == start).then(|| ir::FfiEnum {
        name: e.name.get_ref().clone(),
        header: e.header.clone(),
        source: *e.source.get_ref(),
        ty: ty.expect("checked above"),
        rust,
        doc: e.doc.clone(),
        values,
    })
}

/// Whether `v` is representable in the integer scalar `t`.
pub(crate) fn fits(v: i64, t: CType) -> bool {
    match t.safe {
        SafeScalar::U8 => u8::try_from(v).is_ok() || (t.sys == "i8" && i8::try_from(v).is_ok()),
        SafeScalar::U16 => u16::try_from(v).is_ok(),
        SafeScalar::U32 => u32::try_from(v).is_ok(),
        SafeScalar::I32 => i32::try_from(v).is_ok(),
        SafeScalar::U64 => v >= 0,
        SafeScalar::Bool | SafeScalar::Bool8 => v == 0 || v == 1,
        SafeScalar::Socket | SafeScalar::Pointer => false,
    }
}

fn common_prefix<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let Some(first) = names.first() else { return String::new() };
    let mut prefix = String::new();
    for part in first.split_inclusive('_') {
        let candidate = format!("{prefix}{part}");
        if candidate.len() < first.len() && names.iter().all(|n| n.starts_with(&candidate) && n.len() > candidate.len()) {
            prefix = candidate;
        } else {
            break;
        }
    }
    prefix
}

fn rust_type_name(name: &Spanned<String>, rust: Option<&Spanned<String>>, sink: &mut Sink<'_, '_>) -> String {
    match rust {
        Some(r) => {
            if !is_upper_camel(r.get_ref()) {
                sink.err(sp(r), format!("`{}` is not an UpperCamelCase identifier", r.get_ref()));
            }
            r.get_ref().clone()
        }
        None => {
            let rust = upper_camel(name.get_ref());
            derived(is_upper_camel(&rust), &rust, name, "`rust = \"…\"`", sink);
            rust
        }
    }
}

fn fn_ptr(f: &spec::FfiFnPtr, sink: &mut Sink<'_, '_>) -> Option<ir::FfiFnPtr> {
    let start = sink.count();
    let rust = f.rust.as_ref().map(|r| rust_type_name(&f.name, Some(r), sink));
    let scalar = |t: &Spanned<String>, sink: &mut Sink<'_, '_>| {
        let c = ctypes::lookup(t.get_ref());
        if c.is_none() {
            sink.err(sp(t), format!("unknown FFI type `{}`", t.get_ref()));
        }
        c
    };
    let (returns, params) = match f.source.get_ref() {
        FfiSource::Spec => {
            let returns = match &f.returns {
                Some(r) => scalar(r, sink),
                None => {
                    sink.err(sp(&f.name), "a function pointer defined by the spec needs `returns`");
                    None
                }
            };
            f.params.iter().for_each(|p| c_name(&p.name, sink));
            let params = f.params.iter().filter_map(|p| scalar(&p.ty, sink).map(|t| (p.name.get_ref().clone(), t))).collect();
            (returns, params)
        }
        FfiSource::Win32metadata => {
            if let Some(r) = &f.returns {
                sink.err(sp(r), "windows-bindgen writes this signature from Microsoft's metadata: leave out `returns` and `params`");
            }
            (None, Vec::new())
        }
    };
    (sink.count() == start).then(|| ir::FfiFnPtr {
        name: f.name.get_ref().clone(),
        header: f.header.clone(),
        source: *f.source.get_ref(),
        rust,
        doc: f.doc.clone(),
        returns,
        params,
    })
}

/// Resolves fields and computes layouts, visiting each struct after the structs it contains.
fn structs(specs: &[spec::FfiStruct], enums: &[ir::FfiEnum], sink: &mut Sink<'_, '_>) -> Vec<ir::FfiStruct> {
    let mut r = Resolver {
        by_name: specs.iter().map(|s| (s.name.get_ref().as_str(), s)).collect(),
        enums,
        done: BTreeMap::new(),
        stack: Vec::new(),
        order: Vec::new(),
    };
    for s in specs {
        r.visit(s, sink);
    }
    let Resolver { mut done, order, .. } = r;
    order.into_iter().filter_map(|n| done.remove(&n).flatten()).collect()
}

/// The state of one depth-first pass over the structs.
struct Resolver<'a> {
    by_name: BTreeMap<&'a str, &'a spec::FfiStruct>,
    enums: &'a [ir::FfiEnum],
    /// Every struct visited: its IR, or `None` if it failed.
    done: BTreeMap<String, Option<ir::FfiStruct>>,
    /// The structs being visited, to catch a struct that contains itself.
    stack: Vec<String>,
    /// Struct names in the order they were finished: each after the ones it contains.
    order: Vec<String>,
}

impl Resolver<'_> {
    fn visit(&mut self, s: &spec::FfiStruct, sink: &mut Sink<'_, '_>) {
        let name = s.name.get_ref().clone();
        if self.done.contains_key(&name) {
            return;
        }
        if self.stack.contains(&name) {
            sink.err(sp(&s.name), format!("struct `{name}` contains itself"));
            self.done.insert(name, None);
            return;
        }
        self.stack.push(name.clone());
        let start = sink.count();
        let rust = rust_type_name(&s.name, s.rust.as_ref(), sink);
        if let Some(m) = &s.windows_sys {
            let ok = m.get_ref().split("::").all(|p| {
                p.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if !ok {
                sink.err(sp(m), format!("`{}` is not a windows-sys module path such as `Win32::Networking::WinSock`", m.get_ref()));
            }
        }
        let mut fields = Vec::new();
        let mut rust_names = BTreeSet::new();
        for f in &s.fields {
            c_name(&f.name, sink);
            let Some(ty) = self.field_type(f.ty.get_ref(), &f.ty, sink) else { continue };
            let rust = match &f.rust {
                Some(r) => {
                    if !is_snake_ident(r.get_ref()) {
                        sink.err(sp(r), format!("`{}` is not a snake_case identifier", r.get_ref()));
                    }
                    r.get_ref().clone()
                }
                None => {
                    let rust = snake(f.name.get_ref());
                    if !f.reserved {
                        derived(is_snake_ident(&rust), &rust, &f.name, "`rust = \"…\"`", sink);
                    }
                    rust
                }
            };
            if !f.reserved && !rust_names.insert(rust.clone()) {
                sink.err(f.rust.as_ref().map_or(sp(&f.name), sp), format!("duplicate safe field name `{rust}`"));
            }
            let integer = matches!(&ty, FieldType::Scalar(c) if c.safe.is_integer());
            let as_bool = super::as_bool(f.as_type.as_ref(), integer, "fields", sink);
            fields.push(ir::FfiField { name: f.name.get_ref().clone(), ty, rust, as_bool, reserved: f.reserved, doc: f.doc.clone() });
        }
        if s.fields.is_empty() {
            sink.err(sp(&s.name), "a struct needs at least one field");
        }
        self.stack.pop();
        let result = (sink.count() == start).then(|| {
            let layout = |pw: u32| layout(&fields, s.union, pw, &self.done, self.enums);
            let (l64, l32) = (layout(8), layout(4));
            // Pointer-sized reserved fields may change the size between targets; the fields the
            // safe type shows must sit at the same offsets on both.
            let moved = fields.iter().zip(l64.offsets.iter().zip(&l32.offsets)).any(|(f, (a, b))| !f.reserved && a != b);
            let not_safe = not_safe(&fields, s.union, &self.done)
                .or_else(|| moved.then(|| "its fields sit at different offsets on 32- and 64-bit targets".to_owned()));
            ir::FfiStruct {
                name: name.clone(),
                header: s.header.clone(),
                source: *s.source.get_ref(),
                union: s.union,
                windows_sys: s.windows_sys.as_ref().map(|m| m.get_ref().clone()),
                rust,
                doc: s.doc.clone(),
                layout64: l64,
                layout32: l32,
                fields,
                not_safe,
            }
        });
        self.done.insert(name.clone(), result);
        self.order.push(name);
    }

    fn field_type(&mut self, t: &str, at: &Spanned<String>, sink: &mut Sink<'_, '_>) -> Option<FieldType> {
        if let Some((elem, n)) = t.strip_suffix(']').and_then(|r| r.split_once('[')) {
            let count = n.trim().parse::<u32>().ok().filter(|n| *n > 0);
            let Some(count) = count else {
                sink.err(sp(at), format!("array length `{n}` is not a positive integer"));
                return None;
            };
            let inner = self.field_type(elem.trim(), at, sink)?;
            return Some(FieldType::Array(Box::new(inner), count));
        }
        if let Some(c) = ctypes::lookup(t) {
            return Some(FieldType::Scalar(c));
        }
        if let Some(b) = ctypes::builtin(t) {
            return Some(FieldType::Builtin(b));
        }
        if self.enums.iter().any(|e| e.name == t) {
            return Some(FieldType::Enum(t.to_owned()));
        }
        if let Some(s) = self.by_name.get(t).copied() {
            self.visit(s, sink);
            return match self.done.get(t) {
                Some(Some(_)) => Some(FieldType::Struct(t.to_owned())),
                _ => None, // reported where it failed
            };
        }
        sink.err(sp(at), format!("unknown field type `{t}`: not a scalar, a builtin, or a struct or enum of this file"));
        None
    }
}

/// `(size, align)` of a field type for a pointer width.
fn size_align(t: &FieldType, pw: u32, done: &BTreeMap<String, Option<ir::FfiStruct>>, enums: &[ir::FfiEnum]) -> (u32, u32) {
    match t {
        FieldType::Scalar(c) => {
            let s = c.size_for(pw);
            (s, s)
        }
        FieldType::Builtin(b) => (b.size, b.align),
        FieldType::Enum(n) => {
            let s = enums.iter().find(|e| &e.name == n).map_or(4, |e| e.ty.size);
            (s, s)
        }
        FieldType::Struct(n) => {
            let st = done.get(n).and_then(|s| s.as_ref()).expect("nested structs are visited first");
            let l = if pw == 8 { &st.layout64 } else { &st.layout32 };
            (l.size, l.align)
        }
        FieldType::Array(inner, n) => {
            let (s, a) = size_align(inner, pw, done, enums);
            (s * n, a)
        }
    }
}

fn layout(fields: &[ir::FfiField], union: bool, pw: u32, done: &BTreeMap<String, Option<ir::FfiStruct>>, enums: &[ir::FfiEnum]) -> Layout {
    let mut offset = 0u32;
    let mut size = 0u32;
    let mut align = 1u32;
    let mut offsets = Vec::new();
    for f in fields {
        let (s, a) = size_align(&f.ty, pw, done, enums);
        if union {
            offsets.push(0);
            size = size.max(s);
        } else {
            offset = offset.div_ceil(a) * a;
            offsets.push(offset);
            offset += s;
            size = offset;
        }
        align = align.max(a);
    }
    Layout { size: size.div_ceil(align) * align, align, offsets }
}

/// Why the safe layer cannot decode the struct field by field, if it cannot.
fn not_safe(fields: &[ir::FfiField], union: bool, done: &BTreeMap<String, Option<ir::FfiStruct>>) -> Option<String> {
    if union {
        return Some("it is a union".into());
    }
    for f in fields.iter().filter(|f| !f.reserved) {
        let why = field_not_safe(&f.ty, done);
        if let Some(why) = why {
            return Some(format!("field `{}` {why}", f.name));
        }
    }
    None
}

fn field_not_safe(t: &FieldType, done: &BTreeMap<String, Option<ir::FfiStruct>>) -> Option<String> {
    match t {
        // Pointer-sized fields (SOCKET too) move the offsets between targets, and the field codec
        // reads fixed sizes only.
        FieldType::Scalar(c) if c.pointer => Some(format!("is a pointer or handle (`{}`)", c.c)),
        FieldType::Scalar(_) | FieldType::Enum(_) | FieldType::Builtin(_) => None,
        FieldType::Struct(n) => {
            done.get(n).and_then(|s| s.as_ref()).and_then(|s| s.not_safe.clone()).map(|w| format!("holds `{n}`, whose {w}"))
        }
        FieldType::Array(inner, _) => match inner.as_ref() {
            FieldType::Scalar(c) if c.safe.is_integer() => None,
            _ => Some("is an array of non-integers".into()),
        },
    }
}

/// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn parse_guid(s: &str) -> Option<(u32, u16, u16, [u8; 8])> {
    let parts: Vec<&str> = s.split('-').collect();
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    if lens != [8, 4, 4, 4, 12] || !s.chars().all(|c| c == '-' || c.is_ascii_hexdigit()) {
        return None;
    }
    let d1 = u32::from_str_radix(parts[0], 16).ok()?;
    let d2 = u16::from_str_radix(parts[1], 16).ok()?;
    let d3 = u16::from_str_radix(parts[2], 16).ok()?;
    let tail = format!("{}{}", parts[3], parts[4]);
    let mut d4 = [0u8; 8];
    for (i, b) in d4.iter_mut().enumerate() {
        *b = u8::from_str_radix(&tail[2 * i..2 * i + 2], 16).ok()?;
    }
    Some((d1, d2, d3, d4))
}

/// A GUID as one number in its text order (`xxxxxxxx-xxxx-...` read left to right).
pub(crate) fn guid_u128((d1, d2, d3, d4): (u32, u16, u16, [u8; 8])) -> u128 {
    (u128::from(d1) << 96) | (u128::from(d2) << 80) | (u128::from(d3) << 64) | u128::from(u64::from_be_bytes(d4))
}

/// A GUID's 16 bytes as they lie in memory on Windows targets (little-endian `Data1..Data3`).
pub(crate) fn guid_bytes((d1, d2, d3, d4): (u32, u16, u16, [u8; 8])) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..4].copy_from_slice(&d1.to_le_bytes());
    b[4..6].copy_from_slice(&d2.to_le_bytes());
    b[6..8].copy_from_slice(&d3.to_le_bytes());
    b[8..].copy_from_slice(&d4);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_parse_and_lay_out_little_endian() {
        let g = parse_guid("b5367df1-cbac-11cf-95ca-00805f48a192").unwrap();
        assert_eq!(g, (0xb5367df1, 0xcbac, 0x11cf, [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92]));
        assert_eq!(guid_bytes(g)[..4], [0xf1, 0x7d, 0x36, 0xb5]);
        assert_eq!(parse_guid("b5367df1-cbac-11cf-95ca-00805f48a19"), None);
        assert_eq!(guid_u128(g), 0xb5367df1_cbac_11cf_95ca_00805f48a192);
        assert_eq!(parse_guid("g5367df1-cbac-11cf-95ca-00805f48a192"), None);
    }

    #[test]
    fn enum_prefixes_stop_at_a_word_boundary() {
        assert_eq!(common_prefix(["RCVALL_OFF", "RCVALL_ON", "RCVALL_IPLEVEL"].into_iter()), "RCVALL_");
        assert_eq!(common_prefix(["TCPSTATE_CLOSED", "TCPSTATE_SYN_SENT"].into_iter()), "TCPSTATE_");
        assert_eq!(common_prefix(["A_B"].into_iter()), "A_");
    }
}

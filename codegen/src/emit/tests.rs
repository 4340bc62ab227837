//! Emits the tests that follow from the specs: error-mapping round trips (host) and runtime
//! scenarios (Windows target, run under Wine).

use super::{Piece, fragment, rust_file, spec_path};
use crate::GeneratedFile;
use crate::ir::{Code, FieldType, Form, InputLiteral, Ir, Outcome, Shape, ValueLiteral};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const MAPPING: &str = "tests/tests/generated_error_mapping.rs";
const RUNTIME: &str = "tests/tests/generated_runtime.rs";

/// The heads of `generated_error_mapping.rs` and `generated_runtime.rs` (fragment 0 of each).
pub(crate) fn emit_heads() -> Vec<Piece> {
    vec![fragment(MAPPING, Some("metadata/"), 0, mapping(&[]).0), fragment(RUNTIME, Some("metadata/"), 0, runtime_head())]
}

/// The tests of `codes` in those two files, as fragment `order` of each.
pub(crate) fn emit_parts(ir: &Ir, codes: &[Code], order: usize) -> Vec<Piece> {
    vec![
        fragment(MAPPING, None, order, mapping(codes).1.collect()),
        Piece::Fragment { path: RUNTIME, order, text: runtime_text(ir, codes) },
    ]
}

/// `generated_types.rs` and `generated_windows_sys.rs`.
pub(crate) fn emit_layouts(ir: &Ir) -> Vec<GeneratedFile> {
    vec![
        rust_file("tests/tests/generated_types.rs".into(), "metadata/ffi.toml", types(ir)),
        rust_file("tests/tests/generated_windows_sys.rs".into(), "metadata/ffi.toml", windows_sys(ir)),
    ]
}

/// The third source for struct layouts: every struct that windows-sys also defines has the same
/// size, alignment and field offsets there as in the sys crate (whose layouts are asserted
/// against the spec at compile time, and compared with mingw-w64 by `cargo xtask test`).
fn windows_sys(ir: &Ir) -> TokenStream {
    let tests = ir.ffi.structs.iter().filter_map(|s| {
        let module = s.windows_sys.as_ref()?;
        let path: syn::Path = syn::parse_str(&format!("windows_sys::{module}::{}", s.name)).expect("validated module path");
        let n = format_ident!("{}", s.name);
        let test = format_ident!("{}_has_the_same_layout_in_windows_sys", crate::snake(&s.rust));
        let offsets = s.fields.iter().map(|f| {
            let f = format_ident!("{}", f.name);
            quote!(assert_eq!(offset_of!(#path, #f), offset_of!(sys::#n, #f), stringify!(#f));)
        });
        Some(quote! {
            #[test]
            fn #test() {
                assert_eq!(size_of::<#path>(), size_of::<sys::#n>());
                assert_eq!(align_of::<#path>(), align_of::<sys::#n>());
                #(#offsets)*
            }
        })
    });
    quote! {
        //! Struct layouts against the windows-sys crate, a source independent of the specs: for
        //! every struct of `metadata/ffi.toml` that names its windows-sys module.
        use core::mem::{align_of, offset_of, size_of};
        use winsock_ioctl::sys;
        #(#tests)*
    }
}

/// For every safe struct: its size is the sys struct's, and a value with every field set to
/// something distinct survives `to_bytes` then `from_bytes`.
fn types(ir: &Ir) -> TokenStream {
    let reached = super::types::reached(ir);
    let tests = ir.ffi.structs.iter().filter(|s| reached.structs.contains(&s.name)).map(|s| {
        let t = format_ident!("{}", s.rust);
        let sys_t = format_ident!("{}", s.name);
        let test = format_ident!("{}_round_trips_at_the_c_size", crate::snake(&s.rust));
        let value = sample(ir, &s.name, &mut 1);
        quote! {
            #[test]
            fn #test() {
                assert_eq!(#t::SIZE, core::mem::size_of::<sys::#sys_t>(), "the safe codec's size is the C struct's");
                let value = #value;
                let bytes = value.to_bytes();
                assert_eq!(bytes.len(), #t::SIZE);
                assert_eq!(#t::from_bytes(&bytes), Some(value));
                assert_eq!(#t::from_bytes(&bytes[..#t::SIZE - 1]), None, "too few bytes");
            }
        }
    });
    quote! {
        //! The safe data types' codecs: the size of each equals the sys crate's struct (whose layout
        //! is asserted against the C headers), and encoding then decoding gives the value back.
        use winsock_ioctl::*;
        #(#tests)*
    }
}

/// A value of the safe struct `name` whose fields are all different from each other and from
/// zero, counting on from `n`.
fn sample(ir: &Ir, name: &str, n: &mut u64) -> TokenStream {
    let def = ir.ffi.struct_(name).expect("reached struct");
    let t = format_ident!("{}", def.rust);
    let fields = def.fields.iter().filter(|f| !f.reserved).map(|f| {
        let fname = format_ident!("{}", f.rust);
        let v = if f.as_bool { quote!(true) } else { sample_field(ir, &f.ty, n) };
        quote!(#fname: #v)
    });
    quote!(#t { #(#fields),* })
}

fn sample_field(ir: &Ir, t: &FieldType, n: &mut u64) -> TokenStream {
    use crate::ctypes::{BuiltinKind, SafeScalar};
    *n += 1;
    let k = *n;
    match t {
        FieldType::Scalar(c) => match c.safe {
            SafeScalar::Bool | SafeScalar::Bool8 => quote!(true),
            _ => {
                let v = proc_macro2::Literal::u64_unsuffixed(k % 120 + 1);
                quote!(#v)
            }
        },
        FieldType::Enum(e) => {
            let en = ir.ffi.enum_(e).expect("known enum");
            let t = format_ident!("{}", en.rust);
            let v = format_ident!("{}", en.values[(k as usize) % en.values.len()].2);
            quote!(#t::#v)
        }
        FieldType::Struct(s) => sample(ir, s, n),
        FieldType::Builtin(b) => match b.kind {
            BuiltinKind::Guid => quote!(0x25a207b9_ddf3_4660_8ee9_76e58c74063e_u128),
            BuiltinKind::SockAddr => {
                let a = format!("10.0.0.{}:{}", k % 250 + 1, k);
                quote!(Some(#a.parse().unwrap()))
            }
        },
        FieldType::Array(inner, len) => {
            let v = sample_field(ir, inner, n);
            let len = proc_macro2::Literal::u32_unsuffixed(*len);
            quote!([#v; #len])
        }
    }
}

fn mapping(codes: &[Code]) -> (TokenStream, impl Iterator<Item = TokenStream> + '_) {
    let tests = codes.iter().filter(|c| c.documented).map(|c| {
        let ty = format_ident!("{}", c.error_type);
        let t_rows = format_ident!("{}_table_round_trips", c.module);
        let t_docs = format_ident!("{}_docs_tables_equal_spec", c.module);
        let spec_file = format!("../../{}", spec_path(&c.name));
        let en_doc = format!("../../docs/errors/{}.md", c.name);
        let ja_doc = format!("../../docs/ja/errors/{}.md", c.name);
        let src = format!("../../bindings/winsock-ioctl/src/generated/{}.rs", c.module);
        let msg = format!("{}: stale docs; run `cargo xtask gen`", c.name);
        // The error enum's doc carries the table, and so does each wrapper form.
        let tables = 1 + usize::from(c.has_safe_wrapper()) + usize::from(c.has_overlapped_form());
        quote! {
            #[test]
            fn #t_rows() {
                winsock_ioctl_tests::check_table::<#ty>(include_str!(#spec_file));
            }

            #[test]
            fn #t_docs() {
                let en = winsock_ioctl_tests::spec_rows(#ty::TABLE, false);
                let ja = winsock_ioctl_tests::spec_rows(#ty::TABLE, true);
                assert_eq!(winsock_ioctl_tests::markdown_rows(include_str!(#en_doc)), en, "{}", #msg);
                assert_eq!(winsock_ioctl_tests::markdown_rows(include_str!(#ja_doc)), ja, "{}", #msg);
                let rustdoc = winsock_ioctl_tests::tables(include_str!(#src));
                assert_eq!(rustdoc.len(), #tables, "the error enum and each wrapper carry the table");
                for table in rustdoc {
                    assert_eq!(table, en, "{}", #msg);
                }
            }
        }
    });
    let head = quote! {
        //! For every error table: its rows are the spec file's (read by the test, not the
        //! generator), each raw code → typed variant → `io::Error` → the same raw code; and the
        //! tables in docs/ and in rustdoc equal the spec's.
        #![allow(deprecated)]
        use winsock_ioctl::*;
    };
    (head, tests)
}

fn runtime_head() -> TokenStream {
    quote! {
        //! Runtime scenarios from the specs, run on the Windows target. Under Wine (detected at run
        //! time: `winsock_ioctl_tests::host::on_wine`) each test asserts what Wine 8.0 does; on
        //! Windows, the outcome the documents give. A doc comment names both where they differ.
        #![cfg(windows)]
        #![allow(deprecated, unused_imports)]
        use std::time::Duration;
        use winsock_ioctl::*;
        use winsock_ioctl_tests::fixtures;

        /// How long a request must stay pending to count as pending.
        const SHORT: Duration = Duration::from_millis(300);
        /// Upper bound for any wait: no test may hang.
        const BOUND: Duration = Duration::from_secs(10);
    }
}

/// The scenario tests of `codes`, written as text in the layout prettyplease gives the head:
/// these tests are most of the generated Rust, and building tokens only for syn to parse them
/// back and prettyplease to print them was most of the generator's time.
fn runtime_text(ir: &Ir, codes: &[Code]) -> String {
    let mut out = String::new();
    for c in codes {
        for s in &c.scenarios {
            scenario_test(ir, c, s, &mut out);
        }
    }
    out
}

fn scenario_test(ir: &Ir, c: &Code, s: &crate::ir::Scenario, out: &mut String) {
    use std::fmt::Write as _;
    let input = s.input.as_ref().map(|i| format!(", {}", input_text(ir, &c.input.shape, i))).unwrap_or_default();
    let turbofish = s.choice.as_ref().map(|t| format!("::<{t}>")).unwrap_or_default();
    // The overlapped form is generic over the socket type first.
    let turbofish_overlapped = s.choice.as_ref().map(|t| format!("::<_, {t}>")).unwrap_or_default();
    // `value` is what Wine returns: asserted under Wine only.
    let check_value = match &s.value {
        Some(ValueLiteral::Bool(true)) => "assert!(value, \"the output Wine returns is true\");".to_owned(),
        Some(ValueLiteral::Bool(false)) => "assert!(!value, \"the output Wine returns is false\");".to_owned(),
        Some(ValueLiteral::Int(n)) => format!("assert_eq!(value, {n}, \"the output Wine returns\");"),
        Some(ValueLiteral::TheSocket) => {
            "assert_eq!(value, std::os::windows::io::AsRawSocket::as_raw_socket(&fx.socket()), \"the socket itself\");".to_owned()
        }
        None => "let _ = value;".to_owned(),
    };
    let same = s.windows == s.wine && s.value.is_none();
    let doc = if same {
        format!(" `{}` on {:?} ({:?} form): {} on Windows (documented) and on Wine 8.0.", c.name, s.socket, s.form, describe(&s.wine))
    } else {
        let note = s.note.as_ref().map(|n| format!(" {}", n.en)).unwrap_or_default();
        format!(
            " `{}` on {:?} ({:?} form): asserts Wine 8.0's outcome under Wine, {}, and the documented one on Windows, {}.{note}",
            c.name,
            s.socket,
            s.form,
            describe(&s.wine),
            describe(&s.windows)
        )
    };
    let body_for = |outcome: &Outcome, on_wine: bool| -> Vec<String> {
        let check_value = if on_wine { check_value.clone() } else { "let _ = value;".to_owned() };
        match s.form {
            Form::Sync => {
                let call = format!("{}{turbofish}(fx.socket(){input})", c.function);
                match outcome {
                    Outcome::Ok => {
                        let range = c.output.range.as_ref().and_then(|id| c.ranges.iter().find(|r| &r.id == id));
                        match range {
                            Some(r) => vec![
                                format!("let value = {call}.expect(\"documented to succeed here\");"),
                                format!(
                                    "assert!(({}..={}).contains(&u64::from(value)), \"{{value}} outside the documented range\");",
                                    r.min, r.max
                                ),
                                check_value,
                            ],
                            None if c.output.shape == Shape::None => vec![format!("{call}.expect(\"documented to succeed here\");")],
                            None => vec![format!("let value = {call}.expect(\"documented to succeed here\");"), check_value],
                        }
                    }
                    Outcome::Error(name, v) => expect_error(c, name, *v, &call),
                    // Only a documented Windows outcome can be this (validate rejects it for Wine):
                    // the call would block until the event, so it is not made.
                    Outcome::Pending => vec!["println!(\"documented to block until the event on Windows: not called\");".to_owned()],
                }
            }
            Form::Overlapped => {
                let start = format!("{}_overlapped{turbofish_overlapped}(fx.socket(){input})", c.function);
                let started = format!("let mut pending = {start}.expect(\"the request starts\");");
                match outcome {
                    Outcome::Pending => vec![
                        started,
                        "assert_eq!(pending.wait(SHORT).expect(\"still pending, not failed\"), WaitOutcome::TimedOut);".to_owned(),
                        "assert!(!pending.is_complete());".to_owned(),
                    ],
                    Outcome::Ok if c.output.shape == Shape::None => {
                        vec![started, "assert_eq!(pending.wait(BOUND).expect(\"completes\"), WaitOutcome::Completed(()));".to_owned()]
                    }
                    Outcome::Ok => vec![
                        started,
                        "let WaitOutcome::Completed(value) = pending.wait(BOUND).expect(\"completes\") else {\n    panic!(\"still pending after {BOUND:?}\");\n};".to_owned(),
                        check_value,
                    ],
                    Outcome::Error(name, v) => expect_error(c, name, *v, &format!("{start}.and_then(|mut p| p.wait(BOUND))")),
                }
            }
        }
    };
    let body: Vec<String> = if same {
        body_for(&s.wine, true)
    } else {
        let mut body = vec!["if winsock_ioctl_tests::host::on_wine() {".to_owned()];
        body.extend(body_for(&s.wine, true).iter().map(|l| format!("    {}", l.replace('\n', "\n    "))));
        body.push("} else {".to_owned());
        body.extend(body_for(&s.windows, false).iter().map(|l| format!("    {}", l.replace('\n', "\n    "))));
        body.push("}".to_owned());
        body
    };
    super::push_doc_lines(out, "", "///", &doc);
    let _ = writeln!(out, "#[test]\nfn {}_{}() {{\n    let fx = fixtures::{}();", c.module, s.name, s.socket.name());
    for statement in body {
        let _ = writeln!(out, "    {}", statement.replace('\n', "\n    "));
    }
    out.push_str("}\n");
}

fn expect_error(c: &Code, name: &str, value: i32, call: &str) -> Vec<String> {
    let ty = &c.error_type;
    let variant = match c.errors.iter().find(|r| r.name == name) {
        Some(r) => format!("{ty}::{}", r.variant),
        None => format!("{ty}::Unlisted({value}i32)"),
    };
    let msg = format!("\"expected {name} ({value})\"");
    vec![
        format!("let err = {call}.expect_err({msg});"),
        format!("assert_eq!(err, {variant}, {msg});"),
        format!("assert_eq!(winsock_ioctl::raw_os_error(&std::io::Error::from(err)), Some({value}i32));"),
    ]
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Ok => "success".into(),
        Outcome::Pending => "a request that stays pending".into(),
        Outcome::Error(n, v) => format!("`{n}` ({v})"),
    }
}

/// A Rust expression of the safe input type for a scenario's input.
fn input_text(ir: &Ir, shape: &Shape, lit: &InputLiteral) -> String {
    match (shape, lit) {
        (Shape::Enum(e), InputLiteral::Variant(v)) => enum_text(ir, e, v),
        (Shape::Struct(st), InputLiteral::Struct(fields)) => struct_text(ir, st, fields),
        (_, other) => literal_text(other),
    }
}

/// `text` as a Rust string literal.
fn str_lit(text: &str) -> String {
    format!("{text:?}")
}

fn literal_text(lit: &InputLiteral) -> String {
    let addr = |a: &str| format!("{}.parse::<std::net::SocketAddr>().expect(\"a socket address\")", str_lit(a));
    match lit {
        InputLiteral::Bool(b) => b.to_string(),
        InputLiteral::Int(n) => n.to_string(),
        InputLiteral::SockAddr(a) => addr(a),
        InputLiteral::Guid(g) => format!("{g:#034x}_u128"),
        InputLiteral::Bytes(b) => format!("&[{}][..]", b.iter().map(|x| format!("{x}u8")).collect::<Vec<_>>().join(", ")),
        InputLiteral::AddressList(a) => format!("&[{}][..]", a.iter().map(|x| addr(x)).collect::<Vec<_>>().join(", ")),
        InputLiteral::Variant(_) | InputLiteral::Struct(_) => unreachable!("typed by input_text"),
    }
}

fn enum_text(ir: &Ir, e: &str, v: &str) -> String {
    format!("{}::{v}", ir.ffi.enum_(e).expect("validated enum").rust)
}

fn struct_text(ir: &Ir, st: &str, fields: &[(String, InputLiteral)]) -> String {
    let def = ir.ffi.struct_(st).expect("validated struct");
    let inits = fields.iter().map(|(name, lit)| {
        let f = def.fields.iter().find(|f| &f.rust == name).expect("validated field");
        let e = match (&f.ty, lit) {
            (FieldType::Enum(e), InputLiteral::Variant(v)) => enum_text(ir, e, v),
            (FieldType::Struct(inner), InputLiteral::Struct(fs)) => struct_text(ir, inner, fs),
            // Address fields are `Option<SocketAddr>` in the safe types.
            (FieldType::Builtin(_), lit @ InputLiteral::SockAddr(_)) => format!("Some({})", literal_text(lit)),
            (_, other) => literal_text(other),
        };
        format!("{name}: {e}")
    });
    format!("{} {{ {} }}", def.rust, inits.collect::<Vec<_>>().join(", "))
}

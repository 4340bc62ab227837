//! Runtime scenarios: a fixture, a form, an input fitting the input buffer's shape, and the
//! outcomes on Windows and on Wine.

use super::{Ctx, Sink, is_snake_ident, sp, text};
use crate::ctypes::SafeScalar;
use crate::ir::{self, FieldType, InputLiteral, Outcome, Shape, ValueLiteral};
use crate::spec;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

pub(super) fn check(
    s: &spec::CodeSpec,
    input: &ir::Buffer,
    output: &ir::Buffer,
    blocking: &ir::Blocking,
    table: &super::errors::Table,
    ctx: &Ctx<'_>,
    sink: &mut Sink<'_, '_>,
) -> Vec<ir::Scenario> {
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    let overlapped_form = ir::has_overlapped_form(input, output, blocking);
    let has_wrapper = ir::has_safe_wrapper(input, output);
    for sc in &s.scenarios {
        let n = sc.name.get_ref();
        let start = sink.count();
        if !is_snake_ident(n) {
            sink.err(sp(&sc.name), format!("scenario name `{n}` is not a snake_case identifier"));
        }
        if !names.insert(n.clone()) {
            sink.err(sp(&sc.name), format!("duplicate scenario `{n}`"));
        }
        if !has_wrapper {
            sink.err(sp(&sc.name), "this code has no safe wrapper (see the warning on its buffers), so it cannot have scenarios");
            continue;
        }
        if *sc.form.get_ref() == spec::Form::Overlapped && !overlapped_form {
            sink.err(
                sp(&sc.form),
                "this code has no overlapped form: it exists for notification codes and for codes with a fixed-size output that support overlapped I/O",
            );
        }
        let selected = matches!(output.shape, Shape::Selected(_));
        let lit = match (&sc.input, input.is_used()) {
            (Some(v), true) if selected => {
                sink.err(sp(v), "this code's output is `selected`: its `choice` gives the input, so leave out `input`");
                None
            }
            (Some(v), true) => match &input.shape {
                Shape::Scalar(c) if input.as_bool => scalar_literal(v.get_ref(), c.safe, c.c, true, sp(v), sink),
                shape => input_literal(v, shape, ctx, sink),
            },
            (Some(v), false) => {
                sink.err(sp(v), "this code has no input, so the scenario cannot give one");
                None
            }
            (None, true) if !selected => {
                sink.err(sp(&sc.name), "this code takes an input: give the scenario an `input`");
                None
            }
            (None, _) => None,
        };
        let choice = match (&sc.choice, &output.shape) {
            (Some(c), Shape::Selected(choices)) => {
                if !choices.iter().any(|x| &x.rust == c.get_ref()) {
                    let known: Vec<&str> = choices.iter().map(|x| x.rust.as_str()).collect();
                    let hint = crate::diag::did_you_mean(c.get_ref(), known.iter().copied());
                    sink.err(sp(c), format!("no choice named `{}`; choices: {}{hint}", c.get_ref(), known.join(", ")));
                }
                Some(c.get_ref().clone())
            }
            (Some(c), _) => {
                sink.err(sp(c), "`choice` applies to codes with a `selected` output");
                None
            }
            (None, Shape::Selected(_)) => {
                sink.err(sp(&sc.name), "this code's output is `selected`: give the scenario a `choice`");
                None
            }
            (None, _) => None,
        };
        let value = sc.value.as_ref().and_then(|v| value_literal(v, output, sink));
        // A synchronous call that Windows documents as blocking until the event is `pending` too.
        let windows = outcome(&sc.windows, spec::Form::Overlapped, table, ctx, sink);
        let wine = outcome(&sc.wine, *sc.form.get_ref(), table, ctx, sink);
        if let (Some(v), Some(w)) = (&sc.value, &wine)
            && *w != Outcome::Ok
        {
            sink.err(sp(v), "a `value` is asserted only when Wine's outcome is `ok`");
        }
        if let (Some(w), Some(x)) = (&windows, &wine)
            && w != x
            && sc.note.is_none()
        {
            sink.err(sp(&sc.wine), "Wine's outcome differs from the documented one: add a `note` saying how");
        }
        if sink.count() > start {
            continue;
        }
        if let (Some(windows), Some(wine)) = (windows, wine) {
            out.push(ir::Scenario {
                name: n.clone(),
                socket: sc.socket,
                form: *sc.form.get_ref(),
                input: lit,
                choice,
                value,
                windows,
                wine,
                note: sc.note.as_ref().map(text),
            });
        }
    }
    out
}

fn input_literal(v: &Spanned<toml::Value>, shape: &Shape, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Option<InputLiteral> {
    let at = sp(v);
    match shape {
        Shape::Scalar(c) => scalar_literal(v.get_ref(), c.safe, c.c, false, at, sink),
        Shape::Enum(e) => enum_literal(v.get_ref(), e, ctx, at, sink),
        Shape::Struct(st) => struct_literal(v.get_ref(), st, ctx, at, sink),
        Shape::Guid => guid_literal(v.get_ref(), at, sink),
        Shape::AddressList => {
            let items: Option<Vec<String>> = v.get_ref().as_array().and_then(|a| {
                a.iter().map(|x| x.as_str().filter(|s| s.parse::<std::net::SocketAddr>().is_ok()).map(str::to_owned)).collect()
            });
            if items.is_none() {
                sink.err(at, "an address-list input is an array of `\"ip:port\"` strings");
            }
            items.map(InputLiteral::AddressList)
        }
        Shape::Bytes => match v.get_ref() {
            toml::Value::Array(items) => {
                let bytes: Option<Vec<u8>> = items.iter().map(|i| i.as_integer().and_then(|n| u8::try_from(n).ok())).collect();
                if bytes.is_none() {
                    sink.err(at, "a bytes input is an array of integers from 0 to 255");
                }
                bytes.map(InputLiteral::Bytes)
            }
            _ => {
                sink.err(at, "a bytes input is an array of integers from 0 to 255");
                None
            }
        },
        Shape::SockAddr => match v.get_ref() {
            toml::Value::String(a) if a.parse::<std::net::SocketAddr>().is_ok() => Some(InputLiteral::SockAddr(a.clone())),
            _ => {
                sink.err(at, "a socket-address input is a string `\"ip:port\"`");
                None
            }
        },
        other => {
            sink.err(at, format!("scenarios cannot give an input of this shape ({other:?})"));
            None
        }
    }
}

fn scalar_literal(
    v: &toml::Value,
    safe: SafeScalar,
    c: &str,
    as_bool: bool,
    at: Range<usize>,
    sink: &mut Sink<'_, '_>,
) -> Option<InputLiteral> {
    match (v, safe) {
        (toml::Value::Boolean(b), SafeScalar::Bool | SafeScalar::Bool8) => Some(InputLiteral::Bool(*b)),
        (toml::Value::Boolean(b), _) if as_bool => Some(InputLiteral::Bool(*b)),
        (toml::Value::Integer(n), s) if s.is_integer() && !as_bool => {
            let t = crate::ctypes::lookup(c).expect("scalar from the table");
            if super::ffi::fits(*n, t) {
                Some(InputLiteral::Int(*n))
            } else {
                sink.err(at, format!("{n} does not fit in `{c}`"));
                None
            }
        }
        _ => {
            let want = if as_bool || matches!(safe, SafeScalar::Bool | SafeScalar::Bool8) { "a boolean" } else { "an integer" };
            sink.err(at, format!("this input is `{c}`: give {want}"));
            None
        }
    }
}

fn guid_literal(v: &toml::Value, at: Range<usize>, sink: &mut Sink<'_, '_>) -> Option<InputLiteral> {
    let parsed = v.as_str().and_then(super::ffi::parse_guid);
    if parsed.is_none() {
        sink.err(at, "a GUID is a string `\"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"`");
    }
    parsed.map(|g| InputLiteral::Guid(super::ffi::guid_u128(g)))
}

fn enum_literal(v: &toml::Value, e: &str, ctx: &Ctx<'_>, at: Range<usize>, sink: &mut Sink<'_, '_>) -> Option<InputLiteral> {
    let en = ctx.ffi.enum_(e).expect("shape refers to a known enum");
    if let toml::Value::String(s) = v
        && let Some((_, _, variant, _)) = en.values.iter().find(|(c, _, r, _)| c == s || r == s)
    {
        return Some(InputLiteral::Variant(variant.clone()));
    }
    let names: Vec<&str> = en.values.iter().map(|(c, ..)| c.as_str()).collect();
    sink.err(at, format!("this input is the enum `{e}`: give one of {}", names.join(", ")));
    None
}

fn struct_literal(v: &toml::Value, st: &str, ctx: &Ctx<'_>, at: Range<usize>, sink: &mut Sink<'_, '_>) -> Option<InputLiteral> {
    let def = ctx.ffi.struct_(st).expect("shape refers to a known struct");
    let fields: Vec<&ir::FfiField> = def.fields.iter().filter(|f| !f.reserved).collect();
    let toml::Value::Table(t) = v else {
        let names: Vec<&str> = fields.iter().map(|f| f.rust.as_str()).collect();
        sink.err(at, format!("this input is the struct `{st}`: give an inline table of {}", names.join(", ")));
        return None;
    };
    for k in t.keys() {
        if !fields.iter().any(|f| &f.rust == k) {
            sink.err(at.clone(), format!("`{st}` has no field `{k}`"));
        }
    }
    let mut out = Vec::new();
    for f in fields {
        let Some(x) = t.get(&f.rust) else {
            sink.err(at.clone(), format!("field `{}` of `{st}` is missing", f.rust));
            continue;
        };
        let lit = match &f.ty {
            FieldType::Scalar(c) => scalar_literal(x, c.safe, c.c, f.as_bool, at.clone(), sink),
            FieldType::Enum(e) => enum_literal(x, e, ctx, at.clone(), sink),
            FieldType::Struct(inner) => struct_literal(x, inner, ctx, at.clone(), sink),
            FieldType::Builtin(b) if b.kind == crate::ctypes::BuiltinKind::Guid => guid_literal(x, at.clone(), sink),
            FieldType::Builtin(b) if b.kind == crate::ctypes::BuiltinKind::SockAddr => match x {
                toml::Value::String(a) if a.parse::<std::net::SocketAddr>().is_ok() => Some(InputLiteral::SockAddr(a.clone())),
                _ => {
                    sink.err(at.clone(), format!("field `{}` is a socket address: give a string `\"ip:port\"`", f.rust));
                    None
                }
            },
            _ => {
                sink.err(at.clone(), format!("scenarios cannot give field `{}` of this type", f.rust));
                None
            }
        };
        out.extend(lit.map(|l| (f.rust.clone(), l)));
    }
    Some(InputLiteral::Struct(out))
}

fn value_literal(v: &Spanned<toml::Value>, output: &ir::Buffer, sink: &mut Sink<'_, '_>) -> Option<ValueLiteral> {
    match (v.get_ref(), &output.shape) {
        (toml::Value::Boolean(b), Shape::Scalar(_)) if output.as_bool => Some(ValueLiteral::Bool(*b)),
        (toml::Value::Boolean(b), Shape::Scalar(c)) if matches!(c.safe, SafeScalar::Bool | SafeScalar::Bool8) => {
            Some(ValueLiteral::Bool(*b))
        }
        (toml::Value::Integer(n), Shape::Scalar(c)) if c.safe.is_integer() => Some(ValueLiteral::Int(*n)),
        (toml::Value::String(s), Shape::Scalar(c)) if c.safe == SafeScalar::Socket && s == "the_socket" => Some(ValueLiteral::TheSocket),
        _ => {
            sink.err(sp(v), "`value` is a boolean or integer for scalar outputs, or \"the_socket\" for a socket output");
            None
        }
    }
}

/// An outcome is `ok`, `pending` or a row of the code's error table: the error an outcome names
/// is one the code's documents list, or the table is missing a row (Wine's errors too are rows, so
/// that the typed error has a variant for them and the docs say what they mean).
fn outcome(o: &Spanned<String>, form: spec::Form, table: &super::errors::Table, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Option<Outcome> {
    match o.get_ref().as_str() {
        "ok" => Some(Outcome::Ok),
        "pending" if form == spec::Form::Overlapped => Some(Outcome::Pending),
        "pending" => {
            sink.err(sp(o), "only an overlapped scenario can stay `pending`");
            None
        }
        n => match ctx.by_name.get(n) {
            Some(e) if table.names.contains(n) => Some(Outcome::Error(e.name.clone(), e.value)),
            Some(_) => {
                let hint = crate::diag::did_you_mean(n, table.names.iter().map(String::as_str));
                sink.err(sp(o), format!("outcome `{n}` is not a row of this code's error table: add the row, saying what the error means for this code{hint}"));
                None
            }
            None => {
                let known = ["ok", "pending"].into_iter().chain(table.names.iter().map(String::as_str));
                let hint = crate::diag::did_you_mean(n, known);
                sink.err(sp(o), format!("outcome `{n}` is neither `ok`, `pending` nor an error in the catalogue{hint}"));
                None
            }
        },
    }
}

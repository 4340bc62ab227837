//! The input and output buffers: each `kind` with its `type` resolves to one [`Shape`] that the
//! safe layer knows how to encode or decode. A type the safe layer cannot express yet (a struct
//! with pointer fields, say) is a warning, not an error: the code still gets its sys items.

use super::requirements::{CLIENT_VERSIONS, check_version};
use super::{Ctx, Sink, is_snake_ident, sp, text};
use crate::ctypes::{self, BuiltinKind, SafeScalar};
use crate::ir::{self, ChoiceInput, ChoiceOutput, Shape};
use crate::spec::{self, BufferKind};
use toml::Spanned;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Input => "input",
            Side::Output => "output",
        }
    }
}

/// Variable-length layouts a `variable` buffer may name.
const VARIABLE_TYPES: &str = "SOCKET_ADDRESS_LIST, SOCKADDR or SOCKADDR_STORAGE (a socket address), BYTE (opaque bytes)";

pub(super) fn input(b: &spec::Buffer, s: &spec::CodeSpec, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Option<ir::Buffer> {
    buffer(b, Side::Input, s, ctx, None, sink)
}

pub(super) fn output(
    b: &spec::Buffer,
    s: &spec::CodeSpec,
    ctx: &Ctx<'_>,
    input: Option<&ir::Buffer>,
    sink: &mut Sink<'_, '_>,
) -> Option<ir::Buffer> {
    buffer(b, Side::Output, s, ctx, input, sink)
}

fn buffer(
    b: &spec::Buffer,
    side: Side,
    s: &spec::CodeSpec,
    ctx: &Ctx<'_>,
    input: Option<&ir::Buffer>,
    sink: &mut Sink<'_, '_>,
) -> Option<ir::Buffer> {
    let which = side.word();
    let kind = *b.kind.get_ref();
    let start = sink.count();
    let shape = match kind {
        BufferKind::Unknown => {
            if b.ty.is_some() || b.name.is_some() {
                sink.err(sp(&b.kind), format!("an `unknown` {which} buffer has neither `type` nor `name`"));
            }
            Shape::Unsupported("the spec gives its kind as `unknown`".into())
        }
        BufferKind::Unused | BufferKind::Zero => {
            if let Some(t) = &b.ty {
                sink.err(sp(t), format!("an `{}` {which} buffer has no `type`", kind_name(kind)));
            }
            Shape::None
        }
        BufferKind::Value => match &b.ty {
            Some(t) => value_shape(t, which, ctx, sink),
            None => missing_type(b, which, sink),
        },
        BufferKind::Variable => match &b.ty {
            Some(t) => variable_shape(t, ctx, sink),
            None => missing_type(b, which, sink),
        },
        BufferKind::Array => match (&b.ty, side) {
            (_, Side::Input) => {
                sink.err(sp(&b.kind), "`array` buffers are outputs only");
                Shape::None
            }
            (Some(t), Side::Output) => array_shape(t, ctx, sink),
            (None, Side::Output) => missing_type(b, which, sink),
        },
        BufferKind::Selected => match side {
            Side::Input => {
                sink.err(sp(&b.kind), "`selected` buffers are outputs only: the input value does the selecting");
                Shape::None
            }
            Side::Output => {
                if let Some(t) = &b.ty {
                    sink.err(sp(t), "a `selected` output has no `type`: each of its `choices` has one");
                }
                selected_shape(b, input, ctx, sink)
            }
        },
    };
    if kind != BufferKind::Selected && !b.choices.is_empty() {
        sink.err(sp(&b.kind), "`choices` belong to `selected` outputs");
    }
    let grows = side == Side::Output && matches!(kind, BufferKind::Variable | BufferKind::Array);
    if !b.grow_on.is_empty() && !grows {
        sink.err(sp(&b.grow_on[0]), "`grow_on` applies to variable-length outputs only");
    }
    if let (Shape::Unsupported(why), true) = (&shape, s.documented) {
        sink.warn(sp(&b.kind), format!("the safe layer cannot express this {which} yet ({why}); the code gets its sys items only"));
    }
    if let Some(n) = &b.name {
        if !is_snake_ident(n.get_ref()) {
            sink.err(sp(n), format!("`{}` is not a snake_case identifier", n.get_ref()));
        }
    } else if side == Side::Input && !matches!(kind, BufferKind::Unused | BufferKind::Zero | BufferKind::Unknown) {
        sink.err(sp(&b.kind), "an input needs a `name` for the wrapper's parameter");
    }
    if let Some(r) = &b.range {
        if !s.ranges.iter().any(|x| x.id.get_ref() == r.get_ref()) {
            sink.err(sp(r), format!("no range with id `{}` in this spec", r.get_ref()));
        } else if !matches!(shape, Shape::Scalar(_)) {
            sink.err(sp(r), "a `range` applies to scalar values only");
        }
    }
    let integer = matches!(&shape, Shape::Scalar(c) if c.safe.is_integer());
    let as_bool = super::as_bool(b.as_type.as_ref(), integer, "`value` buffers", sink);
    (sink.count() == start).then(|| ir::Buffer {
        as_bool,
        kind,
        c_type: b.ty.as_ref().map(|t| t.get_ref().clone()),
        shape,
        name: b.name.as_ref().map(|n| n.get_ref().clone()),
        text: b.text.as_ref().map(text),
        range: b.range.as_ref().map(|r| r.get_ref().clone()),
        grow_on: b.grow_on.iter().map(|g| g.get_ref().clone()).collect(),
    })
}

fn missing_type(b: &spec::Buffer, which: &str, sink: &mut Sink<'_, '_>) -> Shape {
    sink.err(sp(&b.kind), format!("a `{}` {which} buffer needs a `type`", kind_name(*b.kind.get_ref())));
    Shape::None
}

/// Every type name a spec may use, for "unknown type" messages.
fn known_types(ctx: &Ctx<'_>) -> String {
    let mut v: Vec<&str> = ctypes::names().collect();
    v.extend(ctypes::builtins().iter().map(|b| b.c));
    v.extend(ctx.ffi.structs.iter().map(|s| s.name.as_str()));
    v.extend(ctx.ffi.enums.iter().map(|s| s.name.as_str()));
    v.sort_unstable();
    v.join(", ")
}

fn unknown(t: &Spanned<String>, which: &str, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Shape {
    sink.err(
        sp(t),
        format!(
            "unknown {which} type `{}`: not a scalar, a builtin, or a struct or enum of metadata/ffi.toml; known: {}",
            t.get_ref(),
            known_types(ctx)
        ),
    );
    Shape::None
}

fn value_shape(t: &Spanned<String>, which: &str, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Shape {
    let name = t.get_ref().as_str();
    if let Some(c) = ctypes::lookup(name) {
        return match c.safe {
            SafeScalar::Pointer => Shape::Unsupported(format!("`{name}` is a raw pointer or handle")),
            _ => Shape::Scalar(c),
        };
    }
    if let Some(st) = ctx.ffi.struct_(name) {
        return match &st.not_safe {
            Some(why) => Shape::Unsupported(format!("struct `{name}`: {why}")),
            None => Shape::Struct(name.to_owned()),
        };
    }
    if ctx.ffi.enum_(name).is_some() {
        return Shape::Enum(name.to_owned());
    }
    match ctypes::builtin(name).map(|b| b.kind) {
        Some(BuiltinKind::Guid) => Shape::Guid,
        Some(BuiltinKind::SockAddr) => {
            sink.err(sp(t), format!("`{name}` is a socket address, whose length depends on its family: use `kind = \"variable\"`"));
            Shape::None
        }
        None if ctx.ffi.fn_ptr(name).is_some() => {
            sink.err(sp(t), format!("`{name}` is a function pointer: it is one of the `choices` of a `selected` output"));
            Shape::None
        }
        None => unknown(t, which, ctx, sink),
    }
}

fn variable_shape(t: &Spanned<String>, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Shape {
    let name = t.get_ref().as_str();
    match name {
        "SOCKET_ADDRESS_LIST" => return Shape::AddressList,
        "BYTE" => return Shape::Bytes,
        _ => {}
    }
    if ctypes::builtin(name).is_some_and(|b| b.kind == BuiltinKind::SockAddr) {
        return Shape::SockAddr;
    }
    if ctx.ffi.struct_(name).is_some() || ctypes::lookup(name).is_some() || ctx.ffi.enum_(name).is_some() {
        sink.err(
            sp(t),
            format!("`{name}` has a fixed size: use `kind = \"value\"` (or `\"array\"` for a sequence of them); `variable` takes {VARIABLE_TYPES}"),
        );
        return Shape::None;
    }
    sink.err(sp(t), format!("unknown variable-length type `{name}`; `variable` takes {VARIABLE_TYPES}"));
    Shape::None
}

fn array_shape(t: &Spanned<String>, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Shape {
    let name = t.get_ref().as_str();
    match ctx.ffi.struct_(name) {
        Some(st) => match &st.not_safe {
            Some(why) => Shape::Unsupported(format!("array of `{name}`: {why}")),
            None => Shape::Array(name.to_owned()),
        },
        None => {
            sink.err(sp(t), format!("an `array` holds structs of metadata/ffi.toml; `{name}` is not one"));
            Shape::None
        }
    }
}

fn selected_shape(b: &spec::Buffer, input: Option<&ir::Buffer>, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Shape {
    if b.choices.is_empty() {
        sink.err(sp(&b.kind), "a `selected` output needs at least one of `choices`");
        return Shape::None;
    }
    let selector = input.map(|i| &i.shape);
    let mut out: Vec<ir::Choice> = Vec::new();
    for c in &b.choices {
        let chosen_by = match (c.input.get_ref(), selector) {
            (toml::Value::Integer(n), Some(Shape::Scalar(t))) if t.safe != SafeScalar::Bool && *n >= 0 => Some(ChoiceInput::Int(*n as u64)),
            (toml::Value::String(g), Some(Shape::Guid)) => match ctx.ffi.guids.iter().find(|x| &x.name == g) {
                Some(guid) => Some(ChoiceInput::Guid(g.clone(), super::ffi::guid_bytes(guid.value))),
                None => {
                    sink.err(sp(&c.input), format!("no GUID named `{g}` in metadata/ffi.toml"));
                    None
                }
            },
            (_, None) => None, // the input buffer already failed
            _ => {
                sink.err(sp(&c.input), "a choice's `input` is a non-negative integer (integer input) or a GUID name (GUID input)");
                None
            }
        };
        let name = c.ty.get_ref();
        let chosen = if let Some(st) = ctx.ffi.struct_(name) {
            match &st.not_safe {
                Some(why) => {
                    sink.err(sp(&c.ty), format!("struct `{name}` cannot be a choice: {why}"));
                    None
                }
                None => Some((ChoiceOutput::Struct(name.clone()), st.rust.clone())),
            }
        } else if let Some(f) = ctx.ffi.fn_ptr(name) {
            match &f.rust {
                Some(r) => Some((ChoiceOutput::FnPtr(name.clone()), r.clone())),
                None => {
                    sink.err(sp(&c.ty), format!("function pointer `{name}` needs a `rust` name in metadata/ffi.toml to be a choice"));
                    None
                }
            }
        } else {
            sink.err(sp(&c.ty), format!("a choice's `type` is a struct or function pointer of metadata/ffi.toml; `{name}` is neither"));
            None
        };
        if let Some(v) = &c.min_client {
            check_version(v, CLIENT_VERSIONS, sink);
        }
        if let (Some(input), Some((output, rust))) = (chosen_by, chosen) {
            if out.iter().any(|o| o.input == input) {
                sink.err(sp(&c.input), "two choices are selected by the same input");
            }
            if out.iter().any(|o| o.rust == rust) {
                sink.err(sp(&c.ty), format!("`{rust}` is already a choice"));
            }
            out.push(ir::Choice { input, output, rust, min_client: c.min_client.as_ref().map(|v| v.get_ref().clone()) });
        }
    }
    Shape::Selected(out)
}

fn kind_name(k: BufferKind) -> &'static str {
    match k {
        BufferKind::Unused => "unused",
        BufferKind::Zero => "zero",
        BufferKind::Value => "value",
        BufferKind::Variable => "variable",
        BufferKind::Array => "array",
        BufferKind::Selected => "selected",
        BufferKind::Unknown => "unknown",
    }
}

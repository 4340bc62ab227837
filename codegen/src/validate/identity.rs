//! The code's identity: its name, value and composition, and whether the composition's direction
//! bits agree with the buffers.

use super::{Sink, is_macro_name, sp, string_content_start};
use crate::compose::{self, Composition, Direction};
use crate::ir;
use crate::spec;

/// Checks the name against the file and the value against the composition.
pub(super) fn check(s: &spec::CodeSpec, stem: &str, sink: &mut Sink<'_, '_>) -> Option<Composition> {
    let name = s.name.get_ref();
    if !is_macro_name(name) {
        sink.err(sp(&s.name), format!("`{name}` is not a control-code macro name (UPPER_SNAKE_CASE)"));
    }
    if name != stem {
        sink.err(sp(&s.name), format!("name `{name}` does not match the file name `{stem}.toml`"));
    }
    let offset = string_content_start(sink.text(), sp(&s.composition));
    let composition = match compose::parse(s.composition.get_ref()) {
        Ok(c) => c,
        Err(e) => {
            sink.err(offset + e.at.start..offset + e.at.end, e.message);
            return None;
        }
    };
    if composition.value() != *s.value.get_ref() {
        sink.err(
            sp(&s.value),
            format!(
                "value {:#010x} disagrees with its composition `{composition}`, which is {:#010x}",
                s.value.get_ref(),
                composition.value()
            ),
        );
    }
    Some(composition)
}

/// The direction bits of the composition must match which buffers are used, unless the spec
/// gives the documented reason why not.
pub(super) fn direction(s: &spec::CodeSpec, c: &Composition, input: &ir::Buffer, output: &ir::Buffer, sink: &mut Sink<'_, '_>) {
    let want = Direction::from_uses(input.is_used(), output.is_used());
    let have = c.direction();
    match (&s.direction_exception, want == have) {
        (None, false) => sink.err(
            sp(&s.composition),
            format!("direction bits of `{c}` are {have}, but the buffers call for {want}; fix the buffers or give `direction_exception` with the documented reason"),
        ),
        (Some(x), true) => sink.err(sp(x), "`direction_exception` given, but the direction bits agree with the buffers"),
        _ => {}
    }
}

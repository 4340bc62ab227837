//! Names the emitters turn into Rust identifiers: C names the sys crate keeps as they are (error
//! codes, FFI items, their fields, values and parameters) and the Rust names derived from a
//! spec's names. One that is not an identifier would make the emitters write invalid Rust, so it
//! is a located error here.

use super::{Sink, sp};
use toml::Spanned;

/// Rust's strict and reserved keywords: none can name an item (raw identifiers are not written).
const KEYWORDS: [&str; 52] = [
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override",
    "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Why `name`, a C name the generated Rust uses as it is, cannot be one; `None` if it can.
pub(crate) fn c_name_problem(name: &str) -> Option<String> {
    let ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name != "_"
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        Some("the name is empty".to_owned())
    } else if !ident {
        Some(format!("`{name}` is not a C identifier (ASCII letters, digits and `_`, not starting with a digit)"))
    } else if is_keyword(name) {
        Some(format!("`{name}` is a Rust keyword, which the generated code cannot use as a name"))
    } else {
        None
    }
}

/// Reports `name` unless the generated Rust can use it as it is.
pub(crate) fn c_name(name: &Spanned<String>, sink: &mut Sink<'_, '_>) {
    if let Some(problem) = c_name_problem(name.get_ref()) {
        sink.err(sp(name), problem);
    }
}

/// Reports `derived`, the Rust name made from `from`, unless it is `ok` as an identifier of its
/// kind; `fix` says where to give one instead. Nothing is reported when `from` is no identifier
/// itself: that is reported where it is checked.
pub(crate) fn derived(ok: bool, derived: &str, from: &Spanned<String>, fix: &str, sink: &mut Sink<'_, '_>) {
    if !ok && c_name_problem(from.get_ref()).is_none() {
        sink.err(sp(from), format!("the Rust name `{derived}` made from `{}` is not an identifier; give one with {fix}", from.get_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_names_are_identifiers_in_rust_too() {
        for ok in ["WSAENOTCONN", "_WSAIO", "tcp_keepalive", "TCP_INFO_v0", "x1"] {
            assert_eq!(c_name_problem(ok), None, "{ok}");
        }
        for bad in ["", "_", "1X", "two words", "a-b", "é", "type", "Self"] {
            assert!(c_name_problem(bad).is_some(), "{bad}");
        }
    }
}

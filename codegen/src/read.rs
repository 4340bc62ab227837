//! Reading one TOML file into its serde mirror, with every problem the file has reported at once.
//!
//! toml's parser recovers from syntax errors, so all of those come out of one pass; a file with
//! any goes no further, as its tree may be missing whole tables. serde, though, stops at the first
//! place where the tree does not fit the spec types. After each such error the tree is repaired
//! where the error is and deserialised again:
//!
//! - an unknown key close to a known one that the table lacks is renamed to it (the suggestion
//!   the message makes), so that its value is still checked; any other unknown key is dropped;
//! - a value of the wrong type, and a required key that is missing, get a stand-in value, whose
//!   type is learnt from what serde says of it next.
//!
//! Stand-ins carry spans past the end of the text, and nothing said about them is reported: the
//! missing key or the wrong value was. Rules that fail because of a stand-in can also point
//! elsewhere in its table (a stand-in `kind` makes the table's `type` look wrong), so the extent
//! of every table below the top that holds one is kept `quiet`. A file that needed a stand-in is
//! `repaired`: its own rules are still checked, so that their errors show beside serde's, but it
//! yields no IR and takes no part in the checks across files.

use crate::diag::{Diagnostic, Locator};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue, Deserializer};

/// Repairs tried on one file before giving up; a file with more problems than this reports the
/// first ones.
const MAX_REPAIRS: usize = 200;

/// A file read as far as it could be.
pub(crate) struct Read<T> {
    /// The mirror, when the file's syntax is valid and repairs made it fit.
    pub value: Option<T>,
    /// Syntax and type errors, in the order found.
    pub diags: Vec<Diagnostic>,
    /// Whether `value` has stand-ins in it.
    pub repaired: bool,
    /// Byte ranges (tables below the top holding a stand-in) where the file's own rules should
    /// report nothing.
    pub quiet: Vec<Range<usize>>,
    /// Top-level keys with a stand-in somewhere inside: what the rules know of them is a guess.
    pub poisoned: BTreeSet<String>,
}

/// Reads `loc`'s text as a `T`.
pub(crate) fn read<T: DeserializeOwned>(loc: &Locator<'_>) -> Read<T> {
    let text = loc.text();
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let diags = syntax.iter().map(|e| loc.toml_error(e)).collect();
        return Read { value: None, diags, repaired: false, quiet: Vec::new(), poisoned: BTreeSet::new() };
    }
    let mut diags = Vec::new();
    check_texts(root.get_ref(), loc, &mut diags);
    // Most files fit at once: read them without copying the tree.
    if let Ok(value) = T::deserialize(Deserializer::from(root)) {
        return Read { value: Some(value), diags, repaired: false, quiet: Vec::new(), poisoned: BTreeSet::new() };
    }
    let (mut root, _) = DeTable::parse_recoverable(text);
    let mut repaired = false;
    let mut next_stand_in = text.len() + 1;
    for _ in 0..MAX_REPAIRS {
        let err = match T::deserialize(Deserializer::from(root.clone())) {
            Ok(value) => {
                let mut quiet = Vec::new();
                quiet_tables(root.get_ref(), text.len(), &mut quiet);
                let poisoned = root.get_ref().iter().filter(|(k, v)| k.span().start > text.len() || holds_stand_in(v, text.len()));
                let poisoned = poisoned.map(|(k, _)| k.get_ref().to_string()).collect();
                return Read { value: Some(value), diags, repaired, quiet, poisoned };
            }
            Err(err) => err,
        };
        let Some(span) = err.span() else {
            diags.push(loc.toml_error(&err));
            break;
        };
        let message = err.message().lines().next().unwrap_or_default().to_owned();
        let fixed = if span.start > text.len() {
            refine_stand_in(&mut root, &span, &message, &mut next_stand_in)
        } else {
            let diag = loc.toml_error(&err);
            let suggestion = diag.message.rsplit_once("did you mean `").and_then(|(_, s)| s.split('`').next()).map(str::to_owned);
            diags.push(diag);
            repaired |= !message.starts_with("unknown field");
            if let Some(key) = missing_field(&message) {
                insert_stand_in(&mut root, &span, key, &mut next_stand_in)
            } else if message.starts_with("unknown field") {
                edit_at(&mut root, span.start, &Edit::Remove(suggestion))
            } else {
                let at = next_stand_in..next_stand_in;
                next_stand_in += 1;
                edit_at(&mut root, span.start, &Edit::StandIn(at))
            }
        };
        if !fixed {
            break;
        }
    }
    Read { value: None, diags, repaired: true, quiet: Vec::new(), poisoned: BTreeSet::new() }
}

/// Whether `v` is or holds a stand-in (a span past `len`).
fn holds_stand_in(v: &Spanned<DeValue<'_>>, len: usize) -> bool {
    v.span().start > len
        || match v.get_ref() {
            DeValue::Table(t) => t.iter().any(|(k, x)| k.span().start > len || holds_stand_in(x, len)),
            DeValue::Array(a) => a.iter().any(|x| holds_stand_in(x, len)),
            _ => false,
        }
}

/// Adds the extent of every table below `table` that directly holds a stand-in (a span at or
/// past `len`).
fn quiet_tables(table: &DeTable<'_>, len: usize, quiet: &mut Vec<Range<usize>>) {
    fn stand_in(v: &Spanned<DeValue<'_>>, len: usize) -> bool {
        v.span().start > len || matches!(v.get_ref(), DeValue::Array(a) if a.iter().any(|x| x.span().start > len))
    }
    /// Widens `out` (first start, last end) to `s` unless it is a stand-in's.
    fn add(s: Range<usize>, len: usize, out: &mut (usize, usize)) {
        if s.start <= len {
            *out = (out.0.min(s.start), out.1.max(s.end));
        }
    }
    /// Widens `out` to every real span in `v`.
    fn extent(v: &Spanned<DeValue<'_>>, len: usize, out: &mut (usize, usize)) {
        add(v.span(), len, out);
        match v.get_ref() {
            DeValue::Table(t) => t.iter().for_each(|(k, x)| {
                add(k.span(), len, out);
                extent(x, len, out);
            }),
            DeValue::Array(a) => a.iter().for_each(|x| extent(x, len, out)),
            _ => {}
        }
    }
    fn walk(v: &Spanned<DeValue<'_>>, len: usize, quiet: &mut Vec<Range<usize>>) {
        match v.get_ref() {
            DeValue::Table(t) => {
                if t.iter().any(|(_, x)| stand_in(x, len)) {
                    let mut out = (usize::MAX, 0);
                    extent(v, len, &mut out);
                    if out.0 < out.1 {
                        quiet.push(out.0..out.1);
                    }
                }
                quiet_tables(t, len, quiet);
            }
            DeValue::Array(a) => a.iter().for_each(|x| walk(x, len, quiet)),
            _ => {}
        }
    }
    table.iter().for_each(|(_, v)| walk(v, len, quiet));
}

/// Every `en` and `ja` string of the file, wherever it is: English must say something, and
/// Japanese must contain Japanese (a copy of the English, or a placeholder, is a mistake).
fn check_texts(table: &DeTable<'_>, loc: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    fn value(v: &Spanned<DeValue<'_>>, loc: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
        match v.get_ref() {
            DeValue::Table(t) => check_texts(t, loc, diags),
            DeValue::Array(a) => a.iter().for_each(|x| value(x, loc, diags)),
            _ => {}
        }
    }
    for (k, v) in table.iter() {
        let (DeValue::String(text), lang @ ("en" | "ja")) = (v.get_ref(), k.get_ref().as_ref()) else {
            value(v, loc, diags);
            continue;
        };
        let at = crate::validate::string_content_start(loc.text(), v.span());
        if text.trim().is_empty() {
            diags.push(loc.at(at..at, format!("the `{lang}` text is empty")));
        } else if lang == "ja" && !text.chars().any(is_japanese) {
            diags.push(loc.at(at..at, "the `ja` text has no Japanese in it (no kana or kanji)"));
        }
    }
}

/// What counts as Japanese in a `ja` text: hiragana, katakana (with the half-width forms) and the
/// CJK ideographs. (The JSON Schema of the specs gives editors the same ranges.)
pub(crate) const JAPANESE: [(char, char); 5] =
    [('\u{3040}', '\u{30ff}'), ('\u{31f0}', '\u{31ff}'), ('\u{3400}', '\u{4dbf}'), ('\u{4e00}', '\u{9fff}'), ('\u{ff66}', '\u{ff9f}')];

fn is_japanese(c: char) -> bool {
    JAPANESE.iter().any(|&(first, last)| (first..=last).contains(&c))
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// A value that serde will take where `expected` is wanted, as its message words it.
fn stand_in_for(expected: &str) -> Option<DeValue<'static>> {
    let literal = if let Some(variants) = expected.strip_prefix("one of ").or_else(|| expected.strip_prefix('`')) {
        // An enum's variants: the first one will do.
        let first = variants.trim_start_matches('`').split('`').next()?;
        return Some(DeValue::String(first.to_owned().into()));
    } else if expected.contains("string") || expected.starts_with("char") {
        "\"\""
    } else if expected.contains("bool") {
        "false"
    } else if expected.contains("integer") || expected.starts_with('i') || expected.starts_with('u') {
        "0"
    } else if expected.contains("sequence") || expected.contains("array") {
        "[]"
    } else if expected.contains("struct") || expected.contains("map") || expected.contains("table") {
        "{}"
    } else {
        return None;
    };
    DeValue::parse(literal).ok().map(Spanned::into_inner)
}

/// Gives the stand-in whose span is `span` the type serde asked for, or another key it lacks.
fn refine_stand_in(root: &mut Spanned<DeTable<'_>>, span: &Range<usize>, message: &str, next: &mut usize) -> bool {
    if let Some(key) = missing_field(message) {
        return insert_stand_in(root, span, key, next);
    }
    let expected = message.rsplit_once("expected ").map_or("", |(_, e)| e);
    let Some(value) = stand_in_for(expected) else { return false };
    let Some(node) = find_value(root, span) else { return false };
    if node.get_ref().type_str() == value.type_str() && !matches!(value, DeValue::String(_)) {
        return false;
    }
    *node = Spanned::new(span.clone(), value);
    true
}

/// Adds `key` with a placeholder value to the table spanning `span` (the root when none other
/// does).
fn insert_stand_in(root: &mut Spanned<DeTable<'_>>, span: &Range<usize>, key: &str, next: &mut usize) -> bool {
    let at = *next..*next;
    *next += 1;
    let in_child = root.get_ref().iter().any(|(_, v)| contains(v, span));
    let table = if in_child {
        match find_value(root, span).map(Spanned::get_mut) {
            Some(DeValue::Table(t)) => t,
            _ => return false,
        }
    } else if root.span() == *span {
        root.get_mut()
    } else {
        return false;
    };
    if table.iter().any(|(k, _)| k.get_ref() == key) {
        return false;
    }
    table.insert(Spanned::new(at.clone(), key.to_owned().into()), Spanned::new(at, DeValue::String("".into())));
    true
}

/// The value whose span is exactly `span`, the innermost if several are.
fn find_value<'t, 'i>(root: &'t mut Spanned<DeTable<'i>>, span: &Range<usize>) -> Option<&'t mut Spanned<DeValue<'i>>> {
    fn find<'t, 'i>(v: &'t mut Spanned<DeValue<'i>>, span: &Range<usize>) -> Option<&'t mut Spanned<DeValue<'i>>> {
        let child = match v.get_ref() {
            DeValue::Table(t) => t.iter().position(|(_, c)| contains(c, span)),
            DeValue::Array(a) => a.iter().position(|c| contains(c, span)),
            _ => None,
        };
        let Some(i) = child else { return (v.span() == *span).then_some(v) };
        match v.get_mut() {
            DeValue::Table(t) => t.iter_mut().nth(i).and_then(|(_, c)| find(c, span)),
            DeValue::Array(a) => find(&mut a.as_mut()[i], span),
            _ => None,
        }
    }
    root.get_mut().iter_mut().map(|(_, v)| v).find(|v| contains(v, span)).and_then(|v| find(v, span))
}

/// Whether `v` or something inside it has exactly `span`.
fn contains(v: &Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    v.span() == *span
        || match v.get_ref() {
            DeValue::Table(t) => t.iter().any(|(_, v)| contains(v, span)),
            DeValue::Array(a) => a.iter().any(|v| contains(v, span)),
            _ => false,
        }
}

/// What to do with the innermost key or array element at an offset.
#[derive(Clone)]
enum Edit {
    /// Drop it (an unknown key), or rename it to the suggested key when its table lacks that.
    Remove(Option<String>),
    /// Keep the key but give it a stand-in value with this span (a value of the wrong type).
    StandIn(Range<usize>),
}

/// Applies `edit` to the innermost key or array element at byte `offset`. A table's own span may
/// cover only its header, so every child is searched, not only the one whose span holds the offset.
fn edit_at(root: &mut Spanned<DeTable<'_>>, offset: usize, edit: &Edit) -> bool {
    fn hit(s: Range<usize>, offset: usize) -> bool {
        s.contains(&offset) || s.start == offset
    }
    fn stand_in(at: &Range<usize>) -> Spanned<DeValue<'static>> {
        Spanned::new(at.clone(), DeValue::String("".into()))
    }
    fn in_table(t: &mut DeTable<'_>, offset: usize, edit: &Edit) -> bool {
        let mut found = None;
        for (k, v) in t.iter_mut() {
            if hit(k.span(), offset) {
                found = Some(k.clone());
                break;
            }
            if in_value(v, offset, edit) {
                return true;
            }
            if hit(v.span(), offset) {
                found = Some(k.clone());
                break;
            }
        }
        let Some(k) = found else { return false };
        match edit {
            Edit::Remove(rename) => {
                let value = t.remove(&k).expect("found above");
                if let Some(new) = rename.as_deref().filter(|n| !t.iter().any(|(k, _)| k.get_ref() == *n)) {
                    t.insert(Spanned::new(k.span(), new.to_owned().into()), value);
                }
            }
            Edit::StandIn(at) => {
                t.insert(k, stand_in(at));
            }
        }
        true
    }
    fn in_value(v: &mut Spanned<DeValue<'_>>, offset: usize, edit: &Edit) -> bool {
        let a = match v.get_mut() {
            DeValue::Array(a) => a,
            DeValue::Table(t) => return in_table(t, offset, edit),
            _ => return false,
        };
        let mut found = None;
        for (i, x) in a.as_mut().iter_mut().enumerate() {
            if in_value(x, offset, edit) {
                return true;
            }
            if hit(x.span(), offset) {
                found = Some(i);
                break;
            }
        }
        let Some(i) = found else { return false };
        let mut kept = DeArray::new();
        for (j, x) in a.iter().enumerate() {
            match (j == i, edit) {
                (false, _) => kept.push(x.clone()),
                (true, Edit::Remove(_)) => {}
                (true, Edit::StandIn(at)) => kept.push(stand_in(at)),
            }
        }
        *a = kept;
        true
    }
    in_table(root.get_mut(), offset, edit)
}

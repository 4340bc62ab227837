//! The error table: every row names a catalogue error once and says what it means for this code.

use super::{Ctx, Sink, sp};
use crate::ir;
use crate::spec;
use std::collections::BTreeSet;
use toml::Spanned;

/// The checked table, and its names for the rules that refer to rows.
pub(super) struct Table {
    pub rows: Vec<ir::ErrorRow>,
    pub names: BTreeSet<String>,
}

impl Table {
    /// Reports `n` unless it is a row of the table.
    pub(super) fn require(&self, n: &Spanned<String>, what: &str, sink: &mut Sink<'_, '_>) {
        if !self.names.contains(n.get_ref()) {
            let hint = crate::diag::did_you_mean(n.get_ref(), self.names.iter().map(String::as_str));
            sink.err(sp(n), format!("{what} `{}` is not a row of this code's error table{hint}", n.get_ref()));
        }
    }
}

pub(super) fn table(s: &spec::CodeSpec, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Table {
    let mut rows = Vec::new();
    let mut names = BTreeSet::new();
    for r in &s.errors {
        let n = r.name.get_ref();
        if !names.insert(n.clone()) {
            sink.err(sp(&r.name), format!("duplicate error row `{n}`"));
            continue;
        }
        match ctx.by_name.get(n.as_str()) {
            Some(e) => rows.push(ir::ErrorRow {
                name: n.clone(),
                value: e.value,
                variant: e.variant.clone(),
                text: ir::Text { en: r.en.clone(), ja: r.ja.clone() },
            }),
            None => {
                let hint = crate::diag::did_you_mean(n, ctx.by_name.keys().copied());
                sink.err(sp(&r.name), format!("error `{n}` is not in the catalogue (metadata/errors.toml){hint}"));
            }
        }
    }
    if s.errors.is_empty() && s.documented {
        sink.err(sp(&s.name), "the error table is empty");
    }
    Table { rows, names }
}

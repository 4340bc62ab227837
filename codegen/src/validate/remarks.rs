//! Notes, item lists, value ranges and related codes.

use super::{Ctx, Sink, check_source, sp, strings, text};
use crate::ir;
use crate::spec;
use std::collections::BTreeSet;

pub(super) struct Remarks {
    pub notes: Vec<(String, ir::Text)>,
    pub lists: Vec<ir::ItemList>,
    pub ranges: Vec<ir::ValueRange>,
}

pub(super) fn check(s: &spec::CodeSpec, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Remarks {
    let mut topics = BTreeSet::new();
    for n in &s.notes {
        if !topics.insert(n.topic.get_ref().clone()) {
            sink.err(sp(&n.topic), format!("duplicate note topic `{}`", n.topic.get_ref()));
        }
    }
    let mut ids = BTreeSet::new();
    for l in &s.lists {
        if !ids.insert(l.id.get_ref().clone()) {
            sink.err(sp(&l.id), format!("duplicate list id `{}`", l.id.get_ref()));
        }
        if l.items.is_empty() {
            sink.err(sp(&l.id), "a list needs at least one item");
        }
        for src in l.sources.iter().chain(&l.missing_in) {
            check_source(src, ctx, sink);
        }
    }
    for rg in &s.ranges {
        if !ids.insert(rg.id.get_ref().clone()) {
            sink.err(sp(&rg.id), format!("duplicate id `{}`", rg.id.get_ref()));
        }
        if rg.min > *rg.max.get_ref() {
            sink.err(sp(&rg.max), format!("range max {} is below min {}", rg.max.get_ref(), rg.min));
        }
    }
    for rel in &s.related {
        if !ctx.all_codes.contains(rel.get_ref().as_str()) {
            let hint = crate::diag::did_you_mean(rel.get_ref(), ctx.all_codes.iter().copied());
            sink.err(sp(rel), format!("related code `{}` has no spec in metadata/codes/{hint}", rel.get_ref()));
        } else if rel.get_ref() == s.name.get_ref() {
            sink.err(sp(rel), "a code cannot be related to itself");
        }
    }
    Remarks {
        notes: s.notes.iter().map(|n| (n.topic.get_ref().clone(), ir::Text { en: n.en.clone(), ja: n.ja.clone() })).collect(),
        lists: s
            .lists
            .iter()
            .map(|l| ir::ItemList {
                id: l.id.get_ref().clone(),
                title: text(&l.title),
                items: l.items.clone(),
                sources: strings(&l.sources),
                missing_in: strings(&l.missing_in),
            })
            .collect(),
        ranges: s
            .ranges
            .iter()
            .map(|r| ir::ValueRange {
                id: r.id.get_ref().clone(),
                min: r.min,
                max: *r.max.get_ref(),
                unit: r.unit.clone(),
                text: text(&r.text),
            })
            .collect(),
    }
}

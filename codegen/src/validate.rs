//! Checks the parsed specs and lowers them into the IR. Every rule that fails adds one located
//! diagnostic; the IR is returned only when there are none.

use crate::compose::{self, Direction};
use crate::ctypes;
use crate::diag::{Diagnostic, Locator};
use crate::ir::{self, Outcome};
use crate::spec::{self, BufferKind, Completion, EndCondition, NonBlocking};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

/// Client versions, oldest first. Specs must name one of these.
pub const CLIENT_VERSIONS: &[&str] = &[
    "Windows 2000",
    "Windows XP",
    "Windows Vista",
    "Windows Vista SP1",
    "Windows 7",
    "Windows 8",
    "Windows 8.1",
    "Windows 10",
    "Windows 10 1703",
    "Windows 10 1809",
    "Windows 11",
];

/// Server versions, oldest first.
pub const SERVER_VERSIONS: &[&str] = &[
    "Windows 2000 Server",
    "Windows Server 2003",
    "Windows Server 2008",
    "Windows Server 2008 R2",
    "Windows Server 2012",
    "Windows Server 2012 R2",
    "Windows Server 2016",
    "Windows Server 2019",
    "Windows Server 2022",
];

/// Variant names the generator adds to every error enum.
pub const RESERVED_VARIANTS: &[&str] = &["Unlisted", "UnexpectedLength", "Other"];

pub(crate) struct ParsedCatalogue<'a> {
    pub loc: Locator<'a>,
    pub spec: spec::Catalogue,
}

pub(crate) struct ParsedCode<'a> {
    pub loc: Locator<'a>,
    pub stem: String,
    pub spec: spec::CodeSpec,
}

fn sp<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// Builds the catalogue map, reporting duplicate names, variants and values.
pub(crate) fn catalogue(cat: &ParsedCatalogue<'_>, diags: &mut Vec<Diagnostic>) -> Vec<ir::CatalogueError> {
    let mut names = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut values = BTreeMap::new();
    let mut out = Vec::new();
    for e in &cat.spec.error {
        if !names.insert(e.name.get_ref().clone()) {
            diags.push(cat.loc.at(sp(&e.name), format!("duplicate error name `{}`", e.name.get_ref())));
        }
        if !is_upper_camel(e.variant.get_ref()) {
            diags.push(cat.loc.at(sp(&e.variant), format!("variant `{}` is not UpperCamelCase", e.variant.get_ref())));
        } else if RESERVED_VARIANTS.contains(&e.variant.get_ref().as_str()) {
            diags.push(cat.loc.at(sp(&e.variant), format!("variant `{}` is reserved for the generator", e.variant.get_ref())));
        } else if !variants.insert(e.variant.get_ref().clone()) {
            diags.push(cat.loc.at(sp(&e.variant), format!("duplicate variant `{}`", e.variant.get_ref())));
        }
        if let Some(prev) = values.insert(*e.value.get_ref(), e.name.get_ref().clone()) {
            diags.push(cat.loc.at(sp(&e.value), format!("value {} is already used by `{prev}`", e.value.get_ref())));
        }
        out.push(ir::CatalogueError {
            name: e.name.get_ref().clone(),
            value: *e.value.get_ref(),
            variant: e.variant.get_ref().clone(),
            text: ir::Text { en: e.en.clone(), ja: e.ja.clone() },
        });
    }
    out.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
    out
}

/// Validates all codes against each other and the catalogue.
///
/// `all_stems` are the file stems of every spec, including those that failed to parse, so that a
/// syntax error in one spec does not also show up as a dangling `related` entry in another.
pub(crate) fn codes(
    parsed: &[ParsedCode<'_>],
    all_stems: &[&str],
    catalogue: &[ir::CatalogueError],
    diags: &mut Vec<Diagnostic>,
) -> Vec<ir::Code> {
    let by_name: BTreeMap<&str, &ir::CatalogueError> = catalogue.iter().map(|e| (e.name.as_str(), e)).collect();
    let all_names: BTreeSet<&str> = all_stems.iter().copied().collect();
    let mut seen_names: BTreeMap<String, String> = BTreeMap::new();
    let mut seen_values: BTreeMap<u32, String> = BTreeMap::new();
    let mut seen_functions: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for p in parsed {
        let s = &p.spec;
        let name = s.name.get_ref();
        if let Some(prev) = seen_names.insert(name.clone(), p.stem.clone()) {
            diags.push(p.loc.at(sp(&s.name), format!("duplicate control code `{name}` (also in {prev}.toml)")));
        }
        if let Some(prev) = seen_values.insert(*s.value.get_ref(), name.clone()) {
            diags.push(p.loc.at(sp(&s.value), format!("duplicate value {:#010x}: already used by `{prev}`", s.value.get_ref())));
        }
        if let Some(code) = code(p, &by_name, &all_names, diags) {
            if let Some(prev) = seen_functions.insert(code.function.clone(), name.clone()) {
                let at = s.rust.function.as_ref().map_or(sp(&s.name), sp);
                diags.push(p.loc.at(at, format!("function name `{}` is already used by `{prev}`", code.function)));
            }
            out.push(code);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn code(
    p: &ParsedCode<'_>,
    by_name: &BTreeMap<&str, &ir::CatalogueError>,
    all_codes: &BTreeSet<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ir::Code> {
    let s = &p.spec;
    let loc = &p.loc;
    let start = diags.len();
    let mut err = |span: Range<usize>, m: String| diags.push(loc.at(span, m));
    let name = s.name.get_ref().clone();

    if !is_macro_name(&name) {
        err(sp(&s.name), format!("`{name}` is not a control-code macro name (UPPER_SNAKE_CASE)"));
    }
    if name != p.stem {
        err(sp(&s.name), format!("name `{name}` does not match the file name `{}.toml`", p.stem));
    }

    // Composition and value.
    let comp_text = s.composition.get_ref();
    let comp_offset = string_content_start(loc.text(), sp(&s.composition));
    let composition = match compose::parse(comp_text) {
        Ok(c) => Some(c),
        Err(e) => {
            err(comp_offset + e.at.start..comp_offset + e.at.end, e.message);
            None
        }
    };
    if let Some(c) = &composition {
        if c.value() != *s.value.get_ref() {
            err(
                sp(&s.value),
                format!("value {:#010x} disagrees with its composition `{c}`, which is {:#010x}", s.value.get_ref(), c.value()),
            );
        }
    }

    // Buffers.
    let input = buffer(&s.input, "input", &mut err, &s.ranges);
    let output = buffer(&s.output, "output", &mut err, &s.ranges);
    if let (Some(c), Some(i), Some(o)) = (&composition, &input, &output) {
        let want = Direction::from_uses(i.is_used(), o.is_used());
        let have = c.mac().direction();
        match (&s.direction_exception, want == have) {
            (None, false) => err(
                sp(&s.composition),
                format!("direction bits of `{c}` are {have}, but the buffers call for {want}; fix the buffers or give `direction_exception` with the documented reason"),
            ),
            (Some(x), true) => err(sp(x), "`direction_exception` given, but the direction bits agree with the buffers".into()),
            _ => {}
        }
    }

    // Sources.
    for src in s.sources.iter().chain(&s.requirements.sources) {
        check_source(src, &mut err);
    }
    if s.sources.is_empty() {
        err(sp(&s.name), "`sources` must name at least one document".into());
    }

    // Errors.
    let mut rows = Vec::new();
    let mut row_names = BTreeSet::new();
    for r in &s.errors {
        let n = r.name.get_ref();
        if !row_names.insert(n.clone()) {
            err(sp(&r.name), format!("duplicate error row `{n}`"));
            continue;
        }
        match by_name.get(n.as_str()) {
            Some(e) => rows.push(ir::ErrorRow {
                name: n.clone(),
                value: e.value,
                variant: e.variant.clone(),
                text: ir::Text { en: r.en.clone(), ja: r.ja.clone() },
            }),
            None => err(sp(&r.name), format!("error `{n}` is not in the catalogue (metadata/errors.toml)")),
        }
        check_text(&r.en, &r.ja, sp(&r.name), &mut err);
    }
    if s.errors.is_empty() {
        err(sp(&s.name), "the error table is empty".into());
    }
    let in_table = |n: &Spanned<String>, what: &str, err: &mut dyn FnMut(Range<usize>, String)| {
        if !row_names.contains(n.get_ref()) {
            err(sp(n), format!("{what} `{}` is not a row of this code's error table", n.get_ref()));
        }
    };

    // Applicability.
    let a = &s.applicability;
    for (e, what) in [(&a.wrong_type_error, "wrong_type_error"), (&a.wrong_state_error, "wrong_state_error")] {
        if let Some(e) = e {
            in_table(e, what, &mut err);
        }
    }
    if a.state == spec::SocketState::Any {
        if let Some(e) = &a.wrong_state_error {
            err(sp(e), "`wrong_state_error` needs a `state` other than \"any\"".into());
        }
    }

    // Blocking.
    let b = &s.blocking;
    let on_event = *b.completion.get_ref() == Completion::OnEvent;
    match (on_event, b.nonblocking.get_ref()) {
        (true, NonBlocking::NotApplicable) => {
            err(sp(&b.nonblocking), "a code that pends until an event must say what a non-blocking socket does".into())
        }
        (false, NonBlocking::WouldBlock | NonBlocking::Blocks) => {
            err(sp(&b.nonblocking), "a code that completes at once has `nonblocking = \"not_applicable\"`".into())
        }
        _ => {}
    }
    if !on_event {
        if let Some(m) = &b.max_pending {
            err(sp(m), "`max_pending` only applies to codes that pend".into());
        }
        if !b.ends_pending.is_empty() || !b.ends_pending_errors.is_empty() {
            err(sp(&b.completion), "`ends_pending` only applies to codes that pend".into());
        }
    }
    if let Some(m) = &b.max_pending {
        if *m.get_ref() == 0 {
            err(sp(m), "`max_pending` must be at least 1".into());
        }
    }
    if b.ends_pending.contains(&EndCondition::SecondRequest) && b.max_pending.is_none() {
        err(sp(&b.completion), "`ends_pending` has `second_request`, so `max_pending` must be given".into());
    }
    for e in &b.ends_pending_errors {
        in_table(e, "ends_pending_errors entry", &mut err);
    }
    if on_event && !b.overlapped {
        err(sp(&b.completion), "a notification code without overlapped support cannot be waited on with a bound".into());
    }

    // Requirements.
    let r = &s.requirements;
    check_version(&r.min_client, CLIENT_VERSIONS, &mut err);
    check_version(&r.min_server, SERVER_VERSIONS, &mut err);
    let mut disputed = Vec::new();
    for d in &r.disputed {
        check_version(&d.min_client, CLIENT_VERSIONS, &mut err);
        check_version(&d.min_server, SERVER_VERSIONS, &mut err);
        check_source(&d.source, &mut err);
        disputed.push((
            d.min_client.get_ref().clone(),
            d.min_server.get_ref().clone(),
            d.source.get_ref().clone(),
            text(&d.note),
        ));
    }
    let deprecation = s.deprecation.as_ref().map(|d| {
        for src in d.sources.iter().chain(&d.absent_in) {
            check_source(src, &mut err);
        }
        ir::Deprecation { reason: text(&d.reason), sources: strings(&d.sources), absent_in: strings(&d.absent_in) }
    });
    let mut version_behaviour = Vec::new();
    for v in &s.version_behaviour {
        check_version(&v.through_client, CLIENT_VERSIONS, &mut err);
        check_version(&v.through_server, SERVER_VERSIONS, &mut err);
        check_source(&v.source, &mut err);
        if let Some(e) = &v.error {
            in_table(e, "version_behaviour error", &mut err);
        }
        version_behaviour.push(ir::VersionBehaviour {
            through_client: v.through_client.get_ref().clone(),
            through_server: v.through_server.get_ref().clone(),
            error: v.error.as_ref().map(|e| e.get_ref().clone()),
            source: v.source.get_ref().clone(),
            text: text(&v.text),
        });
    }

    // Notes, lists, ranges, related.
    let mut topics = BTreeSet::new();
    for n in &s.notes {
        if !topics.insert(n.topic.get_ref().clone()) {
            err(sp(&n.topic), format!("duplicate note topic `{}`", n.topic.get_ref()));
        }
        check_text(&n.en, &n.ja, sp(&n.topic), &mut err);
    }
    let mut ids = BTreeSet::new();
    for l in &s.lists {
        if !ids.insert(l.id.get_ref().clone()) {
            err(sp(&l.id), format!("duplicate list id `{}`", l.id.get_ref()));
        }
        if l.items.is_empty() {
            err(sp(&l.id), "a list needs at least one item".into());
        }
        for src in l.sources.iter().chain(&l.missing_in) {
            check_source(src, &mut err);
        }
    }
    for rg in &s.ranges {
        if !ids.insert(rg.id.get_ref().clone()) {
            err(sp(&rg.id), format!("duplicate id `{}`", rg.id.get_ref()));
        }
        if rg.min > *rg.max.get_ref() {
            err(sp(&rg.max), format!("range max {} is below min {}", rg.max.get_ref(), rg.min));
        }
    }
    for rel in &s.related {
        if !all_codes.contains(rel.get_ref().as_str()) {
            err(sp(rel), format!("related code `{}` has no spec in metadata/codes/", rel.get_ref()));
        } else if rel.get_ref() == &name {
            err(sp(rel), "a code cannot be related to itself".into());
        }
    }

    // Rust names.
    let function = match &s.rust.function {
        Some(f) => {
            if !is_snake_ident(f.get_ref()) {
                err(sp(f), format!("`{}` is not a snake_case identifier", f.get_ref()));
            }
            f.get_ref().clone()
        }
        None => name.trim_start_matches("SIO_").to_ascii_lowercase(),
    };
    let error_type = match &s.rust.error {
        Some(e) => {
            if !is_upper_camel(e.get_ref()) {
                err(sp(e), format!("`{}` is not an UpperCamelCase identifier", e.get_ref()));
            }
            e.get_ref().clone()
        }
        None => format!("{}Error", upper_camel(name.trim_start_matches("SIO_"))),
    };

    // Scenarios.
    let mut scenario_names = BTreeSet::new();
    let mut scenarios = Vec::new();
    for sc in &s.scenarios {
        let n = sc.name.get_ref();
        if !is_snake_ident(n) {
            err(sp(&sc.name), format!("scenario name `{n}` is not a snake_case identifier"));
        }
        if !scenario_names.insert(n.clone()) {
            err(sp(&sc.name), format!("duplicate scenario `{n}`"));
        }
        if *sc.form.get_ref() == spec::Form::Overlapped && !(on_event && b.overlapped) {
            err(sp(&sc.form), "the overlapped form exists only for notification codes with overlapped support".into());
        }
        let input_lit = match (&sc.input, input.as_ref().map(|i| i.kind)) {
            (Some(v), Some(BufferKind::Value)) => match v.get_ref() {
                toml::Value::Boolean(x) => Some(ir::InputLiteral::Bool(*x)),
                toml::Value::Integer(x) => Some(ir::InputLiteral::Int(*x)),
                _ => {
                    err(sp(v), "scenario input must be a boolean or an integer".into());
                    None
                }
            },
            (Some(v), _) => {
                err(sp(v), "this code has no input value, so the scenario cannot give one".into());
                None
            }
            (None, Some(BufferKind::Value)) => {
                err(sp(&sc.name), "this code takes an input value: give the scenario an `input`".into());
                None
            }
            (None, _) => None,
        };
        // A synchronous call that Windows documents as blocking until the event is `pending` too.
        let windows = outcome(&sc.windows, spec::Form::Overlapped, by_name, &mut err);
        let wine = outcome(&sc.wine, *sc.form.get_ref(), by_name, &mut err);
        if let (Some(w), Some(x)) = (&windows, &wine) {
            if w != x && sc.note.is_none() {
                err(sp(&sc.wine), "Wine's outcome differs from the documented one: add a `note` saying how".into());
            }
            scenarios.push(ir::Scenario {
                name: n.clone(),
                socket: sc.socket,
                form: *sc.form.get_ref(),
                input: input_lit,
                windows: w.clone(),
                wine: x.clone(),
                note: sc.note.as_ref().map(text),
            });
        }
    }

    check_text(&s.summary.en, &s.summary.ja, sp(&s.name), &mut err);
    if diags.len() > start {
        return None;
    }
    let composition = composition?;
    Some(ir::Code {
        module: name.to_ascii_lowercase(),
        name,
        value: *s.value.get_ref(),
        composition,
        direction_exception: s.direction_exception.as_ref().map(|x| x.get_ref().clone()),
        header: s.header.get_ref().clone(),
        sources: strings(&s.sources),
        summary: text(&s.summary),
        function,
        error_type,
        input: input?,
        output: output?,
        applicability: ir::Applicability {
            socket_types: sorted(&a.socket_types),
            protocols: sorted(&a.protocols),
            address_families: sorted(&a.address_families),
            state: a.state,
            wrong_type_error: a.wrong_type_error.as_ref().map(|e| e.get_ref().clone()),
            wrong_state_error: a.wrong_state_error.as_ref().map(|e| e.get_ref().clone()),
            must_precede: sorted(&a.must_precede),
            both_ends: a.both_ends,
        },
        blocking: ir::Blocking {
            completion: *b.completion.get_ref(),
            nonblocking: *b.nonblocking.get_ref(),
            max_pending: b.max_pending.as_ref().map(|m| *m.get_ref()),
            overlapped: b.overlapped,
            completion_routine: b.completion_routine,
            ends_pending: sorted(&b.ends_pending),
            ends_pending_errors: strings(&b.ends_pending_errors),
        },
        requirements: ir::Requirements {
            min_client: r.min_client.get_ref().clone(),
            min_server: r.min_server.get_ref().clone(),
            sources: strings(&r.sources),
            disputed,
        },
        deprecation,
        version_behaviour,
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
        inline_helpers: s.inline_helpers.iter().map(|h| (h.name.clone(), h.header.clone())).collect(),
        related: strings(&s.related),
        errors: rows,
        scenarios,
    })
}

fn buffer(
    b: &spec::Buffer,
    which: &str,
    err: &mut dyn FnMut(Range<usize>, String),
    ranges: &[spec::ValueRange],
) -> Option<ir::Buffer> {
    let kind = *b.kind.get_ref();
    let used = matches!(kind, BufferKind::Value | BufferKind::Variable);
    let mut ok = true;
    let ty = match (&b.ty, used) {
        (Some(t), true) => match ctypes::lookup(t.get_ref()) {
            Some(c) => Some(c),
            None => {
                let known: Vec<_> = ctypes::names().collect();
                err(sp(t), format!("unknown {which} type `{}`; known: {}", t.get_ref(), known.join(", ")));
                ok = false;
                None
            }
        },
        (None, true) => {
            err(sp(&b.kind), format!("a `{}` {which} buffer needs a `type`", kind_name(kind)));
            ok = false;
            None
        }
        (Some(t), false) => {
            err(sp(t), format!("an `{}` {which} buffer has no `type`", kind_name(kind)));
            ok = false;
            None
        }
        (None, false) => None,
    };
    if kind == BufferKind::Variable {
        err(sp(&b.kind), format!("variable-length {which} buffers are part of the schema but not yet emitted; see ARCHITECTURE.md"));
        ok = false;
    }
    if let Some(n) = &b.name {
        if !is_snake_ident(n.get_ref()) {
            err(sp(n), format!("`{}` is not a snake_case identifier", n.get_ref()));
            ok = false;
        }
    } else if which == "input" && used {
        err(sp(&b.kind), "an input value needs a `name` for the wrapper's parameter".into());
        ok = false;
    }
    if let Some(r) = &b.range {
        if !ranges.iter().any(|x| x.id.get_ref() == r.get_ref()) {
            err(sp(r), format!("no range with id `{}` in this spec", r.get_ref()));
            ok = false;
        }
    }
    ok.then(|| ir::Buffer {
        kind,
        ty,
        name: b.name.as_ref().map(|n| n.get_ref().clone()),
        text: b.text.as_ref().map(text),
        range: b.range.as_ref().map(|r| r.get_ref().clone()),
    })
}

fn outcome(
    o: &Spanned<String>,
    form: spec::Form,
    by_name: &BTreeMap<&str, &ir::CatalogueError>,
    err: &mut dyn FnMut(Range<usize>, String),
) -> Option<Outcome> {
    match o.get_ref().as_str() {
        "ok" => Some(Outcome::Ok),
        "pending" if form == spec::Form::Overlapped => Some(Outcome::Pending),
        "pending" => {
            err(sp(o), "only an overlapped scenario can stay `pending`".into());
            None
        }
        n => match by_name.get(n) {
            Some(e) => Some(Outcome::Error(e.name.clone(), e.value)),
            None => {
                err(sp(o), format!("outcome `{n}` is neither `ok`, `pending` nor an error in the catalogue"));
                None
            }
        },
    }
}

fn check_source(s: &Spanned<String>, err: &mut dyn FnMut(Range<usize>, String)) {
    let v = s.get_ref();
    let ok = v.strip_prefix("seed:").or_else(|| v.strip_prefix("reference:")).is_some_and(|rest| !rest.is_empty());
    if !ok {
        err(sp(s), format!("source `{v}` must be `seed:<file>` or `reference:<path>`"));
    }
}

fn check_version(v: &Spanned<String>, known: &[&str], err: &mut dyn FnMut(Range<usize>, String)) {
    if !known.contains(&v.get_ref().as_str()) {
        err(sp(v), format!("unknown Windows version `{}`; expected one of: {}", v.get_ref(), known.join(", ")));
    }
}

fn check_text(en: &str, ja: &str, at: Range<usize>, err: &mut dyn FnMut(Range<usize>, String)) {
    if en.trim().is_empty() || ja.trim().is_empty() {
        err(at, "descriptions need both `en` and `ja` text".into());
    }
}

fn text(t: &spec::Text) -> ir::Text {
    ir::Text { en: t.en.trim().to_owned(), ja: t.ja.trim().to_owned() }
}

fn strings(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}

fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

fn kind_name(k: BufferKind) -> &'static str {
    match k {
        BufferKind::Unused => "unused",
        BufferKind::Zero => "zero",
        BufferKind::Value => "value",
        BufferKind::Variable => "variable",
    }
}

/// Offset of the first content character of the TOML string whose span is `span`.
fn string_content_start(text: &str, span: Range<usize>) -> usize {
    let s = text.get(span.clone()).unwrap_or("");
    let quote = if s.starts_with("\"\"\"") || s.starts_with("'''") { 3 } else { 1 };
    span.start + quote.min(s.len())
}

fn is_macro_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_snake_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_upper_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `IDEAL_SEND_BACKLOG_QUERY` -> `IdealSendBacklogQuery`.
pub fn upper_camel(s: &str) -> String {
    s.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn layout(fields: &[crate::ctypes::FfiType], pw: u32) -> (u32, u32, Vec<u32>) {
    let mut offset: u32 = 0;
    let mut align: u32 = 1;
    let mut offsets = Vec::new();
    for f in fields {
        let s = f.size_for(pw);
        offset = offset.div_ceil(s) * s;
        offsets.push(offset);
        offset += s;
        align = align.max(s);
    }
    (offset.div_ceil(align) * align, align, offsets)
}

pub(crate) fn ffi(loc: &Locator<'_>, spec: &spec::FfiSpec, diags: &mut Vec<Diagnostic>) -> ir::Ffi {
    let mut names = BTreeSet::new();
    let ty = |t: &Spanned<String>, diags: &mut Vec<Diagnostic>| {
        let found = ctypes::ffi_lookup(t.get_ref());
        if found.is_none() {
            diags.push(loc.at(sp(t), format!("unknown FFI type `{}`", t.get_ref())));
        }
        found
    };
    let mut out = ir::Ffi::default();
    let mut unique = |n: &Spanned<String>, diags: &mut Vec<Diagnostic>| {
        if !names.insert(n.get_ref().clone()) {
            diags.push(loc.at(sp(n), format!("duplicate FFI item `{}`", n.get_ref())));
        }
    };
    for a in &spec.alias {
        unique(&a.name, diags);
        if syn_type_ok(a.target.get_ref()).is_none() {
            diags.push(loc.at(sp(&a.target), format!("`{}` is not a Rust type", a.target.get_ref())));
        }
        out.aliases.push((a.name.get_ref().clone(), a.target.get_ref().clone(), a.header.clone(), a.doc.clone()));
    }
    for s in &spec.structs {
        unique(&s.name, diags);
        let fields: Vec<_> = s.fields.iter().filter_map(|f| ty(&f.ty, diags).map(|t| (f.name.clone(), t, f.doc.clone()))).collect();
        let types: Vec<_> = fields.iter().map(|f| f.1).collect();
        out.structs.push(ir::FfiStruct {
            name: s.name.get_ref().clone(),
            header: s.header.clone(),
            doc: s.doc.clone(),
            layout64: layout(&types, 8),
            layout32: layout(&types, 4),
            fields,
        });
    }
    for f in &spec.function_pointer {
        unique(&f.name, diags);
        let params: Vec<_> = f.params.iter().filter_map(|p| ty(&p.ty, diags).map(|t| (p.name.clone(), t))).collect();
        if let Some(r) = ty(&f.returns, diags) {
            out.function_pointers.push(ir::FfiFnPtr {
                name: f.name.get_ref().clone(),
                header: f.header.clone(),
                doc: f.doc.clone(),
                returns: r,
                params,
            });
        }
    }
    out.structs.sort_by(|a, b| a.name.cmp(&b.name));
    out.function_pointers.sort_by(|a, b| a.name.cmp(&b.name));
    out.aliases.sort();
    out
}

fn syn_type_ok(s: &str) -> Option<()> {
    syn::parse_str::<syn::Type>(s).ok().map(|_| ())
}

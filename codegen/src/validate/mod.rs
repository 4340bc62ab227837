//! Checks the parsed specs and lowers them into the IR. Every rule that fails adds one located
//! diagnostic; the IR is returned only when there are none.
//!
//! One module per part of a spec: [`identity`] (name, value, composition, direction bits),
//! [`buffers`] (input and output shapes), [`errors`] (the error table), [`behaviour`]
//! (applicability and blocking), [`requirements`] (versions, deprecation), [`remarks`] (notes,
//! lists, ranges, related codes), [`scenarios`], and [`ffi`] (`metadata/ffi.toml`, validated
//! first because buffers refer to its types).

mod behaviour;
mod buffers;
mod errors;
pub(crate) mod ffi;
mod identity;
mod names;
mod remarks;
mod requirements;
mod scenarios;

use crate::diag::{Diagnostic, Locator};
use crate::ir;
use crate::spec;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

pub use requirements::{CLIENT_VERSIONS, SERVER_VERSIONS};

/// Variant names the generator adds to every error enum.
pub const RESERVED_VARIANTS: &[&str] = &["Unlisted", "UnexpectedLength", "MalformedOutput", "Other"];

pub(crate) struct ParsedCatalogue<'a> {
    pub loc: Locator<'a>,
    pub spec: spec::Catalogue,
}

pub(crate) struct ParsedCode<'a> {
    pub loc: Locator<'a>,
    pub stem: String,
    pub spec: spec::CodeSpec,
    /// The reader dropped or stood in for part of the file (see `crate::read`): its own rules are
    /// checked, but it yields no IR and is left out of the checks across files.
    pub repaired: bool,
    /// Top-level keys holding a reader's stand-in: the rules treat those parts as unknown.
    pub poisoned: BTreeSet<String>,
}

/// Where the checks of one file report: its locator and the run's diagnostics and warnings.
pub(crate) struct Sink<'a, 'b> {
    loc: &'a Locator<'b>,
    diags: &'a mut Vec<Diagnostic>,
    warnings: &'a mut Vec<Diagnostic>,
}

impl<'a, 'b> Sink<'a, 'b> {
    pub(crate) fn new(loc: &'a Locator<'b>, diags: &'a mut Vec<Diagnostic>, warnings: &'a mut Vec<Diagnostic>) -> Self {
        Sink { loc, diags, warnings }
    }

    /// Reports a problem that stops generation. Problems of a reader's stand-in (a span past the
    /// text) are the consequence of one reported already, and are not reported again.
    pub(crate) fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        if !self.loc.is_quiet(&span) {
            self.diags.push(self.loc.at(span, message));
        }
    }

    /// Reports a problem that only limits what is generated.
    pub(crate) fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        if !self.loc.is_quiet(&span) {
            self.warnings.push(self.loc.at(span, message));
        }
    }

    fn count(&self) -> usize {
        self.diags.len()
    }

    fn text(&self) -> &'b str {
        self.loc.text()
    }
}

/// What every code's checks may consult.
pub(crate) struct Ctx<'a> {
    /// The error catalogue by name.
    pub by_name: BTreeMap<&'a str, &'a ir::CatalogueError>,
    /// The types of `metadata/ffi.toml`.
    pub ffi: &'a ir::Ffi,
    /// Every code's file stem, including specs that failed to parse.
    pub all_codes: BTreeSet<&'a str>,
    /// The files `seed:` and `reference:` sources may name, when the caller knows them.
    pub shared: Option<&'a crate::SharedFiles>,
}

pub(crate) fn sp<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// Builds the catalogue map, reporting duplicate names, variants and values.
pub(crate) fn catalogue(cat: &ParsedCatalogue<'_>, diags: &mut Vec<Diagnostic>) -> Vec<ir::CatalogueError> {
    let mut names = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut values = BTreeMap::new();
    let mut out = Vec::new();
    for e in &cat.spec.error {
        if let Some(problem) = self::names::c_name_problem(e.name.get_ref()) {
            diags.push(cat.loc.at(sp(&e.name), problem));
        }
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
            ntstatus: e.ntstatus.iter().map(|n| *n.get_ref()).collect(),
        });
    }
    out.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
    out
}

/// Validates all codes against each other, the catalogue and the FFI types.
///
/// `all_stems` are the file stems of every spec, including those that failed to parse, so that a
/// syntax error in one spec does not also show up as a dangling `related` entry in another.
pub(crate) fn codes(
    parsed: &[ParsedCode<'_>],
    all_stems: &[&str],
    catalogue: &[ir::CatalogueError],
    ffi: &ir::Ffi,
    shared: Option<&crate::SharedFiles>,
    diags: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<ir::Code> {
    let ctx = Ctx {
        by_name: catalogue.iter().map(|e| (e.name.as_str(), e)).collect(),
        ffi,
        all_codes: all_stems.iter().copied().collect(),
        shared,
    };
    let mut seen_names: BTreeMap<String, String> = BTreeMap::new();
    let mut seen_values: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut seen_functions: BTreeMap<String, String> = BTreeMap::new();
    let shares: BTreeMap<&str, Vec<&str>> = parsed
        .iter()
        .filter(|p| !p.repaired)
        .map(|p| (p.spec.name.get_ref().as_str(), p.spec.shares_value_with.iter().map(|n| n.get_ref().as_str()).collect()))
        .collect();
    let declared = |a: &str, b: &str| shares.get(a).is_some_and(|v| v.contains(&b)) && shares.get(b).is_some_and(|v| v.contains(&a));
    // Each spec on its own, on every core; then the checks across specs, in order.
    type Checked = (Option<ir::Code>, Vec<Diagnostic>, Vec<Diagnostic>);
    let jobs: Vec<_> = parsed
        .chunks(32)
        .map(|chunk| {
            let ctx = &ctx;
            move || -> Vec<Checked> {
                chunk
                    .iter()
                    .map(|p| {
                        let (mut d, mut w) = (Vec::new(), Vec::new());
                        let code = code(p, ctx, &mut Sink::new(&p.loc, &mut d, &mut w));
                        (code, d, w)
                    })
                    .collect()
            }
        })
        .collect();
    let checked = crate::on_all_cores(&jobs);
    let mut out = Vec::new();
    for (p, (code, own_diags, own_warnings)) in parsed.iter().zip(checked) {
        if p.repaired {
            diags.extend(own_diags);
            continue;
        }
        let s = &p.spec;
        let name = s.name.get_ref();
        let names = std::iter::once((name, sp(&s.name))).chain(s.aliases.iter().map(|a| (a.name.get_ref(), sp(&a.name))));
        for (n, at) in names {
            if let Some(prev) = seen_names.insert(n.clone(), p.stem.clone()) {
                diags.push(p.loc.at(at, format!("duplicate control code `{n}` (also in {prev}.toml)")));
            }
        }
        let same = seen_values.entry(*s.value.get_ref()).or_default();
        for prev in same.iter().filter(|prev| !declared(name, prev)) {
            diags.push(p.loc.at(
                sp(&s.value),
                format!(
                    "duplicate value {:#010x}: already used by `{prev}`; if both are real, name each other in `shares_value_with`",
                    s.value.get_ref()
                ),
            ));
        }
        same.push(name.clone());
        for other in &s.shares_value_with {
            match parsed.iter().find(|q| q.spec.name.get_ref() == other.get_ref()) {
                None => diags.push(p.loc.at(sp(other), format!("`{}` has no spec in metadata/codes/", other.get_ref()))),
                Some(q) if q.spec.value.get_ref() != s.value.get_ref() => {
                    diags.push(p.loc.at(sp(other), format!("`{}` has another value, {:#010x}", other.get_ref(), q.spec.value.get_ref())))
                }
                Some(_) if !declared(name, other.get_ref()) => {
                    diags.push(p.loc.at(sp(other), format!("`{}` must name `{name}` in its `shares_value_with` too", other.get_ref())))
                }
                Some(_) => {}
            }
        }
        // After the checks across specs, as when each spec was checked in this loop: diagnostics
        // at the same position keep that order.
        diags.extend(own_diags);
        warnings.extend(own_warnings);
        if let Some(code) = code {
            if let Some(prev) = seen_functions.insert(code.function.clone(), name.clone()) {
                let at = s.rust.function.as_ref().map_or(sp(&s.name), sp);
                diags.push(p.loc.at(at, format!("function name `{}` is already used by `{prev}`", code.function)));
            }
            out.push(code);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    for p in parsed {
        if let Some(st) = &p.spec.stream {
            stream(p, st, &out, &ctx.all_codes, diags);
        }
    }
    out
}

/// Checks a `[stream]` table against both codes: a notification code with an overlapped form
/// and no output, and a query code with a safe wrapper whose input is the same and can be kept
/// by the stream (a value, not a borrowed slice). Codes that failed their own validation are
/// not in `built`; their errors are reported already.
fn stream(p: &ParsedCode<'_>, st: &spec::StreamSpec, built: &[ir::Code], all_codes: &BTreeSet<&str>, diags: &mut Vec<Diagnostic>) {
    use ir::Shape;
    let at = sp(&st.query);
    let name = p.spec.name.get_ref();
    let Some(code) = built.iter().find(|c| &c.name == name) else { return };
    let mut err = |msg: String| diags.push(p.loc.at(at.clone(), msg));
    if !code.can_pend() || !code.has_overlapped_form() || code.output.is_used() {
        err(format!(
            "`[stream]` needs a notification code: `{name}` must complete on an event, support overlapped I/O and return no output"
        ));
        return;
    }
    let query = st.query.get_ref();
    let Some(q) = built.iter().find(|c| &c.name == query) else {
        if !all_codes.contains(query.as_str()) {
            let hint = crate::diag::did_you_mean(query, all_codes.iter().copied());
            err(format!("stream query `{query}` has no spec in metadata/codes/{hint}"));
        }
        return;
    };
    if !q.has_safe_wrapper() || !q.output.is_used() || matches!(q.output.shape, Shape::Selected(_)) {
        err(format!("stream query `{query}` must have a safe wrapper that returns one value"));
    } else if q.input.shape != code.input.shape {
        err(format!("stream query `{query}` must take the same input as `{name}`, which it is called with"));
    } else if matches!(code.input.shape, Shape::Bytes | Shape::AddressList) {
        err(format!("a stream keeps its input, so it cannot be a borrowed slice as `{name}`'s is"));
    }
}

/// The stand-ins for the tables an undocumented code leaves out.
fn unknown_buffer() -> spec::Buffer {
    spec::Buffer {
        kind: Spanned::new(0..0, spec::BufferKind::Unknown),
        ty: None,
        name: None,
        text: None,
        range: None,
        as_type: None,
        grow_on: Vec::new(),
        choices: Vec::new(),
    }
}

fn unknown_applicability() -> spec::Applicability {
    spec::Applicability {
        socket_types: Vec::new(),
        protocols: Vec::new(),
        address_families: Vec::new(),
        state: spec::SocketState::Any,
        wrong_type_error: None,
        wrong_state_error: None,
        must_precede: Vec::new(),
        both_ends: false,
    }
}

fn unknown_blocking() -> spec::Blocking {
    spec::Blocking {
        completion: Spanned::new(0..0, spec::Completion::Immediate),
        nonblocking: Spanned::new(0..0, spec::NonBlocking::NotApplicable),
        max_pending: None,
        overlapped: false,
        completion_routine: false,
        ends_pending: Vec::new(),
        ends_pending_errors: Vec::new(),
    }
}

/// A table that documented codes must give and undocumented ones may leave out. A table that
/// holds a reader's stand-in counts as unknown, like a left-out one, without a report.
fn part<T: Clone>(p: &ParsedCode<'_>, given: &Option<T>, what: &str, stand_in: fn() -> T, sink: &mut Sink<'_, '_>) -> T {
    let s = &p.spec;
    let key = what.trim_matches(['[', ']']);
    match given {
        Some(_) if p.poisoned.contains(key) => stand_in(),
        Some(t) => t.clone(),
        None => {
            if s.documented {
                sink.err(sp(&s.name), format!("`{what}` is missing; only a code with `documented = false` may leave it out"));
            }
            stand_in()
        }
    }
}

fn code(p: &ParsedCode<'_>, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) -> Option<ir::Code> {
    let s = &p.spec;
    let start = sink.count();
    let name = s.name.get_ref().clone();

    let in_spec = part(p, &s.input, "[input]", unknown_buffer, sink);
    let out_spec = part(p, &s.output, "[output]", unknown_buffer, sink);
    let app_spec = part(p, &s.applicability, "[applicability]", unknown_applicability, sink);
    let blk_spec = part(p, &s.blocking, "[blocking]", unknown_blocking, sink);
    if s.requirements.is_none() && s.documented {
        sink.err(sp(&s.name), "`[requirements]` is missing; only a code with `documented = false` may leave it out");
    }
    let takes_input = !matches!(in_spec.kind.get_ref(), spec::BufferKind::Unused | spec::BufferKind::Zero | spec::BufferKind::Unknown);
    let returns_nothing = matches!(out_spec.kind.get_ref(), spec::BufferKind::Unused | spec::BufferKind::Zero);
    if s.write_only && !(takes_input && returns_nothing) {
        sink.err(sp(&s.name), "`write_only` fits a code that takes an input and returns nothing");
    }
    if !s.documented
        && let Some(sc) = s.scenarios.first()
    {
        sink.err(sp(&sc.name), "an undocumented code has no safe wrapper, so it cannot have scenarios");
    }

    let composition = identity::check(s, &p.stem, sink);
    let input = buffers::input(&in_spec, s, ctx, sink);
    let output = buffers::output(&out_spec, s, ctx, input.as_ref(), sink);
    if let (Some(c), Some(i), Some(o)) = (&composition, &input, &output)
        && i.kind != spec::BufferKind::Unknown
        && o.kind != spec::BufferKind::Unknown
    {
        identity::direction(s, c, i, o, sink);
    }
    let requirement_sources = s.requirements.iter().flat_map(|r| &r.sources);
    for src in s.sources.iter().chain(requirement_sources).chain(s.aliases.iter().flat_map(|a| &a.sources)) {
        check_source(src, ctx, sink);
    }
    for a in &s.aliases {
        if !is_macro_name(a.name.get_ref()) {
            sink.err(sp(&a.name), format!("`{}` is not a control-code macro name (UPPER_SNAKE_CASE)", a.name.get_ref()));
        }
    }
    if s.sources.is_empty() {
        sink.err(sp(&s.name), "`sources` must name at least one document");
    }
    let table = errors::table(s, ctx, sink);
    for g in &out_spec.grow_on {
        table.require(g, "grow_on entry", sink);
    }
    let applicability = behaviour::applicability(&app_spec, &table, sink);
    let blocking = behaviour::blocking(&blk_spec, &table, sink);
    let (requirements, deprecation, version_behaviour) = requirements::check(s, &table, ctx, sink);
    let remarks = remarks::check(s, ctx, sink);
    let (function, error_type) = rust_names(s, sink);
    let guessed = ["input", "output", "blocking"].iter().any(|k| p.poisoned.contains(*k));
    let scenarios = match (&input, &output) {
        (Some(i), Some(o)) if s.documented && !guessed => scenarios::check(s, i, o, &blocking, &table, ctx, sink),
        _ => Vec::new(),
    };

    if sink.count() > start {
        return None;
    }
    Some(ir::Code {
        module: name.to_ascii_lowercase(),
        name,
        value: *s.value.get_ref(),
        composition: composition?,
        direction_exception: s.direction_exception.as_ref().map(|x| x.get_ref().clone()),
        header: s.header.get_ref().clone(),
        sources: strings(&s.sources),
        summary: text(&s.summary),
        function,
        error_type,
        input: input?,
        output: output?,
        applicability,
        blocking,
        requirements,
        deprecation,
        version_behaviour,
        notes: remarks.notes,
        lists: remarks.lists,
        ranges: remarks.ranges,
        inline_helpers: s.inline_helpers.iter().map(|h| (h.name.clone(), h.header.clone())).collect(),
        related: strings(&s.related),
        stream_query: s.stream.as_ref().map(|st| st.query.get_ref().clone()),
        errors: table.rows,
        scenarios,
        wine_support: *s.wine_support.get_ref(),
        documented: s.documented,
        write_only: s.write_only,
        aliases: s.aliases.iter().map(|a| (a.name.get_ref().clone(), a.header.clone(), text(&a.note))).collect(),
        shares_value_with: strings(&s.shares_value_with),
    })
}

fn rust_names(s: &spec::CodeSpec, sink: &mut Sink<'_, '_>) -> (String, String) {
    let name = s.name.get_ref();
    let stem = name.strip_prefix("SIO_").unwrap_or(name);
    let function = match &s.rust.function {
        Some(f) => {
            if !is_snake_ident(f.get_ref()) {
                sink.err(sp(f), format!("`{}` is not a snake_case identifier", f.get_ref()));
            }
            f.get_ref().clone()
        }
        None => {
            let f = stem.to_ascii_lowercase();
            names::derived(is_snake_ident(&f), &f, &s.name, "`[rust] function = \"…\"`", sink);
            f
        }
    };
    let error_type = match &s.rust.error {
        Some(e) => {
            if !is_upper_camel(e.get_ref()) {
                sink.err(sp(e), format!("`{}` is not an UpperCamelCase identifier", e.get_ref()));
            }
            e.get_ref().clone()
        }
        None => {
            let e = format!("{}Error", upper_camel(stem));
            names::derived(is_upper_camel(&e), &e, &s.name, "`[rust] error = \"…\"`", sink);
            e
        }
    };
    // The code's module in the safe crate; no override.
    let module = name.to_ascii_lowercase();
    names::derived(is_snake_ident(&module), &module, &s.name, "a code name whose lower case is not a Rust keyword", sink);
    (function, error_type)
}

/// The kinds of source a spec may cite: the seed documents, Microsoft's reference pages (both
/// under `../shared/`), a C header (`header:mingw-w64/mstcpip.h`), or Microsoft's Win32 metadata
/// (`metadata:Windows.Win32.Networking.WinSock`).
pub const SOURCE_KINDS: &[&str] = &["seed:", "reference:", "header:", "metadata:"];

pub(crate) fn check_source(s: &Spanned<String>, ctx: &Ctx<'_>, sink: &mut Sink<'_, '_>) {
    let v = s.get_ref();
    let ok = SOURCE_KINDS.iter().any(|k| v.strip_prefix(k).is_some_and(|rest| !rest.is_empty()));
    if !ok {
        sink.err(sp(s), format!("source `{v}` must be `seed:<file>`, `reference:<path>`, `header:<path>` or `metadata:<namespace>`"));
        return;
    }
    let Some(shared) = ctx.shared else { return };
    let (folder, files, rest) = match v.split_once(':') {
        Some(("seed", rest)) => ("seeds", &shared.seeds, rest),
        Some(("reference", rest)) => ("reference", &shared.reference, rest),
        _ => return,
    };
    if !files.contains(rest) {
        let hint = crate::diag::did_you_mean(rest, files.iter().map(String::as_str));
        sink.err(sp(s), format!("source `{v}`: no file `{rest}` under ../shared/{folder}/{hint}"));
    }
}

/// Reads an `as` key: `"bool"` shows an integer as `bool` in the safe layer. `integer` says
/// whether the thing it is on is an integer; `what` names that thing in the message.
pub(crate) fn as_bool(a: Option<&Spanned<String>>, integer: bool, what: &str, sink: &mut Sink<'_, '_>) -> bool {
    match a {
        Some(a) if a.get_ref() == "bool" => {
            if !integer {
                sink.err(sp(a), format!("`as = \"bool\"` applies to integer {what}"));
            }
            true
        }
        Some(a) => {
            sink.err(sp(a), format!("unknown `as` type `{}`; the only one is \"bool\"", a.get_ref()));
            false
        }
        None => false,
    }
}

pub(crate) fn text(t: &spec::Text) -> ir::Text {
    ir::Text { en: t.en.trim().to_owned(), ja: t.ja.trim().to_owned() }
}

pub(crate) fn strings(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}

pub(crate) fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

/// Offset of the first content character of the TOML string whose span is `span`.
pub(crate) fn string_content_start(text: &str, span: Range<usize>) -> usize {
    let s = text.get(span.clone()).unwrap_or("");
    let quote = if s.starts_with("\"\"\"") || s.starts_with("'''") { 3 } else { 1 };
    span.start + quote.min(s.len())
}

pub(crate) fn is_macro_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

pub(crate) fn is_snake_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !names::is_keyword(s)
}

pub(crate) fn is_upper_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric()) && !names::is_keyword(s)
}

/// `IDEAL_SEND_BACKLOG_QUERY` -> `IdealSendBacklogQuery`; `TCP_INFO_v0` -> `TcpInfoV0`.
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

/// `ConnectionTimeMs` -> `connection_time_ms`; `iiFlags` -> `ii_flags`; `onoff` -> `onoff`.
pub fn snake(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if !out.is_empty() && !out.ends_with('_') && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_the_way_the_safe_layer_spells_them() {
        assert_eq!(upper_camel("TCP_INFO_v0"), "TcpInfoV0");
        assert_eq!(upper_camel("tcp_keepalive"), "TcpKeepalive");
        assert_eq!(snake("ConnectionTimeMs"), "connection_time_ms");
        assert_eq!(snake("RttUs"), "rtt_us");
        assert_eq!(snake("iiFlags"), "ii_flags");
        assert_eq!(snake("SynRetrans"), "syn_retrans");
        assert_eq!(snake("NumaNodeId"), "numa_node_id");
        assert_eq!(snake("onoff"), "onoff");
        assert_eq!(snake("RTTVar"), "rtt_var");
    }
}

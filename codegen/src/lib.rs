//! The winsock-ioctl generator: TOML specs in, Rust sources and Markdown out.
//!
//! The pipeline is `parse` (serde mirrors in [`spec`]) → `validate` (located [`Diagnostic`]s) →
//! [`ir`] → one emitter per output kind ([`emit`]) → `prettyplease`. This crate does no file I/O:
//! callers pass file contents in and get file contents back; `xtask` reads and writes.

pub mod compose;
pub mod ctypes;
mod diag;
pub mod emit;
pub mod ir;
mod read;
pub mod schema;
pub mod spec;
mod validate;

pub use diag::{Diagnostic, Diagnostics};
pub use validate::{CLIENT_VERSIONS, SERVER_VERSIONS, snake, upper_camel};

use diag::Locator;

/// One input file: its path (used in diagnostics and in generated headers) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Path relative to the workspace root, with `/` separators, e.g. `metadata/codes/SIO_X.toml`.
    pub path: &'a str,
    /// Contents.
    pub text: &'a str,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    /// Full contents, including the `@generated` first line.
    pub contents: String,
}

/// The documents under `../shared/` that specs cite: `seed:<file>` names a file of `seeds`,
/// `reference:<path>` one of `reference` (paths relative to those folders, `/`-separated).
#[derive(Debug, Clone, Default)]
pub struct SharedFiles {
    /// Files under `../shared/seeds/`.
    pub seeds: std::collections::BTreeSet<String>,
    /// Files under `../shared/reference/`.
    pub reference: std::collections::BTreeSet<String>,
}

/// Parses and validates the catalogue and every code spec, without checking that cited
/// documents exist (see [`load_with`]).
pub fn load(catalogue: Source<'_>, ffi: Source<'_>, codes: &[Source<'_>]) -> Result<ir::Ir, Diagnostics> {
    load_with(catalogue, ffi, codes, None)
}

/// Parses and validates the catalogue and every code spec; with `shared`, every `seed:` and
/// `reference:` source must name one of its files.
///
/// All problems of all files are reported together, sorted by file and position.
pub fn load_with(
    catalogue: Source<'_>,
    ffi: Source<'_>,
    codes: &[Source<'_>],
    shared: Option<&SharedFiles>,
) -> Result<ir::Ir, Diagnostics> {
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    let ffi_loc = Locator::new(ffi.path, ffi.text);
    let ffi_read = read::read::<spec::FfiSpec>(&ffi_loc);
    diags.extend(ffi_read.diags);
    let ffi = match ffi_read.value {
        Some(spec) if !ffi_read.repaired => validate::ffi::check(&spec, &mut validate::Sink::new(&ffi_loc, &mut diags, &mut warnings)),
        _ => ir::Ffi::default(),
    };
    let cat_loc = Locator::new(catalogue.path, catalogue.text);
    let cat_read = read::read::<spec::Catalogue>(&cat_loc);
    diags.extend(cat_read.diags);
    let cat = cat_read.value.filter(|_| !cat_read.repaired).map(|spec| validate::ParsedCatalogue { loc: cat_loc, spec });
    let mut parsed = Vec::new();
    for (code, code_diags) in parse_codes(codes) {
        diags.extend(code_diags);
        parsed.extend(code);
    }
    let catalogue = cat.map(|c| validate::catalogue(&c, &mut diags)).unwrap_or_default();
    let stems: Vec<&str> = codes.iter().map(|c| file_stem(c.path)).collect();
    let codes = validate::codes(&parsed, &stems, &catalogue, &ffi, shared, &mut diags, &mut warnings);
    if diags.is_empty() {
        warnings.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        Ok(ir::Ir { warnings, catalogue, codes, ffi })
    } else {
        diags.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        diags.dedup();
        Err(Diagnostics(diags))
    }
}

/// Runs the whole pipeline: load, then emit every output kind.
pub fn generate(catalogue: Source<'_>, ffi: Source<'_>, codes: &[Source<'_>]) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let ir = load(catalogue, ffi, codes)?;
    Ok(emit::all(&ir))
}

/// Parses every code spec, in input order, on all cores (each spec is parsed on its own).
fn parse_codes<'a>(codes: &[Source<'a>]) -> Vec<(Option<validate::ParsedCode<'a>>, Vec<Diagnostic>)> {
    let parse = |src: &Source<'a>| {
        let mut loc = Locator::new(src.path, src.text);
        let r = read::read::<spec::CodeSpec>(&loc);
        loc.set_quiet(r.quiet);
        let code = r.value.map(|spec| validate::ParsedCode {
            loc,
            stem: file_stem(src.path).to_owned(),
            spec,
            repaired: r.repaired,
            poisoned: r.poisoned,
        });
        (code, r.diags)
    };
    let jobs: Vec<_> = codes.chunks(64).map(|part| move || part.iter().map(parse).collect::<Vec<_>>()).collect();
    on_all_cores(&jobs)
}

/// Runs `jobs` on as many threads as there are cores (threads take the next job in turn) and
/// returns their outputs concatenated in job order, whichever thread ran what. Each job builds
/// whatever it needs on its own thread: token streams, for one, cannot move between threads.
pub(crate) fn on_all_cores<T: Send, J: Fn() -> Vec<T> + Sync>(jobs: &[J]) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(jobs.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<T>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        out.push((i, job()));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().flat_map(|(_, out)| out).collect()
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

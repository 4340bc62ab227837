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

/// Parses and validates the catalogue and every code spec.
///
/// All problems of all files are reported together, sorted by file and position.
pub fn load(catalogue: Source<'_>, ffi: Source<'_>, codes: &[Source<'_>]) -> Result<ir::Ir, Diagnostics> {
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    let ffi_loc = Locator::new(ffi.path, ffi.text);
    let ffi = match toml::from_str::<spec::FfiSpec>(ffi.text) {
        Ok(spec) => validate::ffi::check(&spec, &mut validate::Sink::new(&ffi_loc, &mut diags, &mut warnings)),
        Err(e) => {
            diags.push(ffi_loc.toml_error(&e));
            ir::Ffi::default()
        }
    };
    let cat_loc = Locator::new(catalogue.path, catalogue.text);
    let cat = match toml::from_str::<spec::Catalogue>(catalogue.text) {
        Ok(spec) => Some(validate::ParsedCatalogue { loc: cat_loc, spec }),
        Err(e) => {
            diags.push(cat_loc.toml_error(&e));
            None
        }
    };
    let mut parsed = Vec::new();
    for result in parse_codes(codes) {
        match result {
            Ok(code) => parsed.push(code),
            Err(d) => diags.push(d),
        }
    }
    let catalogue = cat.map(|c| validate::catalogue(&c, &mut diags)).unwrap_or_default();
    let stems: Vec<&str> = codes.iter().map(|c| file_stem(c.path)).collect();
    let codes = validate::codes(&parsed, &stems, &catalogue, &ffi, &mut diags, &mut warnings);
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
fn parse_codes<'a>(codes: &[Source<'a>]) -> Vec<Result<validate::ParsedCode<'a>, Diagnostic>> {
    let parse = |src: &Source<'a>| {
        let loc = Locator::new(src.path, src.text);
        match toml::from_str::<spec::CodeSpec>(src.text) {
            Ok(spec) => Ok(validate::ParsedCode { loc, stem: file_stem(src.path).to_owned(), spec }),
            Err(e) => Err(loc.toml_error(&e)),
        }
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

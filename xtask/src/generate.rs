//! `cargo xtask gen [--check]`: regenerates every generated file from `metadata/`.
//!
//! Nothing is written unless the whole run succeeds: inputs are read, validated and emitted in
//! memory first, so a bad spec leaves the tree untouched.

use crate::fsutil::{Change, Mode, ensure_file_contents};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use winsock_ioctl_codegen::{self as codegen, Diagnostics, GeneratedFile, Source};

/// Where generated files live. The generator writes nowhere else, and every file found here that
/// the current specs do not produce is stale (removed by `gen`, reported by `gen --check`).
pub const GENERATED_DIRS: &[&str] = &[
    "bindings/winsock-ioctl-sys/src/generated",
    "bindings/winsock-ioctl/src/generated",
    "docs/errors",
    "docs/ja/errors",
    "metadata/schema",
];

/// Single generated files outside those directories. Besides these, `gen` rewrites regions of two
/// handwritten files: the safe crate's manifest, its per-code features
/// ([`codegen::emit::FEATURES_MANIFEST`]), and the spec-format reference, its tables of keys and
/// values ([`codegen::schema::REFERENCE`]).
pub const GENERATED_FILES: &[&str] = &["docs/catalogue.md", "docs/ja/catalogue.md"];

/// Generated test files: `tests/tests/generated_*.rs`.
pub const GENERATED_TEST_PREFIX: &str = "tests/tests/generated_";

/// windows-bindgen's output inside the sys crate: its public FFI types and constants, documented
/// from `metadata/ffi.toml` ([`codegen::emit::document_ffi`]), and its functions.
pub const FFI_PATH: &str = "bindings/winsock-ioctl-sys/src/generated/ffi.rs";
/// See [`FFI_PATH`].
pub const FUNCTIONS_PATH: &str = "bindings/winsock-ioctl-sys/src/generated/functions.rs";

/// windows-bindgen's output inside the safe crate: the Win32 functions and constants that its
/// handwritten core (`call.rs`) calls, private to that module.
pub const CORE_FFI_PATH: &str = "bindings/winsock-ioctl/src/generated/win32.rs";

/// What the safe crate's core calls, taken from Microsoft's Win32 metadata into [`CORE_FFI_PATH`]
/// (with the types they use). None of it is public: the sys crate exports only what issuing a
/// control code needs, which `metadata/ffi.toml` lists.
pub const CORE_FILTER: &[&str] = &[
    "CancelIoEx",
    "ERROR_INVALID_PARAMETER",
    "FILE_MODE_INFORMATION",
    "FILE_SYNCHRONOUS_IO_ALERT",
    "FILE_SYNCHRONOUS_IO_NONALERT",
    "FileModeInformation",
    "GetCurrentThreadId",
    "GetLastError",
    "GetOverlappedResult",
    "getsockopt",
    "INFINITE",
    "INVALID_HANDLE_VALUE",
    "MAXIMUM_WAIT_OBJECTS",
    "NtQueryInformationFile",
    "RegisterWaitForSingleObject",
    "SetEvent",
    "setsockopt",
    "SO_SNDBUF",
    "SO_TYPE",
    "SOL_SOCKET",
    "UnregisterWaitEx",
    "WAIT_OBJECT_0",
    "WAIT_TIMEOUT",
    "WaitForMultipleObjects",
    "WaitForSingleObject",
    "WSACloseEvent",
    "WSACreateEvent",
    "WSAGetLastError",
    "WSAGetOverlappedResult",
    "WSAIoctl",
    "WT_EXECUTEONLYONCE",
];

/// Why `gen` failed.
#[derive(Debug)]
pub enum GenError {
    /// The specs are invalid.
    Specs(Diagnostics),
    /// Reading inputs, running windows-bindgen or writing failed.
    Other(String),
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Specs(d) => write!(f, "{d}"),
            GenError::Other(s) => write!(f, "{s}"),
        }
    }
}

/// What `gen` did (or, in check mode, would do).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files written (or out of date).
    pub updated: Vec<String>,
    /// Stale files removed (or present).
    pub removed: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// windows-bindgen was not run: its version, its arguments and the FFI file are unchanged.
    pub bindgen_skipped: bool,
}

impl Report {
    /// Whether the tree already matched.
    pub fn is_clean(&self) -> bool {
        self.updated.is_empty() && self.removed.is_empty()
    }
}

fn read(root: &Path, rel: &str) -> Result<String, GenError> {
    fs::read_to_string(root.join(rel)).map_err(|e| GenError::Other(format!("{rel}: {e}")))
}

/// The texts of `metadata/`: the error catalogue, the FFI extras and every code spec (sorted),
/// and the names of the documents under `../shared/` that specs may cite.
pub struct Inputs {
    catalogue: String,
    ffi: String,
    codes: Vec<(String, String)>,
    shared: Option<codegen::SharedFiles>,
}

impl Inputs {
    /// Reads them from `root/metadata`.
    pub fn read(root: &Path) -> Result<Self, GenError> {
        let mut names: Vec<String> = fs::read_dir(root.join("metadata/codes"))
            .map_err(|e| GenError::Other(format!("metadata/codes: {e}")))?
            .filter_map(|e| e.ok().and_then(|e| e.file_name().into_string().ok()))
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        let mut codes = Vec::new();
        for n in names {
            let rel = format!("metadata/codes/{n}");
            codes.push((rel.clone(), read(root, &rel)?));
        }
        let shared = shared_files(&root.join("../shared"));
        if shared.is_none() {
            eprintln!("note: ../shared/ not found beside the checkout: `seed:` and `reference:` sources are not checked");
        }
        Ok(Inputs { catalogue: read(root, "metadata/errors.toml")?, ffi: read(root, "metadata/ffi.toml")?, codes, shared })
    }

    /// Parses and validates them.
    pub fn load(&self) -> Result<codegen::ir::Ir, Diagnostics> {
        let codes: Vec<Source<'_>> = self.codes.iter().map(|(p, t)| Source { path: p, text: t }).collect();
        codegen::load_with(
            Source { path: "metadata/errors.toml", text: &self.catalogue },
            Source { path: "metadata/ffi.toml", text: &self.ffi },
            &codes,
            self.shared.as_ref(),
        )
    }
}

/// Every file under `shared/seeds` and `shared/reference`, or `None` when `shared` is not there.
fn shared_files(shared: &Path) -> Option<codegen::SharedFiles> {
    fn walk(dir: &Path, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if entry.path().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.insert(rel);
            }
        }
    }
    if !shared.is_dir() {
        return None;
    }
    let mut files = codegen::SharedFiles::default();
    walk(&shared.join("seeds"), "", &mut files.seeds);
    walk(&shared.join("reference"), "", &mut files.reference);
    Some(files)
}

/// Reads `metadata/` and returns every generated file, or the diagnostics, and whether
/// windows-bindgen was skipped (its version, its arguments and the checked-in FFI file are
/// unchanged: its output depends on nothing else). Does not write.
pub fn generate(root: &Path) -> Result<(Vec<GeneratedFile>, bool), GenError> {
    let ir = Inputs::read(root)?.load().map_err(GenError::Specs)?;
    for w in &ir.warnings {
        eprintln!("warning: {w}");
    }
    let mut files = codegen::emit::all(&ir);
    let document = |raw: &str| codegen::emit::document_ffi(&ir, raw).map(Vec::from).map_err(|errors| errors.join("\n"));
    let public = BindgenRun {
        filter: ir.ffi.bindgen_names(),
        from: "Microsoft's Win32 metadata (windows-bindgen, filter and docs from metadata/ffi.toml)",
        files: &[
            (
                FFI_PATH,
                "//! The public FFI types and constants, written by windows-bindgen from Microsoft's Win32 metadata: what `metadata/ffi.toml`\n//! names, and the types those use. Each is documented from that file.\n#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals, clippy::undocumented_unsafe_blocks)]\n\n",
            ),
            (
                FUNCTIONS_PATH,
                "//! The public FFI functions, written by windows-bindgen from Microsoft's Win32 metadata. windows-link's `link!` takes no\n//! doc comments: `mod.rs` re-exports each function with its doc from `metadata/ffi.toml`.\n#![allow(missing_docs, non_snake_case)]\nuse super::ffi::*;\n\n",
            ),
        ],
        split: &document,
        join: |bodies| codegen::emit::undocument_ffi(&[bodies[0].clone(), bodies[1].clone()]),
    };
    let core = BindgenRun {
        filter: CORE_FILTER.iter().map(|s| s.to_string()).collect(),
        from: "Microsoft's Win32 metadata (windows-bindgen, filter in xtask/src/generate.rs)",
        files: &[(
            CORE_FFI_PATH,
            "//! The Win32 items the core calls, written by windows-bindgen from Microsoft's Win32 metadata; private to `call.rs`.\n#![allow(missing_docs, non_camel_case_types, non_snake_case, non_upper_case_globals, dead_code, clippy::missing_safety_doc, clippy::undocumented_unsafe_blocks, clippy::upper_case_acronyms)]\n\n",
        )],
        split: &|raw: &str| Ok(vec![raw.to_owned()]),
        join: |bodies| bodies.concat(),
    };
    let mut bindgen_skipped = true;
    for run in [public, core] {
        let (written, skipped) = bindgen_files(root, &run)?;
        files.extend(written);
        bindgen_skipped &= skipped;
    }
    let manifest = read(root, codegen::emit::FEATURES_MANIFEST)?;
    let contents = codegen::emit::splice_features(&manifest, &ir).map_err(GenError::Other)?;
    files.push(GeneratedFile { path: codegen::emit::FEATURES_MANIFEST.to_owned(), contents });
    files.extend(codegen::schema::files());
    let reference = read(root, codegen::schema::REFERENCE)?;
    let contents = codegen::schema::splice_reference(&reference).map_err(GenError::Other)?;
    files.push(GeneratedFile { path: codegen::schema::REFERENCE.to_owned(), contents });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in &files {
        if !is_generated_path(&f.path) {
            return Err(GenError::Other(format!("generator produced {} outside the generated locations", f.path)));
        }
    }
    Ok((files, bindgen_skipped))
}

fn is_generated_path(p: &str) -> bool {
    GENERATED_DIRS.iter().any(|d| p.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
        || GENERATED_FILES.contains(&p)
        || p == codegen::emit::FEATURES_MANIFEST
        || p == codegen::schema::REFERENCE
        || (p.starts_with(GENERATED_TEST_PREFIX) && p.ends_with(".rs"))
}

/// FNV-1a, 64 bits: a fingerprint of windows-bindgen's input and output, kept in the FFI file.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The version of windows-bindgen in `Cargo.lock`, which fixes Microsoft's metadata too (it is
/// bundled). `None` if the lock file does not say.
fn bindgen_version(root: &Path) -> Option<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).ok()?;
    let at = lock.find("name = \"windows-bindgen\"\nversion = \"")? + "name = \"windows-bindgen\"\nversion = \"".len();
    Some(lock[at..].split('"').next()?.to_owned())
}

/// The line of the FFI file that records what produced it: windows-bindgen's version, a
/// fingerprint of its arguments and one of its output.
fn stamp_line(version: &str, args: &[String], body: &str) -> String {
    format!(
        "// windows-bindgen {version}; arguments {:016x}; output {:016x}: `cargo xtask gen` runs it again only when one changes.",
        fnv1a64(args.join("\n").as_bytes()),
        fnv1a64(body.as_bytes())
    )
}

/// One run of windows-bindgen and the files its output becomes.
struct BindgenRun<'a> {
    /// The names of the filter.
    filter: Vec<String>,
    /// What the `@generated` line says the files are generated from.
    from: &'static str,
    /// Each file's path and the lines between its header and its body (`//!` doc, attributes).
    files: &'a [(&'static str, &'static str)],
    /// Turns windows-bindgen's output into one body per file; `Err` says why it cannot.
    split: &'a dyn Fn(&str) -> Result<Vec<String>, String>,
    /// Gives windows-bindgen's output back from the bodies `split` made.
    join: fn(&[String]) -> String,
}

/// Runs windows-bindgen into a scratch file under `target/` and returns the files to check in.
/// The run is skipped when each checked-in file records the same version and arguments, and
/// their bodies joined back are what that run produced.
fn bindgen_files(root: &Path, run: &BindgenRun<'_>) -> Result<(Vec<GeneratedFile>, bool), GenError> {
    let first = run.files[0].0;
    let scratch = root.join("target/xtask");
    let out = scratch.join(first.replace('/', "."));
    let out_str = out.to_str().ok_or_else(|| GenError::Other("non-UTF-8 target path".into()))?.to_owned();
    let mut filter = run.filter.clone();
    filter.sort();
    filter.dedup();
    // The arguments without `--out` (a path under this checkout) make the fingerprint.
    let mut key_args: Vec<String> = ["--in", "default", "--sys", "--flat", "--filter"].map(String::from).to_vec();
    key_args.extend(filter);
    let written = |stamp: &str, raw: &str| -> Result<Vec<GeneratedFile>, GenError> {
        let bodies = (run.split)(raw).map_err(|e| GenError::Other(format!("{first}:\n{e}")))?;
        Ok(run
            .files
            .iter()
            .zip(bodies)
            .map(|((path, head), body)| GeneratedFile {
                path: (*path).to_owned(),
                contents: format!(
                    "// {}\n{stamp}\n#![cfg_attr(rustfmt, rustfmt::skip)]\n\n{head}{body}",
                    codegen::emit::header_text(run.from)
                ),
            })
            .collect())
    };
    let version = bindgen_version(root);
    if let Some(v) = &version {
        // Each file: its stamp (the second line) and its body (after its head).
        let checked_in: Option<Vec<(String, String)>> = run
            .files
            .iter()
            .map(|(path, head)| {
                let text = fs::read_to_string(root.join(path)).ok()?;
                let mut lines = text.splitn(3, '\n');
                let stamp = lines.nth(1)?.to_owned();
                let body = lines.next()?.split_once(head)?.1.to_owned();
                Some((stamp, body))
            })
            .collect();
        if let Some(checked_in) = checked_in {
            let bodies: Vec<String> = checked_in.iter().map(|(_, b)| b.clone()).collect();
            let raw = (run.join)(&bodies);
            let stamp = stamp_line(v, &key_args, &raw);
            if checked_in.iter().all(|(s, _)| *s == stamp) {
                return Ok((written(&stamp, &raw)?, true));
            }
        }
    }
    fs::create_dir_all(&scratch).map_err(|e| GenError::Other(format!("{}: {e}", scratch.display())))?;
    let mut args = key_args.clone();
    args.splice(2..2, ["--out".to_owned(), out_str]);
    // windows-bindgen pipes its output through rustfmt, which reads the workspace's rustfmt.toml
    // from the current folder: rustfmt's defaults are restated, so that the output depends on
    // windows-bindgen alone (and the stamp stays valid whatever that file says).
    args.extend(["--rustfmt".to_owned(), "max_width=100,use_small_heuristics=Default".to_owned()]);
    if let Err(msg) = run_windows_bindgen(&args) {
        return Err(GenError::Other(format!(
            "windows-bindgen failed for {first}: {msg}\n(an item of metadata/ffi.toml with `source = \"win32metadata\"`, and a `[[win32]]` function or constant, must exist in Microsoft's metadata; windows-bindgen also needs `rustfmt` on PATH: `rustup component add rustfmt`)"
        )));
    }
    let raw = fs::read_to_string(&out).map_err(|e| GenError::Other(format!("{}: {e}", out.display())))?;
    let stamp = match &version {
        Some(v) => stamp_line(v, &key_args, &raw),
        None => "// windows-bindgen (version not found in Cargo.lock): `cargo xtask gen` runs it every time.".to_owned(),
    };
    Ok((written(&stamp, &raw)?, false))
}

/// Runs windows-bindgen with `args`. It reports failure by panicking, e.g. for a name the
/// metadata lacks, or when `rustfmt` (which formats its output) is missing: the panic's message
/// is returned as the error, and the default panic hook is silenced meanwhile.
pub(crate) fn run_windows_bindgen(args: &[String]) -> Result<(), String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let run = std::panic::catch_unwind(|| windows_bindgen::bindgen(args));
    std::panic::set_hook(hook);
    run.map(|_| ())
        .map_err(|p| p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default())
}

fn existing_generated(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for d in GENERATED_DIRS {
        walk(root, &root.join(d), &mut out);
    }
    out.extend(GENERATED_FILES.iter().filter(|f| root.join(f).exists()).map(|f| f.to_string()));
    if let Ok(rd) = fs::read_dir(root.join("tests/tests")) {
        for e in rd.flatten() {
            let rel = format!("tests/tests/{}", e.file_name().to_string_lossy());
            if is_generated_path(&rel) {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p: PathBuf = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Regenerates (or checks) the tree under `root`.
pub fn run(root: &Path, mode: Mode) -> Result<Report, GenError> {
    let (files, bindgen_skipped) = generate(root)?;
    let mut report = Report { bindgen_skipped, ..Report::default() };
    let wanted: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for stale in existing_generated(root).into_iter().filter(|p| !wanted.contains(p.as_str())) {
        if mode == Mode::Write {
            fs::remove_file(root.join(&stale)).map_err(|e| GenError::Other(format!("{stale}: {e}")))?;
        }
        report.removed.push(stale);
    }
    for f in &files {
        match ensure_file_contents(&root.join(&f.path), &f.contents, mode) {
            Ok(Change::Unchanged) => report.unchanged += 1,
            Ok(Change::Updated) => report.updated.push(f.path.clone()),
            Err(e) => return Err(GenError::Other(format!("{}: {e}", f.path))),
        }
    }
    Ok(report)
}

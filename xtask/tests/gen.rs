//! The generator's contract with the tree: fresh output is checked in, a no-op run writes nothing,
//! a deleted file comes back byte-identical, and a bad spec changes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use winsock_ioctl_codegen::emit::{FEATURES_BEGIN, FEATURES_END, FEATURES_MANIFEST};
use winsock_ioctl_codegen::schema::REFERENCE;
use xtask::fsutil::Mode;
use xtask::generate::{self, GENERATED_DIRS, GENERATED_FILES, GenError};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn generated_files_are_fresh() {
    let report = generate::run(&root(), Mode::Check).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.is_clean(),
        "generated files are stale: run `cargo xtask gen` and commit.\n updated: {:?}\n stale: {:?}",
        report.updated,
        report.removed
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() { copy_dir(&p, &t) } else { fs::copy(&p, &t).map(drop).unwrap() }
    }
}

/// A scratch copy of everything `gen` reads or writes.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = root();
    copy_dir(&root.join("metadata"), &dir.path().join("metadata"));
    for d in GENERATED_DIRS {
        copy_dir(&root.join(d), &dir.path().join(d));
    }
    for f in GENERATED_FILES.iter().chain([&FEATURES_MANIFEST, &REFERENCE]) {
        let to = dir.path().join(f);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(root.join(f), to).unwrap();
    }
    // windows-bindgen's version comes from the lock file.
    fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    fs::create_dir_all(dir.path().join("tests/tests")).unwrap();
    for e in fs::read_dir(root.join("tests/tests")).unwrap().flatten() {
        fs::copy(e.path(), dir.path().join("tests/tests").join(e.file_name())).unwrap();
    }
    dir
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "target") {
                    walk(&p, out);
                }
            } else {
                let m = fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(p.clone(), (fs::read(&p).unwrap(), m));
            }
        }
    }
    walk(root, &mut out);
    out
}

#[test]
fn noop_regeneration_writes_nothing() {
    let dir = scratch();
    let before = snapshot(dir.path());
    let report = generate::run(dir.path(), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_clean(), "{report:?}");
    assert!(report.bindgen_skipped, "windows-bindgen's inputs did not change");
    assert_eq!(snapshot(dir.path()), before, "contents and modification times are unchanged");
}

#[test]
fn windows_bindgen_runs_again_when_its_output_was_edited() {
    let dir = scratch();
    for (file, from, to) in [
        ("bindings/winsock-ioctl-sys/src/generated/functions.rs", "fn WSAGetLastError() -> i32", "fn WSAGetLastError() -> u32"),
        ("bindings/winsock-ioctl-sys/src/generated/ffi.rs", "pub type BOOL = i32;", "pub type BOOL = i64;"),
        ("bindings/winsock-ioctl/src/generated/win32.rs", "fn GetLastError() -> u32", "fn GetLastError() -> u64"),
    ] {
        let path = dir.path().join(file);
        let original = fs::read_to_string(&path).unwrap();
        assert!(original.contains(from), "{file} declares `{from}`");
        fs::write(&path, original.replace(from, to)).unwrap();
        let report = generate::run(dir.path(), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
        assert!(!report.bindgen_skipped, "{file}: the body no longer matches its recorded fingerprint");
        assert_eq!(report.updated, [file]);
        assert_eq!(fs::read_to_string(&path).unwrap(), original);
    }
}

#[test]
fn an_edited_doc_of_the_ffi_comes_back_without_windows_bindgen() {
    let dir = scratch();
    let file = "bindings/winsock-ioctl-sys/src/generated/ffi.rs";
    let path = dir.path().join(file);
    let original = fs::read_to_string(&path).unwrap();
    let doc = original.lines().find(|l| l.starts_with("/// ")).unwrap().to_owned();
    fs::write(&path, original.replacen(&doc, "/// Something else.", 1)).unwrap();
    let report = generate::run(dir.path(), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.bindgen_skipped, "docs come from metadata/ffi.toml, not from windows-bindgen");
    assert_eq!(report.updated, [file]);
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn an_undocumented_ffi_item_stops_gen() {
    let dir = scratch();
    let ffi = dir.path().join("metadata/ffi.toml");
    let spec = fs::read_to_string(&ffi).unwrap();
    let entry =
        "[[win32]]\nname = \"HANDLE\"\nkind = \"type\"\ndoc = \"A handle to a kernel object, such as the event of an OVERLAPPED.\"\n";
    assert!(spec.contains(entry));
    fs::write(&ffi, spec.replace(entry, "")).unwrap();
    let before = snapshot(dir.path());
    let err = generate::run(dir.path(), Mode::Write).map(drop).unwrap_err().to_string();
    assert!(err.contains("windows-bindgen emitted `HANDLE` for the sys crate, and metadata/ffi.toml does not document it"), "{err}");
    assert_eq!(snapshot(dir.path()), before, "nothing was written");
}

#[test]
fn deleted_generated_files_come_back_byte_identical() {
    let dir = scratch();
    let victims = [
        "bindings/winsock-ioctl/src/generated/sio_ideal_send_backlog_query.rs",
        "bindings/winsock-ioctl-sys/src/generated/ffi.rs",
        "docs/ja/errors/SIO_IDEAL_SEND_BACKLOG_QUERY.md",
        "tests/tests/generated_error_mapping.rs",
    ];
    let originals: Vec<Vec<u8>> = victims.iter().map(|v| fs::read(dir.path().join(v)).unwrap()).collect();
    for v in victims {
        fs::remove_file(dir.path().join(v)).unwrap();
    }
    let report = generate::run(dir.path(), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.updated.len(), victims.len(), "{report:?}");
    for (v, original) in victims.iter().zip(originals) {
        assert_eq!(fs::read(dir.path().join(v)).unwrap(), original, "{v}");
    }
}

#[test]
fn a_new_spec_gets_its_feature_and_an_edited_feature_region_is_restored() {
    let dir = scratch();
    let manifest = dir.path().join(FEATURES_MANIFEST);
    let original = fs::read_to_string(&manifest).unwrap();
    assert!(original.contains("\nSIO_IDEAL_SEND_BACKLOG_CHANGE = [\"SIO_IDEAL_SEND_BACKLOG_QUERY\"]\n"), "a stream's query comes with it");
    // A spec for a new documented code: gen adds its feature, to `full` too.
    let template = fs::read_to_string(dir.path().join("metadata/codes/SIO_KEEPALIVE_VALS.toml")).unwrap();
    let (path, text) = xtask::bench::synthetic_spec(&template, 7);
    fs::write(dir.path().join(&path), text).unwrap();
    let name = path.trim_start_matches("metadata/codes/").trim_end_matches(".toml");
    // A hand edit inside the region is undone; the hand-written features around it are kept.
    fs::write(&manifest, original.replace("\nFIONBIO = []\n", "\nFIONBIO = [\"FIONREAD\"]\n")).unwrap();
    generate::run(dir.path(), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    let after = fs::read_to_string(&manifest).unwrap();
    assert!(after.contains(&format!("\n{name} = []\n")) && after.contains(&format!("    \"{name}\",\n")), "{after}");
    assert!(after.contains("\nFIONBIO = []\n"), "{after}");
    assert_eq!(after.split(FEATURES_BEGIN).next(), original.split(FEATURES_BEGIN).next(), "the text before the region is kept");
    assert_eq!(after.split(FEATURES_END).nth(1), original.split(FEATURES_END).nth(1), "the text after the region is kept");
}

#[test]
fn a_manifest_without_the_feature_region_is_an_error_and_changes_nothing() {
    let dir = scratch();
    let manifest = dir.path().join(FEATURES_MANIFEST);
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace(FEATURES_END, "")).unwrap();
    fs::remove_file(dir.path().join("docs/errors/README.md")).unwrap();
    let before = snapshot(dir.path());
    match generate::run(dir.path(), Mode::Write) {
        Err(GenError::Other(m)) => assert!(m.contains(FEATURES_MANIFEST) && m.contains(FEATURES_END), "{m}"),
        other => panic!("expected an error naming the missing marker, got {other:?}"),
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn stale_generated_files_are_removed() {
    let dir = scratch();
    let stale = dir.path().join("docs/errors/SIO_GONE.md");
    fs::write(&stale, "old").unwrap();
    assert_eq!(generate::run(dir.path(), Mode::Check).unwrap().removed, ["docs/errors/SIO_GONE.md"]);
    assert!(stale.exists(), "check mode deletes nothing");
    generate::run(dir.path(), Mode::Write).unwrap();
    assert!(!stale.exists());
}

#[test]
fn a_bad_spec_is_reported_with_its_location_and_changes_nothing() {
    let cases = [
        ("unknown field", "header = \"mstcpip.h\"", "header = \"mstcpip.h\"\nhedaer = \"x\"", "unknown field `hedaer`"),
        ("value vs composition", "value = 0x4004747B", "value = 0x4004747C", "disagrees with its composition"),
        ("direction bits", "[input]\nkind = \"unused\"", "[input]\nkind = \"value\"\ntype = \"ULONG\"\nname = \"x\"", "direction bits"),
        ("unknown error", "name = \"WSAENOTCONN\"", "name = \"WSAENOTCONNECTED\"", "not in the catalogue"),
        ("malformed TOML", "[summary]", "[summary", "unclosed table"),
    ];
    for (what, from, to, message) in cases {
        let dir = scratch();
        let spec = dir.path().join("metadata/codes/SIO_IDEAL_SEND_BACKLOG_QUERY.toml");
        let text = fs::read_to_string(&spec).unwrap();
        assert!(text.contains(from), "{what}: template text not found");
        fs::write(&spec, text.replacen(from, to, 1)).unwrap();
        // Also delete a generated file: a failed run must not restore it either.
        fs::remove_file(dir.path().join("docs/errors/README.md")).unwrap();
        let before = snapshot(dir.path());
        match generate::run(dir.path(), Mode::Write) {
            Err(GenError::Specs(d)) => {
                let text = d.to_string();
                assert!(text.starts_with("metadata/codes/SIO_IDEAL_SEND_BACKLOG_QUERY.toml:"), "{what}: {text}");
                assert!(text.contains(message), "{what}: {text}");
            }
            other => panic!("{what}: expected a spec error, got {other:?}"),
        }
        assert_eq!(snapshot(dir.path()), before, "{what}: the tree is untouched");
    }
}

#[test]
fn a_duplicate_value_in_a_new_spec_is_rejected() {
    let dir = scratch();
    let codes = dir.path().join("metadata/codes");
    let text = fs::read_to_string(codes.join("SIO_IDEAL_SEND_BACKLOG_QUERY.toml")).unwrap();
    fs::write(codes.join("SIO_COPY.toml"), text.replace("name = \"SIO_IDEAL_SEND_BACKLOG_QUERY\"", "name = \"SIO_COPY\"")).unwrap();
    let before = snapshot(dir.path());
    let err = generate::run(dir.path(), Mode::Write).unwrap_err().to_string();
    assert!(err.contains("metadata/codes/SIO_IDEAL_SEND_BACKLOG_QUERY.toml:") || err.contains("metadata/codes/SIO_COPY.toml:"), "{err}");
    assert!(err.contains("duplicate value 0x4004747b"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_mutated_spec_makes_gen_fail_and_write_nothing() {
    use codegen_harness::mutate::{apply, mutations};
    use codegen_harness::{Outcome, check_spec, located};
    use winsock_ioctl_codegen::Source;

    let dir = scratch();
    let rel = "metadata/codes/SIO_KEEPALIVE_VALS.toml";
    let spec = dir.path().join(rel);
    let original = fs::read_to_string(&spec).unwrap();
    // Of each operator, the first mutant from the middle of the file on that the loader rejects
    // (a fixed choice).
    let mut by_kind: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for m in mutations(&original) {
        by_kind.entry(m.kind()).or_default().push(m);
    }
    let mut picked = BTreeMap::new();
    for (kind, mut ms) in by_kind {
        let half = ms.len() / 2;
        ms.rotate_left(half);
        let rejected = ms
            .into_iter()
            .map(|m| (apply(&original, &m).unwrap(), m))
            .find(|(text, _)| matches!(check_spec(Source { path: rel, text }), Ok(Outcome::Rejected(_))));
        if let Some((text, m)) = rejected {
            picked.insert(kind, (m, text));
        }
    }
    assert_eq!(picked.len(), 5, "a rejected mutant of each operator");
    // A generated file is missing too: a failed run must not restore it either.
    fs::remove_file(dir.path().join("docs/errors/README.md")).unwrap();
    let read = |p: &Path| fs::read_to_string(p).unwrap();
    let mut inputs: Vec<(String, String)> =
        ["metadata/errors.toml", "metadata/ffi.toml"].map(|p| (p.to_owned(), read(&dir.path().join(p)))).to_vec();
    for e in fs::read_dir(dir.path().join("metadata/codes")).unwrap().flatten() {
        inputs.push((format!("metadata/codes/{}", e.file_name().to_string_lossy()), read(&e.path())));
    }
    for (_, (m, text)) in picked {
        fs::write(&spec, &text).unwrap();
        let before = snapshot(dir.path());
        match generate::run(dir.path(), Mode::Write) {
            Err(GenError::Specs(d)) => {
                let sources: Vec<Source<'_>> =
                    inputs.iter().map(|(p, t)| Source { path: p, text: if p == rel { &text } else { t } }).collect();
                assert!(d.0.iter().any(|d| d.path == rel), "{m}: {d}");
                for d in &d.0 {
                    located(d, &sources).unwrap_or_else(|e| panic!("{m}: {e}"));
                }
            }
            other => panic!("{m}: expected a spec error, got {other:?}"),
        }
        assert_eq!(snapshot(dir.path()), before, "{m}: the tree is untouched");
    }
}

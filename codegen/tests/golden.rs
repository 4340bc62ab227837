//! Golden tests: each directory under `tests/data/` holds one or more `SIO_*.toml` specs and either
//! `expected.err` (the exact diagnostics) or `expected.rs` (the generated safe module of the first
//! spec). A case may also hold its own `ffi.toml` and `errors.toml` (instead of those in `tests/data/`),
//! `expected.types.rs` (the generated safe data types) and `expected.warn` (the warnings). A case
//! with `expected.md` compares the first spec's English docs page instead of its safe module
//! (undocumented codes have none). A case with `shared.txt` (one path per line, `seeds/…` or
//! `reference/…`) has its `seed:` and `reference:` sources checked against those files.
//! Set `UPDATE_EXPECT=1` to rewrite the expectations; otherwise a difference fails.

use std::fs;
use std::path::Path;
use winsock_ioctl_codegen::{SharedFiles, Source, emit, load, load_with};

fn run_case(dir: &Path) -> Result<(), String> {
    let data = dir.parent().unwrap();
    let own_or_shared = |name: &str| fs::read_to_string(if dir.join(name).exists() { dir.join(name) } else { data.join(name) }).unwrap();
    let (catalogue, ffi) = (own_or_shared("errors.toml"), own_or_shared("ffi.toml"));
    let mut specs: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "ffi.toml" && n != "errors.toml")
        .map(|n| (format!("metadata/codes/{n}"), fs::read_to_string(dir.join(&n)).unwrap()))
        .collect();
    specs.sort();
    let sources: Vec<Source<'_>> = specs.iter().map(|(p, t)| Source { path: p, text: t }).collect();
    let codes: Vec<Source<'_>> = sources.clone();
    let shared = fs::read_to_string(dir.join("shared.txt")).ok().map(|list| {
        let mut files = SharedFiles::default();
        for line in list.lines() {
            match line.split_once('/') {
                Some(("seeds", f)) => files.seeds.insert(f.to_owned()),
                Some(("reference", f)) => files.reference.insert(f.to_owned()),
                _ => panic!("{}: `{line}` is not under seeds/ or reference/", dir.display()),
            };
        }
        files
    });
    let result = load_with(
        Source { path: "metadata/errors.toml", text: &catalogue },
        Source { path: "metadata/ffi.toml", text: &ffi },
        &sources,
        shared.as_ref(),
    )
    .map(|ir| emit::all(&ir));
    let mut outputs: Vec<(&str, String)> = Vec::new();
    match &result {
        Err(d) => outputs.push(("expected.err", d.to_string())),
        Ok(files) if dir.join("expected.md").exists() => {
            // An undocumented code has no safe module: its English docs page is the output.
            let first = specs[0].0.rsplit('/').next().unwrap().trim_end_matches(".toml").to_owned();
            let want = format!("docs/errors/{first}.md");
            let f = files.iter().find(|f| f.path == want).ok_or(format!("{want} not generated"))?;
            outputs.push(("expected.md", f.contents.clone()));
            let module = format!("bindings/winsock-ioctl/src/generated/{}.rs", first.to_ascii_lowercase());
            if files.iter().any(|f| f.path == module) {
                return Err(format!("{module} generated for an undocumented code"));
            }
        }
        Ok(files) => {
            let first = specs[0].0.rsplit('/').next().unwrap().trim_end_matches(".toml").to_ascii_lowercase();
            let want = format!("bindings/winsock-ioctl/src/generated/{first}.rs");
            let f = files.iter().find(|f| f.path == want).ok_or(format!("{want} not generated"))?;
            outputs.push(("expected.rs", f.contents.clone()));
            if dir.join("expected.types.rs").exists() {
                let t = files.iter().find(|f| f.path.ends_with("winsock-ioctl/src/generated/types.rs")).ok_or("types.rs not generated")?;
                outputs.push(("expected.types.rs", t.contents.clone()));
            }
            if dir.join("expected.warn").exists() {
                let ir = load(
                    Source { path: "metadata/errors.toml", text: &catalogue },
                    Source { path: "metadata/ffi.toml", text: &ffi },
                    &codes,
                )
                .map_err(|e| e.to_string())?;
                outputs.push(("expected.warn", ir.warnings.iter().map(|w| format!("{w}\n")).collect()));
            }
        }
    }
    for (file, actual) in outputs {
        compare(dir, file, &actual)?;
    }
    Ok(())
}

fn compare(dir: &Path, file: &str, actual: &str) -> Result<(), String> {
    let path = dir.join(file);
    // Only an explicit `UPDATE_EXPECT=1` (any non-empty value but `0`) blesses.
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| !v.is_empty() && v != "0") {
        fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let expected = fs::read_to_string(&path).map_err(|e| format!("{}: {e} (got:\n{actual})", path.display()))?;
    if expected != actual {
        return Err(format!(
            "{}: mismatch; rerun with UPDATE_EXPECT=1 to bless.\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
    Ok(())
}

#[test]
fn golden_cases() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut dirs: Vec<_> = fs::read_dir(&data).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "golden cases are missing");
    let failures: Vec<String> = dirs.iter().filter_map(|d| run_case(d).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rejection_names_file_line_and_column() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut cases = 0;
    for dir in fs::read_dir(&data).unwrap().flatten().map(|e| e.path()) {
        let Ok(err) = fs::read_to_string(dir.join("expected.err")) else { continue };
        cases += 1;
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!err.is_empty(), "{case} must be rejected");
        for line in err.lines() {
            let mut parts = line.splitn(4, ':');
            let (file, l, c) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
            let spec = file.starts_with("metadata/codes/") && file.ends_with(".toml");
            assert!(spec || file == "metadata/ffi.toml" || file == "metadata/errors.toml", "{case}: {line}");
            assert!(l.parse::<usize>().is_ok_and(|n| n > 0) && c.parse::<usize>().is_ok_and(|n| n > 0), "{case}: {line}");
        }
    }
    assert!(cases >= 20, "only {cases} rejection cases");
}

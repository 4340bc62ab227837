//! `cargo xtask fuzz [--seconds N] [TARGET…]`: runs the cargo-fuzz targets of `fuzz/` (the
//! loader and validator on one mutated input file each; see `codegen/harness`) for N seconds in
//! all, split evenly between the targets, and prints what each run did. Installs a nightly
//! toolchain and cargo-fuzz first when they are missing.
//!
//! Each target starts from the real inputs: `metadata/codes/` for `spec` (read-only, passed as a
//! second corpus directory), a copy of `errors.toml` or `ffi.toml` for the others, with a
//! dictionary of the specs' vocabulary (every key and every short string value). The corpus a
//! run grows is kept in `fuzz/corpus/<target>/`, crashes in `fuzz/artifacts/<target>/` (neither
//! is committed).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fuzz targets, in the order they run.
pub const TARGETS: [&str; 3] = ["spec", "catalogue", "ffi"];

/// The time `cargo xtask test` gives the targets, in all.
pub const TEST_SECONDS: u64 = 30;

/// Where a run keeps the inputs it adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    /// `fuzz/corpus/<target>/`, which grows from run to run.
    Kept,
    /// An emptied directory under `target/xtask-fuzz/`: every run starts from the seeds alone,
    /// so its time does not grow with the corpus of earlier runs (`cargo xtask test`).
    Fresh,
}

/// What one target's run did, from libFuzzer's final statistics.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Inputs executed.
    pub execs: u64,
    /// Average executions per second.
    pub execs_per_sec: u64,
    /// Inputs the run added to the corpus.
    pub new_units: u64,
    /// Peak resident memory, MB.
    pub peak_rss_mb: u64,
    /// Files in the corpus directory after the run.
    pub corpus_files: usize,
}

impl Stats {
    /// Reads libFuzzer's `stat::name: value` lines (`-print_final_stats=1`).
    pub fn add_line(&mut self, line: &str) {
        let Some((name, value)) = line.strip_prefix("stat::").and_then(|l| l.split_once(':')) else { return };
        let Ok(value) = value.trim().parse::<u64>() else { return };
        match name {
            "number_of_executed_units" => self.execs = value,
            "average_exec_per_sec" => self.execs_per_sec = value,
            "new_units_added" => self.new_units = value,
            "peak_rss_mb" => self.peak_rss_mb = value,
            _ => {}
        }
    }
}

/// Parses `[--seconds N] [TARGET…]`: the total time and the targets (all by default).
pub fn parse_args<'a>(args: &[&'a str], default_seconds: u64) -> Result<(u64, Vec<&'a str>), String> {
    let mut seconds = default_seconds;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        if a == "--seconds" {
            let n = it.next().ok_or("--seconds needs a number")?;
            seconds = n.parse().map_err(|_| format!("--seconds {n}: not a number of seconds"))?;
        } else if TARGETS.contains(&a) {
            targets.push(a);
        } else {
            return Err(format!("unknown fuzz target or option `{a}`; the targets are {}", TARGETS.join(", ")));
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    if seconds < targets.len() as u64 {
        return Err(format!("--seconds {seconds} leaves less than a second per target"));
    }
    Ok((seconds, targets))
}

/// Versions of each package in a `Cargo.lock`.
fn lock_versions(lock: &str) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = \"").and_then(|l| l.strip_suffix('"')) {
            name = Some(n);
        } else if let (Some(n), Some(v)) = (name.take(), line.strip_prefix("version = \"").and_then(|l| l.strip_suffix('"'))) {
            out.entry(n).or_default().insert(v);
        }
    }
    out
}

/// The packages that `fuzz/Cargo.lock` pins to a version the workspace's `Cargo.lock` does not
/// have: `(name, fuzz's version, the workspace's versions joined by `,`)`. The codegen under the
/// fuzzer must build with the dependencies the workspace builds it with.
pub fn lock_drift(workspace: &str, fuzz: &str) -> Vec<(String, String, String)> {
    let w = lock_versions(workspace);
    let mut out = Vec::new();
    for (name, versions) in lock_versions(fuzz) {
        let Some(theirs) = w.get(name) else { continue };
        for v in versions.difference(theirs) {
            out.push((name.to_owned(), v.to_string(), theirs.iter().copied().collect::<Vec<_>>().join(",")));
        }
    }
    out
}

/// Brings `fuzz/Cargo.lock` to the workspace's versions of the packages both use
/// (`cargo update --precise`), so that the codegen under the fuzzer is the one the workspace builds.
fn sync_lock(root: &Path) -> Result<(), String> {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let fuzz_lock = root.join("fuzz/Cargo.lock");
    for (name, from, to) in lock_drift(&read(&root.join("Cargo.lock"))?, &read(&fuzz_lock)?) {
        if to.contains(',') {
            return Err(format!("fuzz/Cargo.lock has {name} {from}, Cargo.lock {to}: pick one (`cargo update --precise` in fuzz/)"));
        }
        eprintln!("xtask: fuzz/Cargo.lock: {name} {from} -> {to}, as in Cargo.lock (commit it)");
        crate::setup::run(Command::new("cargo").current_dir(root.join("fuzz")).args([
            "update",
            "--quiet",
            "-p",
            &format!("{name}@{from}"),
            "--precise",
            &to,
        ]))?;
    }
    Ok(())
}

/// A nightly toolchain (cargo-fuzz builds with sanitizer-coverage flags that need one) and
/// cargo-fuzz, installed when missing.
fn tools() -> Result<(), String> {
    let works = |args: &[&str]| {
        Command::new(args[0]).args(&args[1..]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    };
    if !works(&["rustc", "+nightly", "--version"]) {
        crate::setup::run(Command::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))?;
    }
    if !works(&["cargo", "+nightly", "fuzz", "--version"]) {
        crate::setup::run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    Ok(())
}

/// Escapes `token` as a libFuzzer dictionary entry.
fn dict_entry(token: &str) -> String {
    let mut out = String::from("\"");
    for b in token.bytes() {
        match b {
            b'"' | b'\\' => write!(out, "\\{}", b as char),
            0x20..=0x7e => write!(out, "{}", b as char),
            _ => write!(out, "\\x{b:02X}"),
        }
        .expect("writing to a String");
    }
    out.push('"');
    out
}

/// The vocabulary of the TOML texts: every key (also as `key = ` and, for tables, `[key]` /
/// `[[key]]`) and every string value of at most 40 bytes without spaces (enum values, type,
/// error and code names), as libFuzzer dictionary lines, sorted.
pub fn dictionary<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<String, String> {
    fn walk(v: &toml::Value, out: &mut BTreeSet<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    out.insert(k.clone());
                    out.insert(format!("{k} = "));
                    match v {
                        toml::Value::Table(_) => {
                            out.insert(format!("[{k}]"));
                        }
                        toml::Value::Array(a) if a.iter().all(toml::Value::is_table) && !a.is_empty() => {
                            out.insert(format!("[[{k}]]"));
                        }
                        _ => {}
                    }
                    walk(v, out);
                }
            }
            toml::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            toml::Value::String(s) if s.len() <= 40 && !s.contains(char::is_whitespace) => {
                out.insert(format!("\"{s}\""));
            }
            _ => {}
        }
    }
    let mut tokens = BTreeSet::new();
    for text in texts {
        walk(&text.parse::<toml::Table>().map(toml::Value::Table).map_err(|e| format!("dictionary: {e}"))?, &mut tokens);
    }
    Ok(tokens.iter().map(|t| dict_entry(t) + "\n").collect())
}

/// Writes the dictionary and the seed directories of the targets under `target/xtask-fuzz/`;
/// returns the dictionary's path.
fn prepare(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/xtask-fuzz");
    let mk = |d: &Path| fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()));
    let mut texts = Vec::new();
    for f in ["metadata/errors.toml", "metadata/ffi.toml"] {
        let text = fs::read_to_string(root.join(f)).map_err(|e| format!("{f}: {e}"))?;
        let seeds = dir.join("seeds").join(if f.ends_with("errors.toml") { "catalogue" } else { "ffi" });
        mk(&seeds)?;
        fs::write(seeds.join(f.trim_start_matches("metadata/")), &text).map_err(|e| format!("{}: {e}", seeds.display()))?;
        texts.push(text);
    }
    let codes = root.join("metadata/codes");
    let mut names: Vec<PathBuf> =
        fs::read_dir(&codes).map_err(|e| format!("{}: {e}", codes.display()))?.flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        texts.push(fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    let dict = dir.join("metadata.dict");
    fs::write(&dict, dictionary(texts.iter().map(String::as_str))?).map_err(|e| format!("{}: {e}", dict.display()))?;
    Ok(dict)
}

/// Runs `targets` for `seconds` in all; `Err` if one found a crash (its input is in
/// `fuzz/artifacts/<target>/`) or could not run.
pub fn run(root: &Path, seconds: u64, targets: &[&str], corpus: Corpus) -> Result<Vec<(String, Stats)>, String> {
    tools()?;
    sync_lock(root)?;
    let dict = prepare(root)?;
    // Coverage instrumentation without a sanitizer: the code under test is safe Rust, and
    // AddressSanitizer would halve the executions for nothing it could find there.
    crate::setup::run(Command::new("cargo").current_dir(root).args(["+nightly", "fuzz", "build", "--sanitizer", "none"]))?;
    let each = seconds / targets.len() as u64;
    let mut out = Vec::new();
    for &t in targets {
        let corpus = corpus_dir(root, t, corpus);
        if corpus.starts_with(root.join("target")) && corpus.exists() {
            fs::remove_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        }
        fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let seeds = if t == "spec" { root.join("metadata/codes") } else { root.join("target/xtask-fuzz/seeds").join(t) };
        let log_path = root.join("target/xtask-fuzz").join(format!("{t}.log"));
        let mut cmd = Command::new("cargo");
        cmd.current_dir(root)
            .args(["+nightly", "fuzz", "run", "--sanitizer", "none", t])
            .arg(&corpus)
            .arg(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={each}"))
            .arg(format!("-dict={}", dict.display()))
            // A spec that takes seconds is a hang worth reporting.
            .arg("-timeout=10")
            .arg("-print_final_stats=1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        eprintln!("xtask: fuzzing `{t}` for {each} s (log: {})", log_path.display());
        let mut child = cmd.spawn().map_err(|e| format!("cargo fuzz: {e}"))?;
        let mut stats = Stats::default();
        // The log is written as libFuzzer prints (`tail -f` it); the end of it goes with a failure.
        let mut log = fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let mut last = std::collections::VecDeque::new();
        if let Some(err) = child.stderr.take() {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                stats.add_line(&line);
                writeln!(log, "{line}").map_err(|e| format!("{}: {e}", log_path.display()))?;
                last.push_back(line);
                if last.len() > 60 {
                    last.pop_front();
                }
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!(
                "fuzz target `{t}` failed ({status}); its input is under fuzz/artifacts/{t}/, reproduce with `cargo +nightly fuzz run -s none {t} <file>`:\n{}",
                Vec::from(last).join("\n")
            ));
        }
        stats.corpus_files = fs::read_dir(&corpus).map_or(0, |d| d.flatten().count());
        out.push((t.to_owned(), stats));
    }
    Ok(out)
}

fn corpus_dir(root: &Path, target: &str, corpus: Corpus) -> PathBuf {
    match corpus {
        Corpus::Kept => root.join("fuzz/corpus").join(target),
        Corpus::Fresh => root.join("target/xtask-fuzz/corpus").join(target),
    }
}

/// One line per target: executions, rate, corpus growth and size.
pub fn summary(runs: &[(String, Stats)]) -> String {
    let mut s = String::new();
    for (t, st) in runs {
        writeln!(
            s,
            "fuzz {t}: {} executions ({}/s), {} inputs added, corpus {} files (seeds not counted), peak RSS {} MB, no crash",
            st.execs, st.execs_per_sec, st.new_units, st.corpus_files, st.peak_rss_mb
        )
        .expect("writing to a String");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_the_time_and_the_targets() {
        assert_eq!(parse_args(&[], 30), Ok((30, TARGETS.to_vec())));
        assert_eq!(parse_args(&["--seconds", "600", "spec"], 30), Ok((600, vec!["spec"])));
        assert!(parse_args(&["--seconds"], 30).is_err());
        assert!(parse_args(&["specs"], 30).unwrap_err().contains("spec, catalogue, ffi"));
        assert!(parse_args(&["--seconds", "2"], 30).is_err(), "less than a second per target");
    }

    #[test]
    fn libfuzzer_final_stats_are_read() {
        let mut s = Stats::default();
        for l in [
            "stat::number_of_executed_units: 81234",
            "stat::average_exec_per_sec:     135",
            "stat::new_units_added: 12",
            "stat::peak_rss_mb: 61",
            "#2 INITED",
        ] {
            s.add_line(l);
        }
        assert_eq!(s, Stats { execs: 81234, execs_per_sec: 135, new_units: 12, peak_rss_mb: 61, corpus_files: 0 });
    }

    #[test]
    fn drift_is_a_shared_package_at_another_version() {
        let w = "[[package]]\nname = \"toml\"\nversion = \"1.2.1\"\n\n[[package]]\nname = \"syn\"\nversion = \"2.0.1\"\n\n[[package]]\nname = \"bindgen\"\nversion = \"0.73.0\"\n";
        let f = "[[package]]\nname = \"toml\"\nversion = \"1.2.0\"\n\n[[package]]\nname = \"syn\"\nversion = \"2.0.1\"\n\n[[package]]\nname = \"libfuzzer-sys\"\nversion = \"0.4.13\"\n";
        assert_eq!(lock_drift(w, f), [("toml".to_owned(), "1.2.0".to_owned(), "1.2.1".to_owned())]);
        assert!(lock_drift(w, w).is_empty());
        // One of the workspace's two versions is enough.
        let two = format!("{w}\n[[package]]\nname = \"toml\"\nversion = \"1.2.0\"\n");
        assert!(lock_drift(&two, f).is_empty());
    }

    #[test]
    fn the_fuzz_lock_builds_the_codegen_with_the_workspace_s_versions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let read = |p: &str| fs::read_to_string(root.join(p)).unwrap();
        let drift = lock_drift(&read("Cargo.lock"), &read("fuzz/Cargo.lock"));
        assert!(drift.is_empty(), "fuzz/Cargo.lock differs from Cargo.lock: {drift:?}; `cargo xtask fuzz` brings it in line");
    }

    #[test]
    fn the_dictionary_holds_keys_tables_and_short_values() {
        let d = dictionary(["name = \"SIO_X\"\ntext = \"two words\"\n[input]\nkind = \"value\"\n[[errors]]\nja = \"日\"\n"]).unwrap();
        for want in
            [r#""name""#, r#""name = ""#, r#""\"SIO_X\"""#, r#""[input]""#, r#""[[errors]]""#, r#""\"value\"""#, r#""\"\xE6\x97\xA5\"""#]
        {
            assert!(d.lines().any(|l| l == want), "{want} missing from\n{d}");
        }
        assert!(!d.contains("two words"));
    }
}

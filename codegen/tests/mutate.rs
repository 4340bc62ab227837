//! Structure-aware mutation of the real inputs: every spec of `metadata/codes/`, and
//! `errors.toml` and `ffi.toml`, get mutants that delete a key, table or element, give a value
//! another type or an edge value, swap two keys' values, duplicate an element, or cut the text
//! short (`codegen_harness::mutate`). Each mutant is loaded with the real files it refers to and
//! must not panic: it is rejected with diagnostics located in the inputs, or accepted and then
//! emitted without a panic (`codegen_harness::check`). The library does no I/O, so nothing can
//! be written; xtask's `a_mutated_spec_makes_gen_fail_and_write_nothing` checks the tree.
//!
//! The sample is fixed (a seeded choice of a few mutants of each operator per file), so the
//! test is deterministic and takes seconds. `MUTANTS=N` takes N of each operator per file;
//! `MUTANTS=all` every mutant (minutes).

use codegen_harness::metadata::{CATALOGUE, CODES, FFI};
use codegen_harness::mutate::{Mutation, apply, mutations};
use codegen_harness::{Outcome, check_catalogue, check_ffi, check_spec, fuzz};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use winsock_ioctl_codegen::Source;

/// Mutants of each operator per file, unless `MUTANTS` says otherwise (`None`: all).
fn per_operator() -> Option<usize> {
    match std::env::var("MUTANTS") {
        Ok(v) if v == "all" => None,
        Ok(v) => Some(v.parse().expect("MUTANTS is a number or `all`")),
        Err(_) => Some(3),
    }
}

/// splitmix64: the fixed sequence the sample is drawn with.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Up to `n` mutations of each operator (all with `None`), drawn with a seed of the file's index.
fn sample(all: Vec<Mutation>, n: Option<usize>, file: u64) -> Vec<Mutation> {
    let Some(n) = n else { return all };
    let mut by_kind: BTreeMap<&str, Vec<Mutation>> = BTreeMap::new();
    for m in all {
        by_kind.entry(m.kind()).or_default().push(m);
    }
    let mut state = 0x5eed_0000 + file;
    let mut out = Vec::new();
    for (_, mut ms) in by_kind {
        for _ in 0..n.min(ms.len()) {
            let i = (next(&mut state) % ms.len() as u64) as usize;
            out.push(ms.swap_remove(i));
        }
    }
    out
}

/// One file to mutate and how to load a mutant of it.
struct Target {
    source: Source<'static>,
    load: fn(Source<'_>) -> Result<Outcome, String>,
}

#[derive(Default)]
struct Tally {
    checked: usize,
    rejected: usize,
    accepted: usize,
    by_kind: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

fn run(targets: &[Target], n: Option<usize>, first_index: u64) -> Tally {
    let mut t = Tally::default();
    for (i, target) in targets.iter().enumerate() {
        let Source { path, text } = target.source;
        for m in sample(mutations(text), n, first_index + i as u64) {
            let mutant = apply(text, &m).unwrap_or_else(|| panic!("{path}: `{m}` was listed but does not apply"));
            let source = Source { path, text: &mutant };
            t.checked += 1;
            *t.by_kind.entry(m.kind()).or_default() += 1;
            match catch_unwind(AssertUnwindSafe(|| (target.load)(source))) {
                Ok(Ok(Outcome::Rejected(_))) => t.rejected += 1,
                Ok(Ok(Outcome::Accepted(_))) => t.accepted += 1,
                Ok(Err(broken)) => t.failures.push(format!("{path}: {m}: {broken}")),
                Err(panic) => {
                    let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                    t.failures.push(format!("{path}: {m}: panicked: {}", msg.unwrap_or_default()));
                }
            }
        }
    }
    t
}

#[test]
fn mutants_are_rejected_with_located_diagnostics_or_accepted_and_emitted() {
    fuzz::seeds_are_accepted().unwrap_or_else(|e| panic!("an unmutated input is not accepted: {e}"));
    let mut targets: Vec<Target> = CODES.iter().map(|&source| Target { source, load: check_spec }).collect();
    targets.push(Target { source: CATALOGUE, load: check_catalogue });
    targets.push(Target { source: FFI, load: check_ffi });
    let n = per_operator();
    let start = std::time::Instant::now();
    // The files split between the cores; each part is drawn with its own files' seeds.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let part = targets.len().div_ceil(threads);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let jobs: Vec<_> = targets.chunks(part).enumerate().map(|(i, chunk)| s.spawn(move || run(chunk, n, (i * part) as u64))).collect();
        jobs.into_iter().map(|j| j.join().expect("the runner does not panic")).collect()
    });
    let mut all = Tally::default();
    for t in tallies {
        all.checked += t.checked;
        all.rejected += t.rejected;
        all.accepted += t.accepted;
        for (k, v) in t.by_kind {
            *all.by_kind.entry(k).or_default() += v;
        }
        all.failures.extend(t.failures);
    }
    eprintln!(
        "mutation test: {} mutants of {} files ({:?}) in {:.1?}: {} rejected with located diagnostics, {} accepted and emitted, {} broke the contract",
        all.checked,
        targets.len(),
        all.by_kind,
        start.elapsed(),
        all.rejected,
        all.accepted,
        all.failures.len()
    );
    assert!(all.failures.is_empty(), "{} mutants broke the contract:\n{}", all.failures.len(), all.failures.join("\n"));
    assert!(all.by_kind.len() == 5 && all.checked >= targets.len() * 5, "the sample is too small: {:?}", all.by_kind);
    assert!(all.rejected > all.checked / 2, "most mutants must be rejected: {} of {}", all.rejected, all.checked);
}

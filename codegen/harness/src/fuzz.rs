//! The bodies of the cargo-fuzz targets (`fuzz/fuzz_targets/`) and their custom mutator. Each
//! target takes the fuzzer's bytes as the text of one input file; the other inputs are the real
//! ones. An `Err` is a broken contract, which the target turns into a crash.

use crate::metadata::{CATALOGUE, CODES, FFI, spec_path};
use crate::{Outcome, check_catalogue, check_ffi, check_spec, mutate};
use winsock_ioctl_codegen::Source;

/// The bytes as one code spec, in the file its `name` says ([`check_spec`]). Bytes that are not
/// UTF-8 are skipped (`None`).
pub fn spec(data: &[u8]) -> Option<Result<Outcome, String>> {
    let text = std::str::from_utf8(data).ok()?;
    Some(check_spec(Source { path: &spec_path(text), text }))
}

/// The bytes as `metadata/errors.toml` ([`check_catalogue`]).
pub fn catalogue(data: &[u8]) -> Option<Result<Outcome, String>> {
    Some(check_catalogue(Source { path: CATALOGUE.path, text: std::str::from_utf8(data).ok()? }))
}

/// The bytes as `metadata/ffi.toml` ([`check_ffi`]).
pub fn ffi(data: &[u8]) -> Option<Result<Outcome, String>> {
    Some(check_ffi(Source { path: FFI.path, text: std::str::from_utf8(data).ok()? }))
}

/// libFuzzer's custom mutator: for half the seeds, one structure-aware mutation (chosen by the
/// seed) of an input that is TOML; otherwise, or when none fits in `max_size`, libFuzzer's own
/// byte-level mutation (`fallback`). `data` holds the input in its first `size` bytes and has
/// room for `max_size`; returns the new size.
pub fn mutate_input(data: &mut [u8], size: usize, max_size: usize, seed: u32, fallback: fn(&mut [u8], usize, usize) -> usize) -> usize {
    if seed.is_multiple_of(2)
        && let Some(n) = structural(data, size, max_size.min(data.len()), seed / 2)
    {
        return n;
    }
    fallback(data, size, max_size)
}

fn structural(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    let text = std::str::from_utf8(data.get(..size)?).ok()?;
    let all = mutate::mutations(text);
    let m = all.get(seed as usize % all.len().max(1))?;
    let out = mutate::apply(text, m)?;
    let dest = data.get_mut(..out.len()).filter(|_| out.len() <= max_size)?;
    dest.copy_from_slice(out.as_bytes());
    Some(out.len())
}

/// Every real spec with its companions passes the contract and is accepted: the targets'
/// harness is sound before any byte is mutated.
pub fn seeds_are_accepted() -> Result<usize, String> {
    for s in CODES {
        match spec(s.text.as_bytes()) {
            Some(Ok(Outcome::Accepted(_))) => {}
            other => return Err(format!("{}: {other:?}", s.path)),
        }
    }
    for (name, got) in [("errors.toml", catalogue(CATALOGUE.text.as_bytes())), ("ffi.toml", ffi(FFI.text.as_bytes()))] {
        if !matches!(got, Some(Ok(Outcome::Accepted(_)))) {
            return Err(format!("{name}: {got:?}"));
        }
    }
    Ok(CODES.len() + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_custom_mutator_makes_structural_mutants_within_the_size_limit() {
        let text = b"a = 1\nb = [\"x\"]\n";
        let mut structural = 0;
        for seed in 0..400 {
            let mut buf = [0u8; 64];
            buf[..text.len()].copy_from_slice(text);
            // No room for anything longer; libFuzzer's own mutation is a stand-in that changes nothing.
            let n = mutate_input(&mut buf, text.len(), text.len(), seed, |_, size, _| size);
            assert!(n <= text.len(), "seed {seed}: {n} bytes");
            if &buf[..n] != text {
                assert_eq!(seed % 2, 0, "odd seeds leave it to libFuzzer");
                structural += 1;
            }
        }
        assert!(structural > 50, "{structural} structural mutants of 200 tries");
    }
}

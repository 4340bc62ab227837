//! The loader's contract, checked on any input, and structure-aware mutants of valid specs.
//!
//! The contract ([`check`]): `load` does not panic; when it rejects its inputs, every diagnostic
//! names one of them, a line of that file and a column within that line (1-based, up to the
//! line's length + 1), and gives a one-line reason; when it accepts them, every warning is
//! located the same way and the emitters do not panic either.
//!
//! Users: the mutation test (`codegen/tests/mutate.rs`: every spec of `metadata/codes/`,
//! mutated by [`mutate`]), xtask's test that a bad spec makes `gen` write nothing, and the
//! cargo-fuzz targets in `fuzz/` ([`fuzz`]), which also use [`mutate`] as a custom mutator.

pub mod fuzz;
pub mod metadata;
pub mod mutate;

use winsock_ioctl_codegen::{Diagnostic, Source, emit, load};

/// What the loader made of one set of inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Rejected, with this many (located) diagnostics.
    Rejected(usize),
    /// Accepted; the emitters produced this many files.
    Accepted(usize),
}

/// Runs `load` and, when it accepts, `emit::all`, and checks the contract. A panic unwinds out of
/// here (the fuzzer reports it as a crash; the mutation test catches it); `Err` says which
/// diagnostic or warning is not located.
pub fn check(catalogue: Source<'_>, ffi: Source<'_>, codes: &[Source<'_>]) -> Result<Outcome, String> {
    let inputs: Vec<Source<'_>> = [catalogue, ffi].into_iter().chain(codes.iter().copied()).collect();
    match load(catalogue, ffi, codes) {
        Err(diags) => {
            if diags.0.is_empty() {
                return Err("rejected without a diagnostic".to_owned());
            }
            diags.0.iter().try_for_each(|d| located(d, &inputs))?;
            Ok(Outcome::Rejected(diags.0.len()))
        }
        Ok(ir) => {
            ir.warnings.iter().try_for_each(|w| located(w, &inputs))?;
            Ok(Outcome::Accepted(emit::all(&ir).len()))
        }
    }
}

/// [`check`] on one code spec, with the real `errors.toml` and `ffi.toml` and the real specs it
/// names ([`metadata::companions`]; the spec replaces the real one of its file).
pub fn check_spec(spec: Source<'_>) -> Result<Outcome, String> {
    let mut codes = metadata::companions(spec.text, metadata::stem(spec.path));
    codes.push(spec);
    codes.sort_by_key(|s| s.path);
    check(metadata::CATALOGUE, metadata::FFI, &codes)
}

/// [`check`] on an `errors.toml`, with the real `ffi.toml` and [`metadata::table_companions`].
pub fn check_catalogue(catalogue: Source<'_>) -> Result<Outcome, String> {
    check(catalogue, metadata::FFI, metadata::table_companions())
}

/// [`check`] on an `ffi.toml`, with the real `errors.toml` and [`metadata::table_companions`].
pub fn check_ffi(ffi: Source<'_>) -> Result<Outcome, String> {
    check(metadata::CATALOGUE, ffi, metadata::table_companions())
}

/// Whether `d` names one of `inputs`, a line of it and a column of that line (up to just past
/// its last character), with a one-line reason.
pub fn located(d: &Diagnostic, inputs: &[Source<'_>]) -> Result<(), String> {
    let Some(src) = inputs.iter().find(|s| s.path == d.path) else {
        return Err(format!("`{d}`: names no input file"));
    };
    let Some(line) = d.line.checked_sub(1).and_then(|i| src.text.split('\n').nth(i)) else {
        return Err(format!("`{d}`: {} has no line {}", d.path, d.line));
    };
    let width = line.chars().count();
    if d.col == 0 || d.col > width + 1 {
        return Err(format!("`{d}`: line {} of {} has {width} characters, no column {}", d.line, d.path, d.col));
    }
    if d.message.trim().is_empty() || d.message.contains('\n') {
        return Err(format!("`{d}`: the reason must be one non-empty line"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str, line: usize, col: usize, message: &str) -> Diagnostic {
        Diagnostic { path: path.to_owned(), line, col, message: message.to_owned() }
    }

    #[test]
    fn a_located_diagnostic_points_into_its_file() {
        let inputs = [Source { path: "a.toml", text: "ab\nčd\n" }, Source { path: "b.toml", text: "" }];
        for ok in [
            at("a.toml", 1, 1, "m"),
            at("a.toml", 1, 3, "just past the end"),
            at("a.toml", 2, 3, "characters, not bytes"),
            at("a.toml", 3, 1, "after the last newline"),
            at("b.toml", 1, 1, "empty file"),
        ] {
            assert_eq!(located(&ok, &inputs), Ok(()), "{ok}");
        }
        for bad in [
            at("c.toml", 1, 1, "no such input"),
            at("a.toml", 0, 1, "line 0"),
            at("a.toml", 4, 1, "past the last line"),
            at("a.toml", 1, 0, "column 0"),
            at("a.toml", 2, 4, "past the line's end"),
            at("a.toml", 1, 1, " "),
            at("a.toml", 1, 1, "two\nlines"),
        ] {
            assert!(located(&bad, &inputs).is_err(), "{bad}");
        }
    }

    #[test]
    fn check_tells_rejected_from_accepted() {
        use metadata::{CATALOGUE, FFI};
        assert_eq!(check(CATALOGUE, FFI, &[]).map(|o| matches!(o, Outcome::Accepted(_))), Ok(true));
        let broken = Source { path: "metadata/codes/SIO_X.toml", text: "name = " };
        assert!(matches!(check(CATALOGUE, FFI, &[broken]), Ok(Outcome::Rejected(1))));
    }
}

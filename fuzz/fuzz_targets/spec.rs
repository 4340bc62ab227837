#![no_main]
//! Fuzzes one code spec (`metadata/codes/*.toml`), loaded with the real `errors.toml` and
//! `ffi.toml` and the real specs it names (`codegen_harness::fuzz::spec`): the loader must not
//! panic, its diagnostics must be located in the inputs, and an accepted input must emit without a
//! panic.

const RUN: fn(&[u8]) -> Option<Result<codegen_harness::Outcome, String>> = codegen_harness::fuzz::spec;
include!("shared.rs");

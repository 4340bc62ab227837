#![no_main]
//! Fuzzes `metadata/errors.toml`, loaded with the real `ffi.toml` and a set of real specs
//! (`codegen_harness::fuzz::catalogue`): the loader must not panic, its diagnostics must be located
//! in the inputs, and an accepted input must emit without a panic.

const RUN: fn(&[u8]) -> Option<Result<codegen_harness::Outcome, String>> = codegen_harness::fuzz::catalogue;
include!("shared.rs");

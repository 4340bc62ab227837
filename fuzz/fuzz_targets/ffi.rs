#![no_main]
//! Fuzzes `metadata/ffi.toml`, loaded with the real `errors.toml` and a set of real specs
//! (`codegen_harness::fuzz::ffi`): the loader must not panic, its diagnostics must be located in
//! the inputs, and an accepted input must emit without a panic.

const RUN: fn(&[u8]) -> Option<Result<codegen_harness::Outcome, String>> = codegen_harness::fuzz::ffi;
include!("shared.rs");

#![no_main]
//! Fuzzes `metadata/errors.toml`, loaded with the real `ffi.toml` and a set of real specs
//! (`codegen_harness::fuzz::catalogue`): the loader must not panic, its diagnostics must be located
//! in the inputs, and an accepted input must emit without a panic. The custom mutator mixes
//! structure-aware mutations with libFuzzer's own.

use codegen_harness::fuzz;
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    if let Some(Err(broken)) = fuzz::catalogue(data) {
        panic!("{broken}");
    }
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    fuzz::mutate_input(data, size, max_size, seed, libfuzzer_sys::fuzzer_mutate)
});

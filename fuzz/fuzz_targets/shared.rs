// The part every target shares (included by each, after it defines `RUN`): a broken contract
// is a crash, and the custom mutator mixes the harness's structure-aware mutations with
// libFuzzer's own.

use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    if let Some(Err(broken)) = RUN(data) {
        panic!("{broken}");
    }
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    codegen_harness::fuzz::mutate_input(data, size, max_size, seed, libfuzzer_sys::fuzzer_mutate)
});

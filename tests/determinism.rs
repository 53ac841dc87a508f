//! Test layer 4: the same run gives the same state hashes natively and in wasm. The native
//! hashes come from build.rs, which ran `determinism_probe()` on the build machine.

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/native_probe.rs"));

#[wasm_bindgen_test]
fn wasm_and_native_runs_have_identical_state_hashes() {
    let wasm = highwater_core::bench::determinism_probe();
    assert_eq!(wasm.len(), NATIVE_PROBE.len());
    for (i, (w, n)) in wasm.iter().zip(NATIVE_PROBE.iter()).enumerate() {
        assert_eq!(w, n, "probe {i}: wasm {w:#x} vs native {n:#x}");
    }
    // The probe is not trivial: different runs give different hashes.
    let mut distinct = wasm.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), wasm.len());
}

//! Computes the simulator's determinism probe natively at build time, so that the wasm-bindgen
//! test `tests/determinism.rs` can check that the same run gives the same state hashes in the
//! browser (DESIGN.md test layer 4).

fn main() {
    println!("cargo:rerun-if-changed=core/src");
    let hashes = highwater_core::bench::determinism_probe();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let list: Vec<String> = hashes.iter().map(|h| format!("{h:#018x}")).collect();
    let code = format!(
        "/// State hashes of `highwater_core::bench::determinism_probe()`, computed natively.\npub const NATIVE_PROBE: [u64; {}] = [{}];\n",
        hashes.len(),
        list.join(", ")
    );
    std::fs::write(out.join("native_probe.rs"), code).expect("OUT_DIR is writable");
}

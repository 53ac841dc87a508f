//! Build-time work done natively, with the full simulator:
//! * the determinism probe, so that the wasm-bindgen test `tests/determinism.rs` can check that
//!   the same run gives the same state hashes in the browser (DESIGN.md test layer 4);
//! * the scenario catalog: every `scenarios/*.toml` (and `tutorials/*.toml`) is checked with
//!   `Scenario::parse` and compiled to JSON, so the page needs no TOML parser (src/catalog.rs).

use std::path::{Path, PathBuf};

use highwater_core::scenario::{Scenario, ScenarioError};

fn main() {
    println!("cargo:rerun-if-changed=core/src");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let hashes = highwater_core::bench::determinism_probe();
    let list: Vec<String> = hashes.iter().map(|h| format!("{h:#018x}")).collect();
    let code = format!(
        "/// State hashes of `highwater_core::bench::determinism_probe()`, computed natively.\npub const NATIVE_PROBE: [u64; {}] = [{}];\n",
        hashes.len(),
        list.join(", ")
    );
    std::fs::write(out.join("native_probe.rs"), code).expect("OUT_DIR is writable");

    let mut catalog = String::new();
    for (constant, dir) in [("SCENARIOS", "scenarios"), ("TUTORIALS", "tutorials")] {
        println!("cargo:rerun-if-changed={dir}");
        catalog.push_str(&format!(
            "/// `{dir}/*.toml` as (file stem, name, JSON), sorted by file name.\npub const {constant}: &[(&str, &str, &str)] = &[\n"
        ));
        for (stem, name, json) in compile_dir(Path::new(dir)) {
            catalog.push_str(&format!("    ({stem:?}, {name:?}, {json:?}),\n"));
        }
        catalog.push_str("];\n");
    }
    std::fs::write(out.join("catalog.rs"), catalog).expect("OUT_DIR is writable");
}

/// Every `.toml` file of `dir`: validated (a broken file fails the build with its line) and
/// converted table for table to JSON.
fn compile_dir(dir: &Path) -> Vec<(String, String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            println!("cargo:rerun-if-changed={}", path.display());
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let fail = |e: ScenarioError| -> ! { panic!("{}: {e}", path.display()) };
            let scenario = Scenario::parse(&text).unwrap_or_else(|e| fail(e));
            let json = Scenario::toml_to_json(&text).unwrap_or_else(|e| fail(e));
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            (stem.to_string(), scenario.name, json)
        })
        .collect()
}

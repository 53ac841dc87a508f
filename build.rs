//! Build-time work done natively, with the full simulator:
//! * the determinism probe, so that the wasm-bindgen test `tests/determinism.rs` can check that
//!   the same run gives the same state hashes in the browser (DESIGN.md test layer 4);
//! * the scenario catalog: every `scenarios/*.toml` (and `tutorials/*.toml`) is checked with
//!   `Scenario::parse` and compiled to JSON, so the page needs no TOML parser (src/catalog.rs);
//!   the page carries only the index and fetches a file's JSON when it is opened;
//! * the summary's table (`src/summary_table.rs`), the legend (`src/legend_html.rs`), the help
//!   (`src/help_html.rs`) and the chapter index's note on the article (`src/article_html.rs`) as
//!   `catalog/summary.html`, `legend.html`, `help.html` and `article.html`, fetched when they are
//!   first shown.

use std::path::{Path, PathBuf};

use highwater_core::scenario::{Scenario, ScenarioError};

#[path = "src/article_html.rs"]
mod article_html;
#[path = "src/help_html.rs"]
mod help_html;
#[path = "src/legend_html.rs"]
mod legend_html;
#[path = "src/summary_table.rs"]
mod summary_table;

fn main() {
    println!("cargo:rerun-if-changed=core/src");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let hashes = highwater_core::bench::determinism_probe();
    let list: Vec<String> = hashes.iter().map(|h| format!("{h:#018x}")).collect();
    let code = format!(
        "/// State hashes of `highwater_core::bench::determinism_probe()`, computed natively.\npub const NATIVE_PROBE: [u64; {}] = [{}];\n",
        hashes.len(),
        list.join(", ")
    );
    std::fs::write(out.join("native_probe.rs"), code).expect("OUT_DIR is writable");

    write_catalog(&out);
}

/// The builds that embed every file (the JS API's module, native builds), as a `cfg` predicate
/// (`catalog.rs`'s `EMBEDDED`); the page's build is its negation.
const EMBEDS: &str = r#"any(feature = "api", not(target_arch = "wasm32"))"#;

/// `catalog.rs` (the index the page carries: id, name and summary of each file, the scenarios'
/// ids only; and the JSON, which only the JS API's module and native builds embed) and one
/// `<id>.json` per file in `target/catalog/`, which Trunk's post-build hook copies next to the
/// page (`Trunk.toml`): the page fetches a file when it is opened.
fn write_catalog(out: &Path) {
    let mut index = String::new();
    let mut texts = String::new();
    let mut files = Vec::new();
    for (constant, dir) in [("SCENARIOS", "scenarios"), ("TUTORIALS", "tutorials")] {
        println!("cargo:rerun-if-changed={dir}");
        let compiled = compile_dir(Path::new(dir));
        // The page shows the chapters' names and summaries (the chapter index, the welcome card)
        // but no scenario's: a scenario's panel reads its own file. Its index leaves them out.
        let page_keeps_words = constant == "TUTORIALS";
        let page = format!("not({EMBEDS})");
        for (cfg, full) in [(EMBEDS, true), (page.as_str(), page_keeps_words)] {
            let what = if full {
                "name, summary"
            } else {
                "\"\", \"\": the page shows neither"
            };
            index.push_str(&format!(
                "/// `{dir}/*.toml` as (file stem, {what}), sorted by file name.\n#[cfg({cfg})]\npub const {constant}: &[(&str, &str, &str)] = &[\n"
            ));
            for (stem, scenario, _) in &compiled {
                let (name, summary) = match full {
                    true => (scenario.name.as_str(), scenario.summary()),
                    false => ("", String::new()),
                };
                index.push_str(&format!("    ({stem:?}, {name:?}, {summary:?}),\n"));
            }
            index.push_str("];\n");
        }
        texts.push_str(&format!(
            "/// The JSON of each file of [`{constant}`], in the same order.\n#[allow(dead_code)]\npub const {constant}_JSON: &[&str] = &[\n"
        ));
        for (stem, _, json) in compiled {
            texts.push_str(&format!("    {json:?},\n"));
            files.push((stem, json));
        }
        texts.push_str("];\n");
    }
    println!("cargo:rerun-if-changed=src/summary_table.rs");
    println!("cargo:rerun-if-changed=src/legend_html.rs");
    println!("cargo:rerun-if-changed=src/help_html.rs");
    println!("cargo:rerun-if-changed=src/article_html.rs");
    let html = [
        (summary_table::FILE, summary_table::table_html()),
        (legend_html::FILE, legend_html::legend_html()),
        (help_html::FILE, help_html::help_html()),
        (article_html::FILE, article_html::article_html()),
    ];
    // Changes whenever a file does, so a browser never reuses a stale copy (`?v=` in the URL).
    let version = files
        .iter()
        .map(|(stem, json)| (stem.as_str(), json.as_str()))
        .chain(html.iter().map(|(file, text)| (*file, text.as_str())))
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, (stem, json)| {
            stem.bytes()
                .chain(json.bytes())
                .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
        });
    index.push_str(&format!(
        "/// A hash of every file, for the URLs the page fetches them from.\npub const VERSION: &str = \"{version:016x}\";\n"
    ));
    std::fs::write(out.join("catalog.rs"), index + &texts).expect("OUT_DIR is writable");

    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"));
    let dir = target.join("catalog");
    // Written beside and renamed, so a build running at the same time never copies half a file.
    let fresh = target.join(format!("catalog.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh).expect("the target directory is writable");
    for (stem, json) in &files {
        std::fs::write(fresh.join(format!("{stem}.json")), json).expect("writable");
    }
    for (file, text) in &html {
        std::fs::write(fresh.join(file), text).expect("writable");
    }
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::rename(&fresh, &dir).is_err() {
        // Another build renamed its identical copy first.
        let _ = std::fs::remove_dir_all(&fresh);
    }
}

/// Every `.toml` file of `dir`: validated (a broken file fails the build with its line) and
/// converted table for table to JSON.
fn compile_dir(dir: &Path) -> Vec<(String, Scenario, String)> {
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
            // Compact: the page's wasm carries this text (pretty-printed it is ~40 % larger).
            let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
            let json = value.to_string();
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            (stem.to_string(), scenario, json)
        })
        .collect()
}

//! Every Kafka rule the repository cites resolves in `docs/RULES.md` (the in-repository rules
//! reference). The test reads the text files under `core/`, `cli/`, `src/`, `tests/`,
//! `scenarios/`, `tutorials/`, `docs/` and the top-level Markdown files, collects every citation
//! — rules `R1.5`, scenarios `S16`, sections `§0.3` / `§11` — and fails with the list of those
//! that have no heading in `docs/RULES.md`. It also fails when a heading of that file has no
//! entry text under it, when a number has two headings, or when a heading is not written
//! `### R1.5 — Title` (the form that keeps its anchor stable), and when the reference names a
//! module path, scenario or tutorial chapter the repository does not have. It reads files only;
//! nothing is simulated.
//!
//! What counts as a citation (see `citations`):
//! * `R<n>.<m>`, also inside `§R4.4`, not glued to a letter, digit or `_` before it;
//! * `S<n>` (1 to 2 digits), not glued to a letter, digit, `_` or `-` on either side and not
//!   followed by `.<digit>` — `S16`, `(S5)`, `S16/S17`, `S1–S19` (both ends) count, `AWS-S3`,
//!   `S3Client` or `S1.2` do not;
//! * `§<n>` and `§0.<m>`: the catalog's chapters and its §0 subsections. Deeper numbers such as
//!   `§6.5.2` or `§2.7` name sections of other documents (the TLA+ write-ups) and are left out.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The directories (from the workspace root) whose files may cite rules.
const CITING_DIRS: [&str; 7] = [
    "core",
    "cli",
    "src",
    "tests",
    "scenarios",
    "tutorials",
    "docs",
];
/// The text files read: source, scenario and documentation files.
const EXTENSIONS: [&str; 4] = ["rs", "toml", "md", "ts"];
const REFERENCE: &str = "docs/RULES.md";
/// This file: its examples of non-citations are not citations.
const SELF: &str = "core/tests/rules_reference.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core/ has a parent")
        .to_path_buf()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
        {
            out.push(p);
        }
    }
}

/// (path relative to the root, text) of every file that may cite rules, sorted by path.
fn citing_files() -> Vec<(String, String)> {
    let root = root();
    let mut files = Vec::new();
    for d in CITING_DIRS {
        walk(&root.join(d), &mut files);
    }
    // The top-level documents (README.md, ARCHITECTURE.md, CONTRIBUTING.md, …), not recursively.
    if let Ok(entries) = fs::read_dir(&root) {
        files.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md")),
        );
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            if rel == SELF {
                return None;
            }
            // Non-UTF-8 files are not source or documentation: skip them.
            fs::read_to_string(&p).ok().map(|t| (rel, t))
        })
        .collect()
}

fn glued(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The digits of `chars` from `i` on, and the index after them.
fn digits(chars: &[char], i: usize) -> (String, usize) {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    (chars[i..j].iter().collect(), j)
}

/// Whether `.<digit>` starts at `i`.
fn dot_digit(chars: &[char], i: usize) -> bool {
    chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
}

/// The rule citations in one line of text, in order: `R1.5`, `S16`, `§0.3`, `§11`.
fn citations(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let before = if i == 0 { None } else { Some(chars[i - 1]) };
        match chars[i] {
            'R' if !glued(before) => {
                let (major, j) = digits(&chars, i + 1);
                if !major.is_empty() && dot_digit(&chars, j) {
                    let (minor, k) = digits(&chars, j + 1);
                    if !glued(chars.get(k).copied()) && !dot_digit(&chars, k) {
                        found.push(format!("R{major}.{minor}"));
                        i = k;
                        continue;
                    }
                }
            }
            'S' if !glued(before) && before != Some('-') => {
                let (n, j) = digits(&chars, i + 1);
                let after = chars.get(j).copied();
                if (1..=2).contains(&n.len())
                    && !n.starts_with('0')
                    && !glued(after)
                    && after != Some('-')
                    && !dot_digit(&chars, j)
                {
                    found.push(format!("S{n}"));
                    i = j;
                    continue;
                }
            }
            '§' => {
                let (major, j) = digits(&chars, i + 1);
                if !major.is_empty() {
                    if dot_digit(&chars, j) {
                        let (minor, k) = digits(&chars, j + 1);
                        if major == "0" && !dot_digit(&chars, k) {
                            found.push(format!("§0.{minor}"));
                        }
                        i = k;
                    } else {
                        found.push(format!("§{major}"));
                        i = j;
                    }
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// A heading of the reference: its level, its number (`R1.5`, `S16`, `§0.3`) if it has one, the
/// rest of the line, and its line number.
struct Heading {
    number: Option<String>,
    title: String,
    line: usize,
}

/// The headings of a Markdown text (outside code fences), each with whether entry text follows it
/// before the next heading.
fn headings(text: &str) -> Vec<(Heading, bool)> {
    let mut out: Vec<(Heading, bool)> = Vec::new();
    let mut fenced = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let is_heading = !fenced && line.starts_with('#');
        if is_heading {
            let title = line.trim_start_matches('#').trim().to_string();
            let first = title.split_whitespace().next().unwrap_or("");
            let number = citations(first)
                .into_iter()
                .next()
                .filter(|c| c == first)
                .or_else(|| {
                    // `§1`…: a chapter heading, also a number.
                    first.starts_with('§').then(|| first.to_string())
                });
            out.push((
                Heading {
                    number,
                    title,
                    line: n + 1,
                },
                false,
            ));
        } else if !line.trim().is_empty() {
            if let Some(last) = out.last_mut() {
                last.1 = true;
            }
        }
    }
    out
}

/// Every citation of `files` that is not in `known`, with where it occurs (up to three places).
fn unresolved(files: &[(String, String)], known: &BTreeSet<String>) -> Vec<String> {
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, text) in files {
        for (n, line) in text.lines().enumerate() {
            for c in citations(line) {
                if !known.contains(&c) {
                    missing
                        .entry(c)
                        .or_default()
                        .push(format!("{path}:{}", n + 1));
                }
            }
        }
    }
    missing
        .into_iter()
        .map(|(c, places)| {
            let more = if places.len() > 3 {
                format!(" and {} more", places.len() - 3)
            } else {
                String::new()
            };
            format!(
                "{c} (cited at {}{more})",
                places[..places.len().min(3)].join(", ")
            )
        })
        .collect()
}

fn reference() -> String {
    fs::read_to_string(root().join(REFERENCE)).expect("docs/RULES.md exists")
}

fn known_numbers(text: &str) -> BTreeSet<String> {
    headings(text)
        .into_iter()
        .filter_map(|(h, _)| h.number)
        .collect()
}

#[test]
fn every_cited_rule_has_a_heading_in_the_rules_reference() {
    let files = citing_files();
    let known = known_numbers(&reference());
    let total: usize = files
        .iter()
        .map(|(_, t)| t.lines().map(|l| citations(l).len()).sum::<usize>())
        .sum();
    // The repository cites rules in hundreds of places; a scan that finds few is broken.
    assert!(
        total > 300,
        "only {total} citations found: is the scan reading the files?"
    );
    let missing = unresolved(&files, &known);
    assert!(
        missing.is_empty(),
        "{} cited rule(s) have no heading in {REFERENCE} (add an entry `### <number> — <title>` \
         with its sources, in your own words):\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn every_heading_of_the_rules_reference_has_entry_text_and_a_stable_form() {
    let text = reference();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (h, has_text) in headings(&text) {
        if !has_text {
            problems.push(format!(
                "line {}: \"{}\" has no entry text",
                h.line, h.title
            ));
        }
        let Some(number) = h.number else { continue };
        if !seen.insert(number.clone()) {
            problems.push(format!("line {}: {number} has a second heading", h.line));
        }
        let rest = h.title[number.len()..].strip_prefix(" — ");
        if rest.is_none_or(|t| t.trim().is_empty()) {
            problems.push(format!(
                "line {}: write the heading as \"{number} — <title>\", not \"{}\"",
                h.line, h.title
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{REFERENCE}:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_reference_covers_every_rule_chapter_and_the_scenarios_in_use() {
    // The rule chapters of the catalog (R1–R7) each start at .1 and have no gaps; the files under
    // scenarios/ name the scenario they show in their file name (`s16-…`).
    let known = known_numbers(&reference());
    let mut problems = Vec::new();
    for chapter in 1..=7 {
        let last = (1..)
            .take_while(|m| known.contains(&format!("R{chapter}.{m}")))
            .last();
        match last {
            None => problems.push(format!("no R{chapter}.1")),
            Some(last) => {
                let stray: Vec<&String> = known
                    .iter()
                    .filter(|k| k.starts_with(&format!("R{chapter}.")))
                    .filter(|k| {
                        k[format!("R{chapter}.").len()..]
                            .parse::<u32>()
                            .is_ok_and(|m| m > last)
                    })
                    .collect();
                if !stray.is_empty() {
                    problems.push(format!("R{chapter}.{} missing before {stray:?}", last + 1));
                }
            }
        }
    }
    let dir = root().join("scenarios");
    for entry in fs::read_dir(&dir).expect("scenarios/ exists").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let n: String = name
            .strip_prefix('s')
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let Ok(n) = n.parse::<u32>() {
            if !known.contains(&format!("S{n}")) {
                problems.push(format!("scenarios/{name}: no heading S{n}"));
            }
        }
    }
    assert!(problems.is_empty(), "{REFERENCE}: {}", problems.join("; "));
}

/// The top-level directories a path named in the reference may start with.
const REPO_DIRS: [&str; 9] = [
    "core/",
    "cli/",
    "src/",
    "tests/",
    "docs/",
    "www/",
    "scenarios/",
    "tutorials/",
    "e2e/",
];

/// What the reference says exists in the repository, as problems for what does not: paths in
/// backticks (`core/src/partition.rs`), scenario names (`s16-kip101-scenario1-hw`) and tutorial
/// chapter numbers ("tutorials 02, 03", "tutorial 19").
fn missing_things(text: &str, root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (k, quoted) in text.split('`').enumerate() {
        if k % 2 == 0 || quoted.contains(['<', '*', ' ']) {
            continue;
        }
        let path = quoted.split('#').next().unwrap_or(quoted);
        let catalog =
            path.starts_with('s') && path.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
        let is_scenario = (catalog || path.starts_with("consumer-"))
            && path
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if REPO_DIRS.iter().any(|d| path.starts_with(d)) {
            if !root.join(path).exists() {
                problems.push(format!("`{quoted}` does not exist"));
            }
        } else if is_scenario && !root.join("scenarios").join(format!("{path}.toml")).exists() {
            problems.push(format!("scenario `{quoted}`: no scenarios/{path}.toml"));
        }
    }
    let chapters: Vec<String> = fs::read_dir(root.join("tutorials"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if *w != "tutorial" && *w != "tutorials" {
            continue;
        }
        for n in words[i + 1..].iter() {
            let n = n.trim_end_matches([',', '.', ';', ')']);
            if n.len() != 2 || !n.chars().all(|c| c.is_ascii_digit()) {
                break;
            }
            if !chapters.iter().any(|c| c.starts_with(&format!("{n}-"))) {
                problems.push(format!("tutorial {n}: no tutorials/{n}-*.toml"));
            }
        }
    }
    problems
}

#[test]
fn every_file_scenario_and_chapter_the_reference_names_exists() {
    let problems = missing_things(&reference(), &root());
    assert!(
        problems.is_empty(),
        "{REFERENCE} names what the repository does not have (renamed or removed? update the \
         entry):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn a_renamed_module_scenario_or_chapter_is_found() {
    let text = "In Highwater: `core/src/partition.rs`, `core/src/nowhere.rs`.\n\
                Shown in: `s04-acks1-loss`, `s99-gone`; tutorials 02, 99.\n\
                Not paths: `scenarios/<name>.toml`, `R1.5`, `Partition.scala#makeLeader`.";
    assert_eq!(
        missing_things(text, &root()),
        [
            "`core/src/nowhere.rs` does not exist",
            "scenario `s99-gone`: no scenarios/s99-gone.toml",
            "tutorial 99: no tutorials/99-*.toml",
        ]
    );
}

#[test]
fn the_scan_finds_citations_and_leaves_look_alikes_out() {
    let found = |s: &str| citations(s).join(" ");
    assert_eq!(
        found("KAFKA-SEMANTICS.md S4, R2.6 step 2, R2.7;"),
        "S4 R2.6 R2.7"
    );
    assert_eq!(found("// S16/S17 (high-watermark truncation)"), "S16 S17");
    assert_eq!(found("scenarios S1–S19 and (S5)."), "S1 S19 S5");
    assert_eq!(
        found("KAFKA-SEMANTICS §R4.4, §0.3, §11 \"Durability\""),
        "R4.4 §0.3 §11"
    );
    assert_eq!(found("R1.3–R1.6"), "R1.3 R1.6");
    // Look-alikes: glued to a word, a version number, a TLA+ write-up's subsection, S0.
    assert_eq!(
        found("AWS-S3 S3Client XS12 S1.2 VR1.5 R1.2.3 S0 S123 §6.5.2 §2.7"),
        ""
    );
}

#[test]
fn a_citation_without_a_heading_is_reported_with_its_place() {
    let text = "### R1.5 — Leader high watermark\n\nThe HW.\n\n### S16 — Scenario one\n\nText.\n";
    let known = known_numbers(text);
    assert_eq!(known.iter().cloned().collect::<Vec<_>>(), ["R1.5", "S16"]);
    let files = vec![(
        "core/src/x.rs".to_string(),
        "// R1.5 and S16\n// R9.9 (S77)\n".to_string(),
    )];
    assert_eq!(
        unresolved(&files, &known),
        [
            "R9.9 (cited at core/src/x.rs:2)",
            "S77 (cited at core/src/x.rs:2)"
        ]
    );
}

#[test]
fn an_empty_heading_is_found() {
    let text = "### R1.1 — One\n\n### R1.2 — Two\n\nText.\n```\n# not a heading\n```\n";
    let hs = headings(text);
    assert_eq!(hs.len(), 2, "a `#` line in a code fence is no heading");
    assert!(!hs[0].1, "R1.1 has no text before R1.2");
    assert!(hs[1].1);
}

//! A short run of the input fuzzer (core/src/input_fuzz.rs) over mutations of every shipped
//! scenario and chapter: no input panics, every refusal has a message in the user's terms, and
//! the mutations really exercise both sides (many refused, many run). The long run is
//! `highwater fuzz-inputs --count 1000000` (BENCHMARKS.md).

use std::panic::{catch_unwind, AssertUnwindSafe};

use highwater_core::input_fuzz::{check, InputFuzzer, Verdict};

fn corpus() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut texts = Vec::new();
    for dir in ["scenarios", "tutorials"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    }
    texts
}

#[test]
fn mutated_inputs_never_panic_and_every_refusal_says_why() {
    let corpus = corpus();
    assert!(corpus.len() > 30, "the shipped files seed the corpus");
    let mut fuzzer = InputFuzzer::new(2026, corpus);
    let (mut ran, mut refused) = (0, 0);
    let mut seen = [false; 4];
    for i in 0..3_000 {
        let case = fuzzer.next_case();
        seen[case.target as usize] = true;
        let verdict = catch_unwind(AssertUnwindSafe(|| check(&case)))
            .unwrap_or_else(|_| panic!("input {i} ({:?}) panicked:\n{}", case.target, case.text));
        if let Some(m) = verdict.bad_message() {
            panic!(
                "input {i} ({:?}) refused with {m:?}:\n{}",
                case.target, case.text
            );
        }
        match verdict {
            Verdict::Ran => ran += 1,
            Verdict::Refused(_) => refused += 1,
        }
    }
    assert!(seen.iter().all(|s| *s), "every target fuzzed: {seen:?}");
    assert!(ran > 200 && refused > 300, "ran {ran}, refused {refused}");
}

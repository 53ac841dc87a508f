//! Every tutorial under `tutorials/` is a scenario whose narration CI proves true (test layer 2):
//! it parses, every step is narrated and checked, its highlights name real elements, it cites its
//! sources, it says where the source article differs from Kafka, and every expectation holds —
//! also when played back and forth on a timeline, as the page does.

use std::collections::BTreeSet;
use std::path::PathBuf;

use highwater_core::scenario::Scenario;
use highwater_core::tutorial::{Highlight, Panel, Player, RecordFate};

/// (file name, text) of every tutorial, sorted by file name.
fn tutorials() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tutorials");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tutorials/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn parse(name: &str, text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn there_are_at_least_twelve_chapters_numbered_in_order() {
    let all = tutorials();
    assert!(all.len() >= 12, "only {} tutorials", all.len());
    for (i, (name, text)) in all.iter().enumerate() {
        let n = i + 1;
        assert!(
            name.starts_with(&format!("{n:02}-")),
            "{name}: expected the file name to start with {n:02}-"
        );
        let s = parse(name, text);
        assert!(
            s.name.starts_with(&format!("{n}. ")),
            "{name}: the title should start with the chapter number, \"{n}. \""
        );
    }
}

/// The chapter list shows each description's first sentence (`Scenario::summary`, which the
/// page's index carries instead of the files): one sentence, on one line, never empty.
#[test]
fn every_chapter_has_a_one_sentence_summary() {
    for (name, text) in tutorials() {
        let s = parse(&name, &text);
        let summary = s.summary();
        assert!(summary.ends_with('.'), "{name}: {summary:?}");
        assert!(
            !summary.contains('\n') && !summary.contains("  "),
            "{name}: {summary:?}"
        );
        assert!(
            summary.len() >= 20 && summary.len() < s.description.len(),
            "{name}"
        );
    }
    let s = Scenario {
        description: "One idea\nper line. Then more.\n\nA second paragraph.".into(),
        ..parse("first", &tutorials()[0].1)
    };
    assert_eq!(s.summary(), "One idea per line.");
}

#[test]
fn every_tutorial_is_short_narrated_and_checked_at_every_step() {
    let mut problems = Vec::new();
    for (name, text) in tutorials() {
        let s = parse(&name, &text);
        if !(4..=11).contains(&s.steps.len()) {
            problems.push(format!("{name}: {} steps (want 4 to 11)", s.steps.len()));
        }
        if !s.source.contains("KAFKA-SEMANTICS.md") {
            problems.push(format!("{name}: source should cite KAFKA-SEMANTICS.md"));
        }
        if !s.description.contains("Article vs Kafka:") {
            problems.push(format!(
                "{name}: the description should say where the article differs (\"Article vs Kafka:\")"
            ));
        }
        let cluster = s.cluster().unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, st) in s.steps.iter().enumerate() {
            let at = format!("{name} line {}", s.line(i).unwrap_or(0));
            if st.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{at}: step without a title"));
            }
            if st.note.as_deref().is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{at}: step without a note"));
            }
            if st.expect.is_none() {
                problems.push(format!(
                    "{at}: the note claims something, so the step needs an expect"
                ));
            }
            match st.highlight.as_deref().map(Highlight::parse) {
                None => problems.push(format!("{at}: step without a highlight")),
                Some(Err(e)) => problems.push(format!("{at}: {e}")),
                Some(Ok(h)) if !h.exists_in(&cluster) => {
                    problems.push(format!("{at}: highlight {h:?} is not in the picture"))
                }
                Some(Ok(_)) => {}
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The words by which a note names a panel: naming one of the first ones obliges the step to
/// bring that panel into view (`focus`); a step's focus must be named by at least one of them.
const PANEL_WORDS: [(Panel, &[&str], &[&str]); 5] = [
    (Panel::Invariants, &["invariant"], &[]),
    (Panel::Ledger, &["the ledger"], &["lost"]),
    (Panel::EventLog, &["event log"], &[]),
    (
        Panel::Transactions,
        &["transactions panel"],
        &["transaction"],
    ),
    (
        Panel::Group,
        &["group panel"],
        &["group", "generation", "rebalanc"],
    ),
];

#[test]
fn a_step_whose_note_names_a_panel_brings_it_into_view() {
    let mut problems = Vec::new();
    let mut focused = 0;
    for (name, text) in tutorials() {
        let s = parse(&name, &text);
        let cluster = s.cluster().unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, st) in s.steps.iter().enumerate() {
            let at = format!("{name} line {}", s.line(i).unwrap_or(0));
            let note = st.note.as_deref().unwrap_or("").to_lowercase();
            let says = |words: &[&str]| words.iter().any(|w| note.contains(w));
            let named: Vec<Panel> = PANEL_WORDS
                .iter()
                .filter(|(_, names, _)| says(names))
                .map(|(p, _, _)| *p)
                .collect();
            match st.focus {
                None if !named.is_empty() => problems.push(format!(
                    "{at}: the note names the {} panel: add focus = \"…\"",
                    named[0].name()
                )),
                None => {}
                Some(p) => {
                    focused += 1;
                    if !p.exists_in(&cluster) {
                        problems.push(format!(
                            "{at}: focus {p:?}: the page has no such panel in this chapter"
                        ));
                    }
                    let (_, names, also) = PANEL_WORDS.iter().find(|(q, _, _)| *q == p).unwrap();
                    if !says(names) && !says(also) {
                        problems.push(format!(
                            "{at}: focus {p:?}, but the note does not mention it"
                        ));
                    }
                    if !named.is_empty() && !named.contains(&p) {
                        problems.push(format!("{at}: focus {p:?}, but the note names {named:?}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(focused >= 6, "the chapters focus {focused} panels");
}

#[test]
fn every_tutorial_holds() {
    let mut failures = Vec::new();
    for (name, text) in tutorials() {
        let report = parse(&name, &text)
            .run()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for st in &report.steps {
            for c in st.checks.iter().filter(|c| !c.passed) {
                failures.push(format!(
                    "{name} line {}: {} — actual: {}",
                    st.line.unwrap_or(0),
                    c.what,
                    c.actual
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What the page does: play every step, then walk back and forth; every position's state is
/// restored exactly and every step's expectations hold when played this way too.
#[test]
fn every_tutorial_plays_back_and_forth_on_a_timeline() {
    for (name, text) in tutorials() {
        let (mut p, mut tl) = Player::new(parse(&name, &text)).unwrap();
        let mut hashes = vec![tl.current().state_hash()];
        for k in 1..=p.len() {
            p.goto(&mut tl, k).unwrap_or_else(|e| panic!("{name}: {e}"));
            let outcome = p.outcome(k).unwrap();
            let failed: Vec<_> = outcome.checks.iter().filter(|c| !c.passed).collect();
            assert!(failed.is_empty(), "{name} step {k}: {failed:?}");
            hashes.push(tl.current().state_hash());
        }
        for k in (0..p.len()).rev() {
            p.goto(&mut tl, k).unwrap();
            assert_eq!(tl.current().state_hash(), hashes[k], "{name}: back to {k}");
        }
        p.goto(&mut tl, p.len()).unwrap();
        assert_eq!(
            tl.current().state_hash(),
            hashes[p.len()],
            "{name}: forward"
        );
    }
}

/// Issue 16 item 1: what a step's note says the picture shows (`shows`: a record processed
/// twice on a consumer's card, the sink's contents, an idempotent producer's numbering, a
/// Produce request's sequence) holds at the end of that step, played as the page plays it; and
/// each claim would fail were it false, so none is vacuous. `e2e/claims.spec.mjs` finds the same
/// elements in the drawn picture.
#[test]
fn what_a_step_says_the_picture_shows_is_there() {
    let mut problems = Vec::new();
    let mut chapters = BTreeSet::new();
    for (name, text) in tutorials() {
        let s = parse(&name, &text);
        let shows: Vec<_> = s.steps.iter().map(|st| st.shows.clone()).collect();
        let (mut p, mut tl) = Player::new(s).unwrap();
        for (k, claims) in shows.iter().enumerate().map(|(i, c)| (i + 1, c)) {
            p.goto(&mut tl, k).unwrap_or_else(|e| panic!("{name}: {e}"));
            for c in claims {
                chapters.insert(name[..2].to_string());
                if let Err(e) = c.check(tl.current()) {
                    problems.push(format!("{name} step {k}: {c:?}: {e}"));
                }
                if c.falsified().check(tl.current()).is_ok() {
                    problems.push(format!("{name} step {k}: {c:?} also holds when falsified"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for ch in ["10", "15", "16", "18", "20"] {
        assert!(
            chapters.contains(ch),
            "chapter {ch} shows nothing: {chapters:?}"
        );
    }
}

/// A note that says a record was processed twice, names the sink, or names the producer's
/// sequence number shows it in the picture (`shows`).
#[test]
fn a_note_naming_a_count_the_sink_or_a_sequence_says_what_the_picture_shows() {
    use highwater_core::claim::Claim;
    let mut problems = Vec::new();
    for (name, text) in tutorials() {
        let s = parse(&name, &text);
        for (i, st) in s.steps.iter().enumerate() {
            let note = st.note.as_deref().unwrap_or("").to_lowercase();
            let at = format!("{name} line {}", s.line(i).unwrap_or(0));
            let has = |f: &dyn Fn(&Claim) -> bool| st.shows.iter().any(f);
            if (note.contains("twice") && note.contains("process") || note.contains("saw a twice"))
                && !has(&|c| matches!(c, Claim::Processed { .. }))
            {
                problems.push(format!(
                    "{at}: the note counts processings: add shows = [{{ processed = … }}]"
                ));
            }
            if note.contains("the sink") && !has(&|c| matches!(c, Claim::Sink { .. })) {
                problems.push(format!(
                    "{at}: the note names the sink: add shows = [{{ sink = … }}]"
                ));
            }
            if note.contains("sequence")
                && !has(&|c| matches!(c, Claim::Idempotence { .. } | Claim::ProduceSequence { .. }))
            {
                problems.push(format!(
                    "{at}: the note names a sequence number: add shows = [{{ idempotence = … }}]"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

const FATES: [RecordFate; 5] = [
    RecordFate::ProcessedTwice,
    RecordFate::Lost,
    RecordFate::Duplicated,
    RecordFate::Committed,
    RecordFate::Aborted,
];

/// The records a note (or title) says have a fate, as "a is committed", "a and b are processed
/// twice", "m1 is now lost": the names before `is` / `are` (and an adverb) that are records of
/// the chapter (`values`), joined by commas or "and".
fn named_fates(text: &str, values: &[String]) -> Vec<(String, RecordFate)> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .collect();
    let mut found = Vec::new();
    for fate in FATES {
        let fw: Vec<&str> = fate.words().split(' ').collect();
        for i in 0..words.len() {
            if words[i..].len() < fw.len() || words[i..i + fw.len()] != fw[..] {
                continue;
            }
            let mut j = i;
            if j > 0 && ["now", "also", "still", "then", "both"].contains(&words[j - 1]) {
                j -= 1;
            }
            if j == 0 || !["is", "are", "was", "were"].contains(&words[j - 1]) {
                continue;
            }
            j -= 1;
            while j > 0 {
                let w = words[j - 1];
                if values.iter().any(|v| v == w) {
                    found.push((w.to_string(), fate));
                } else if w != "and" && w != "both" {
                    break;
                }
                j -= 1;
            }
        }
    }
    found
}

/// Issue 16 item 8: narration and tables agree. A step whose note says a record is processed
/// twice, lost, duplicated, committed or aborted states it in `records`, and the ledger and
/// consumer verdicts the page shows at that step agree; for the exceptional fates the note
/// names every record the table marks (chapter 18 once said "b is processed twice" while the
/// table marked a and b).
#[test]
fn what_the_notes_say_of_records_the_ledger_shows() {
    let mut problems = Vec::new();
    let mut claims = 0;
    for (name, text) in tutorials() {
        let (mut p, mut tl) = Player::new(parse(&name, &text)).unwrap();
        for k in 1..=p.len() {
            p.goto(&mut tl, k).unwrap_or_else(|e| panic!("{name}: {e}"));
            let st = p.step(k).unwrap();
            let at = format!("{name} step {k}");
            let c = tl.current();
            let values: Vec<String> = c.ledger_rows().map(|r| r.entry.value.clone()).collect();
            let text = format!(
                "{} {}",
                st.title.as_deref().unwrap_or(""),
                st.note.as_deref().unwrap_or("")
            );
            let said = named_fates(&text, &values);
            for (v, f) in &said {
                if !st.records.iter().any(|r| r.record == *v && r.status == *f) {
                    problems.push(format!(
                        "{at}: the note says {v} is {}: add records = [{{ record = \"{v}\", status = \"{}\" }}]",
                        f.words(),
                        serde_json::to_value(f).unwrap().as_str().unwrap()
                    ));
                }
            }
            for r in &st.records {
                claims += 1;
                let shown = r.status.records_in(c);
                if !shown.contains(&r.record) {
                    problems.push(format!(
                        "{at}: the step says {} is {}, but the ledger shows that of {shown:?}",
                        r.record,
                        r.status.words()
                    ));
                }
                if !said.contains(&(r.record.clone(), r.status)) {
                    problems.push(format!(
                        "{at}: records names {} as {}, but the note does not say so",
                        r.record,
                        r.status.words()
                    ));
                }
            }
            for f in FATES.into_iter().filter(|f| f.is_exceptional()) {
                let mut named: Vec<String> = st
                    .records
                    .iter()
                    .filter(|r| r.status == f)
                    .map(|r| r.record.clone())
                    .collect();
                named.sort();
                let shown = f.records_in(c);
                if !named.is_empty() && named != shown {
                    problems.push(format!(
                        "{at}: the note names {named:?} as {}, but the table marks {shown:?}",
                        f.words()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(claims >= 15, "only {claims} claims about records");
}

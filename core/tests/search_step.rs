//! Scenario steps that ask the counterexample search (`search = { … }`, docs/CHECKER.md), and the
//! chapters built on them (26–28): a found schedule is the checker's own shortest one and is
//! played on the cluster; a search that finds nothing leaves the cluster as it was; each
//! chapter's claim about the configuration it does not run (acks=all; Kafka 0.10 against
//! leader epochs) is checked here by running its search step under that configuration.

use std::path::PathBuf;

use highwater_core::checker::{Bound, Options, Outcome, Property, Search};
use highwater_core::invariants::names;
use highwater_core::scenario::{
    setup_len, start_after, Found, Scenario, SearchReport, SearchSpec, Searcher, StepOutcome,
};
use highwater_core::timeline::Timeline;
use highwater_core::tutorial::Player;
use highwater_core::Cluster;

fn chapter(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tutorials")
        .join(file);
    std::fs::read_to_string(path).unwrap()
}

/// The index of the chapter's (only) search step.
fn search_index(s: &Scenario) -> usize {
    s.steps.iter().position(|st| st.search.is_some()).unwrap()
}

/// Runs `text` up to its search step, then the step; returns the cluster before it, the outcome
/// and the cluster after it.
fn run_search_step(text: &str) -> (Cluster, StepOutcome, Cluster) {
    let s = Scenario::parse(text).unwrap();
    let i = search_index(&s);
    let before = start_after(&s, i).unwrap();
    let mut after = before.clone();
    let outcome = s.apply_step(&mut after, i).unwrap();
    (before, outcome, after)
}

fn report(o: &StepOutcome) -> &SearchReport {
    o.search.as_ref().expect("a search step reports")
}

/// The first `[[step]]` of `text` with everything from `from` on dropped, and `a` replaced by `b`
/// before the steps (a configuration change).
fn variant(text: &str, a: &str, b: &str, cut_at: &str) -> String {
    let steps = text.find("[[step]]").unwrap();
    assert!(text[..steps].contains(a), "{a:?} not in the configuration");
    let cut = text.find(cut_at).unwrap();
    format!(
        "{}{}",
        text[..steps].replace(a, b),
        &text[steps..cut].replace("finds = true", "finds = false")
    )
    .replace(
        "expect = { acked = [\"r1\"], lost = [\"r1\"], broken = [\"no acknowledged record lost\"] }",
        "expect = { not_lost = [\"a\"] }",
    )
    .replace(
        "expect = { lost = [\"m2\"], broken = [\"no acknowledged record lost\"] }",
        "expect = { not_lost = [\"m2\"] }",
    )
}

/// The search step finds exactly what the checker finds from the same state with the same
/// options (the step does not search differently), plays that schedule, and breaks the property.
#[test]
fn a_found_schedule_is_the_checkers_shortest_and_is_played() {
    let text = chapter("27-search-kip101.toml");
    let (before, outcome, after) = run_search_step(&text);
    let r = report(&outcome);
    assert!(r.found, "{r:?}");
    let direct = Search::new(
        &before,
        Options {
            max_depth: 24,
            properties: vec![Property::Invariant(names::NO_ACKED_LOSS.into())],
            max_states: 200_000,
            ..Options::default()
        },
    )
    .unwrap()
    .run();
    let Outcome::Violation(cx) = direct else {
        panic!("the checker finds nothing: {direct:?}")
    };
    assert_eq!(r.moves, cx.depth());
    assert_eq!(
        r.moves, 18,
        "KIP-101 scenario 1 is found at depth 18 (core/tests/checker.rs)"
    );
    assert_eq!(r.states, cx.stats.states);
    assert_eq!(r.faults, ["crash b2", "crash b1", "restart b1"]);
    // Played: the cluster is the checker's counterexample state.
    let mut replayed = before.clone();
    for m in &cx.moves {
        replayed.apply_input(&m.input()).unwrap();
    }
    assert_eq!(after.state_hash(), replayed.state_hash());
    assert!(Property::Invariant(names::NO_ACKED_LOSS.into())
        .broken(&after)
        .is_some());
    assert!(
        outcome.checks.iter().all(|c| c.passed),
        "{:?}",
        outcome.checks
    );
    assert!(r.summary().contains("18 moves"), "{}", r.summary());
}

/// Chapter 26's claim: under acks=1 the search finds the loss; under acks=all, from the same
/// state with the same budgets, it finds nothing and leaves the cluster untouched.
#[test]
fn acks1_loses_and_acks_all_does_not_within_the_same_bounds() {
    let text = chapter("26-search-acks1-loss.toml");
    let (_, outcome, after) = run_search_step(&text);
    let r = report(&outcome);
    assert!(r.found && r.faults == ["produce r1", "crash b1"], "{r:?}");
    assert!(after
        .ledger()
        .find_by_value("r1")
        .is_some_and(|e| e.lost.is_some()));

    let all = variant(
        &text,
        "acks = 1",
        "acks = \"all\"",
        "[[step]]\ntitle = \"The schedule, move by move\"",
    );
    let (before, outcome, after) = run_search_step(&all);
    let r = report(&outcome);
    assert!(!r.found, "{r:?}");
    assert_eq!(r.bound, Some(Bound::Depth));
    assert!(r.states > 10_000, "{r:?}");
    assert_eq!(before.state_hash(), after.state_hash(), "nothing is played");
    assert!(
        outcome.checks.iter().all(|c| c.passed),
        "{:?}",
        outcome.checks
    );
    assert!(r.summary().contains("not a proof"), "{}", r.summary());
}

/// Chapters 27 and 28 start from the same moment (the same steps, seed and bounds) and differ only
/// in the Kafka version: 0.10's high-watermark truncation loses m2, leader epochs do not.
#[test]
fn kip101_hw_truncation_loses_and_leader_epochs_do_not_from_the_same_moment() {
    let hw = chapter("27-search-kip101.toml");
    let epoch = chapter("28-search-kip101-epochs.toml");
    let steps = |t: &str| {
        let s = Scenario::parse(t).unwrap();
        let i = search_index(&s);
        (i, s.steps[i].search.clone().unwrap())
    };
    let (i27, spec27) = steps(&hw);
    let (i28, spec28) = steps(&epoch);
    assert_eq!(i27, i28, "the same setup");
    assert_eq!(
        (spec27.max_depth, spec27.budgets, spec27.property.clone()),
        (spec28.max_depth, spec28.budgets, spec28.property.clone()),
        "the same question"
    );
    let (_, o27, _) = run_search_step(&hw);
    let (_, o28, _) = run_search_step(&epoch);
    assert!(report(&o27).found);
    let r = report(&o28);
    assert!(!r.found, "{r:?}");
    assert_eq!(r.depth, 24);
    // And chapter 27 under today's Kafka is chapter 28's answer.
    let today = variant(
        &hw,
        "\"kafka.version\" = \"0.10\"",
        "\"kafka.version\" = \"4.1\"",
        "[[step]]\ntitle = \"The schedule it found\"",
    );
    let (_, o, _) = run_search_step(&today);
    assert_eq!(report(&o).states, r.states);
    assert!(!report(&o).found);
}

/// A search step played on the page's timeline replays to the same state, and stepping back
/// undoes it (the schedule is recorded move by move).
#[test]
fn a_search_step_is_recorded_on_the_timeline_move_by_move() {
    let s = Scenario::parse(&chapter("26-search-acks1-loss.toml")).unwrap();
    let i = search_index(&s);
    let mut tl = Timeline::new(s.config.clone(), s.seed).unwrap();
    for k in 0..i {
        tl.apply_scenario_step(&s, k).unwrap();
    }
    let at = tl.step();
    let hash = tl.current().state_hash();
    let outcome = tl.apply_scenario_step(&s, i).unwrap();
    assert!(report(&outcome).found);
    assert!(tl.step() > at + 10, "the moves are separate steps");
    tl.seek(at);
    assert_eq!(tl.current().state_hash(), hash);
}

/// Hands in what a search found elsewhere (the page's worker).
struct HandedIn(Option<Found>);

impl Searcher for HandedIn {
    fn search(&self, _: &SearchSpec, _: &Cluster) -> Result<Found, String> {
        self.0.clone().ok_or_else(|| "not searched".to_string())
    }
}

/// The page's way through a chapter: the player stops before the search step
/// (`Player::next_search`), a search runs on a copy rebuilt from the run's inputs (as the worker
/// does), and the player plays what it found. The chapter ends in the same state, with the same
/// report, as when the search runs inline; a finding from another state is refused.
#[test]
fn a_search_found_elsewhere_plays_like_one_run_inline() {
    let s = Scenario::parse(&chapter("26-search-acks1-loss.toml")).unwrap();
    let i = search_index(&s);
    let end = s.steps.len();
    let (mut inline, mut tl_inline) = Player::new(s.clone()).unwrap();
    inline.goto(&mut tl_inline, end).unwrap();

    let (mut player, mut tl) = Player::new(s.clone()).unwrap();
    assert_eq!(player.next_search(end), Some(i));
    assert_eq!(player.next_search(i), None);
    let e = player.goto_by(&mut tl, end, &HandedIn(None)).unwrap_err();
    assert!(e.contains("not searched"), "{e}");
    assert_eq!(player.position(), i, "stops before the search step");

    let run = tl.run();
    let rebuilt = Cluster::replay(run.config, run.seed, &run.inputs).unwrap();
    let spec = s.steps[i].search.clone().unwrap();
    let found = spec.search(&rebuilt).unwrap();
    assert!(found.report.found && !found.inputs.is_empty());

    // Played on another state (the chapter's start): refused, that state left as it was.
    let mut other = Cluster::new(s.config.clone(), s.seed).unwrap();
    let hash = other.state_hash();
    let e = spec.play(&mut other, found.clone()).unwrap_err();
    assert!(e.contains("another state"), "{e}");
    assert_eq!(other.state_hash(), hash);

    player
        .goto_by(&mut tl, i + 1, &HandedIn(Some(found.clone())))
        .unwrap();
    assert_eq!(player.next_search(end), None);
    player.goto_by(&mut tl, end, &HandedIn(None)).unwrap();
    assert_eq!(tl.current().state_hash(), tl_inline.current().state_hash());
    assert_eq!(tl.step(), tl_inline.step());
    assert_eq!(
        player.outcome(i + 1).and_then(|o| o.search.clone()),
        inline.outcome(i + 1).and_then(|o| o.search.clone())
    );
    assert_eq!(
        player.outcome(i + 1).unwrap().checks,
        inline.outcome(i + 1).unwrap().checks
    );
}

fn with_search(spec: &str) -> String {
    format!(
        "name = \"x\"\n[config]\nbrokers = 3\n[[step]]\nproduce = \"a\"\n[[step]]\nsearch = {spec}\n"
    )
}

fn error_of(text: &str) -> String {
    match Scenario::parse(text) {
        Err(e) => e.to_string(),
        Ok(s) => match s.run() {
            Err(e) => e.to_string(),
            Ok(r) => panic!("expected an error, got {:?}", r.passed()),
        },
    }
}

/// Bad search steps are refused with a message that says what is wrong and where.
#[test]
fn bad_search_steps_are_refused_in_words() {
    let e = error_of(&with_search("{ property = \"no such thing\" }"));
    assert!(
        e.contains("unknown property \"no such thing\"") && e.contains("acked-lost"),
        "{e}"
    );
    let e = error_of(&with_search("{ max_states = 10000000 }"));
    assert!(e.contains("at most 200000 states"), "{e}");
    let e = error_of(&with_search("{ max_depth = 0 }"));
    assert!(e.contains("max depth must be at least 1"), "{e}");
    let e = error_of(&with_search("{ budgets = { crashes = 99 } }"));
    assert!(e.contains("too large"), "{e}");
    let e = error_of(&with_search("{ depth = 3 }"));
    assert!(e.contains("depth"), "{e}");
    let e = error_of(&format!(
        "{}produce = \"b\"\n",
        with_search("{ max_depth = 3 }")
    ));
    assert!(e.contains("at most one action"), "{e}");
}

/// Without `property`, the step searches every promised invariant; with `finds` left out, it
/// adds no check but still reports.
#[test]
fn defaults_search_the_promised_invariants_and_report_without_a_check() {
    let text = with_search("{ max_depth = 6, budgets = { crashes = 1 } }");
    let s = Scenario::parse(&text).unwrap();
    let mut c = start_after(&s, setup_len(&s).min(1)).unwrap();
    let o = s.apply_step(&mut c, 1).unwrap();
    let r = report(&o);
    assert_eq!(r.property, "every promised invariant");
    assert!(o.checks.is_empty());
    assert!(r.states > 1);
}

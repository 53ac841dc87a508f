//! The counterexample search (core/src/checker): it finds each unsafe profile's violation at its
//! minimal depth, finds nothing for the safe configurations within stated bounds, every
//! counterexample replays to the same violation (also as an exported scenario file and through a
//! URL fragment), slices agree with one run, and bad options are refused.

use highwater_core::checker::{
    replay, Bound, Budgets, Counterexample, Options, Outcome, Progress, Property, Search, StateKey,
    TimeMode,
};
use highwater_core::fuzz::FuzzProfile;
use highwater_core::invariants::names;
use highwater_core::scenario::counterexample::to_scenario;
use highwater_core::scenario::{setup_len, start_after, Scenario};
use highwater_core::timeline::{Run, Timeline};
use highwater_core::Cluster;

const KIP101_HW: &str = include_str!("../../scenarios/s16-kip101-scenario1-hw.toml");
const KIP101_EPOCH: &str = include_str!("../../scenarios/s16-kip101-scenario1-epoch.toml");
const ACKS1: &str = include_str!("../../scenarios/s04-acks1-loss.toml");
const UNCLEAN: &str = include_str!("../../scenarios/s14-unclean-enabled.toml");
const CLEAN: &str = include_str!("../../scenarios/s13-unclean-disabled.toml");

fn start(text: &str, steps: Option<usize>) -> Cluster {
    let s = Scenario::parse(text).unwrap();
    let n = steps.unwrap_or_else(|| setup_len(&s));
    start_after(&s, n).unwrap()
}

fn search(c: &Cluster, o: Options) -> Outcome {
    Search::new(c, o).unwrap().run()
}

fn violation(o: Outcome) -> Box<Counterexample> {
    match o {
        Outcome::Violation(cx) => cx,
        Outcome::NoViolation(r) => panic!("expected a violation, got {r:?}"),
    }
}

fn none(o: Outcome) -> highwater_core::checker::BoundedResult {
    match o {
        Outcome::Violation(cx) => panic!(
            "expected no violation, got {:?} after {:?}",
            cx.detail, cx.moves
        ),
        Outcome::NoViolation(r) => r,
    }
}

fn only(name: &str) -> Vec<Property> {
    vec![Property::Invariant(name.into())]
}

/// The default options plus one produced record, looking for one invariant.
fn one_record(invariant: &str) -> Options {
    let mut o = Options {
        properties: only(invariant),
        ..Options::default()
    };
    o.budgets.produces = 1;
    o
}

/// The found counterexample replays to the same violation, breaks exactly at its last input, and
/// survives the URL fragment and the scenario-file export.
fn assert_replays(cx: &Counterexample) {
    let (_, _, broken) = replay(cx).unwrap();
    assert_eq!(broken.as_deref(), Some(cx.detail.as_str()));
    let last = cx
        .breaking_input
        .expect("broken by a move, not at the start");
    assert_eq!(last, cx.run.inputs.len() - 1);
    let before =
        Cluster::replay(cx.run.config.clone(), cx.run.seed, &cx.run.inputs[..last]).unwrap();
    assert_eq!(
        cx.property.broken(&before),
        None,
        "not yet broken one input earlier"
    );
    let run = Run::from_fragment(&cx.run.to_fragment()).unwrap();
    let t = Timeline::from_run(&run).unwrap();
    assert!(cx.property.broken(t.current()).is_some());
    let text = to_scenario(cx, "counterexample").unwrap();
    let report = Scenario::parse(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .run()
        .unwrap();
    assert!(report.passed(), "the exported scenario breaks it:\n{text}");
}

/// High-watermark truncation (KIP-101 scenario 1): from the file's setup (m2 acknowledged, A's
/// HW still 1) the default search finds the loss in 18 moves; no schedule of 17 moves does it,
/// with either state key (independent hash functions, so a fingerprint collision could not hide a
/// shorter one from both).
#[test]
fn hw_truncation_loses_an_acked_record_at_depth_18() {
    let c = start(KIP101_HW, None);
    let cx = violation(search(&c, Options::default()));
    assert_eq!(cx.property.name(), names::NO_ACKED_LOSS);
    assert_eq!(cx.depth(), 18, "{:?}", cx.moves);
    assert!(cx
        .moves
        .iter()
        .any(|m| matches!(m.input(), highwater_core::Input::Command(_))));
    assert_replays(&cx);
    for key in [StateKey::Fingerprint, StateKey::StateHash] {
        let r = none(search(
            &c,
            Options {
                max_depth: 17,
                key,
                ..Options::default()
            },
        ));
        assert_eq!(r.bound, Bound::Depth);
    }
    let again = violation(search(
        &c,
        Options {
            key: StateKey::StateHash,
            ..Options::default()
        },
    ));
    assert_eq!(again.depth(), 18);
}

/// Leader-epoch truncation: the same start and default bounds find nothing; the result is a
/// bounded one (the depth bound), with its coverage.
#[test]
fn leader_epoch_truncation_has_no_violation_within_the_default_bounds() {
    let c = start(KIP101_EPOCH, None);
    let r = none(search(&c, Options::default()));
    assert_eq!(r.bound, Bound::Depth);
    assert_eq!(r.stats.depth, Options::default().max_depth);
    assert!(r.stats.states > 10_000, "{:?}", r.stats);
    assert_eq!(r.properties.len(), Property::all(&c).len());
    // The estimate the memory bound uses: a copy's size is reported, and counted per queued copy.
    assert!(r.stats.copy_bytes > 1_000, "{:?}", r.stats);
    assert!(r.stats.bytes >= r.stats.stored_bytes, "{:?}", r.stats);
}

/// The memory bound: on its own the search checks it against its estimate of the queued copies;
/// once the host gives its own measure (`Search::measured`, the browser's worker), it checks the
/// measure instead (docs/CHECKER.md, "Bounds and refusals").
#[test]
fn the_memory_bound_uses_the_hosts_measure_once_given() {
    let c = start(KIP101_EPOCH, None);
    let o = Options {
        max_memory_mb: 2,
        max_states: 30_000,
        max_depth: 10_000,
        time: TimeMode::Manual,
        ..Options::default()
    };
    let estimated = none(search(&c, o.clone()));
    assert_eq!(estimated.bound, Bound::Memory);
    assert!(estimated.stats.bytes >> 20 >= 2, "{:?}", estimated.stats);

    // A host that measures 1 MiB: the estimate no longer stops the search.
    let mut s = Search::new(&c, o).unwrap();
    while s.stats().states <= 3 * estimated.stats.states {
        let Progress::Running(stats) = s.measured(1 << 20) else {
            panic!("1 MiB is under the bound")
        };
        assert_eq!(stats.bytes, 1 << 20);
        assert!(matches!(s.step(500), Progress::Running(_)));
    }
    // Its measure reaches the bound: the search ends there, with that figure.
    let Progress::Done(end) = s.measured(2 << 20) else {
        panic!("2 MiB reaches the bound")
    };
    let r = none(end);
    assert_eq!(r.bound, Bound::Memory);
    assert_eq!(r.stats.bytes, 2 << 20);
    assert!(r.stats.states > 3 * estimated.stats.states);
}

/// acks=1: one produced record, acknowledged by the leader alone, is lost when the leader crashes
/// before the follower fetches it: 18 moves, none shorter.
#[test]
fn acks1_loses_an_acked_record_at_depth_18() {
    let c = start(ACKS1, None);
    let o = one_record(names::NO_ACKED_LOSS);
    assert!(!Property::Invariant(names::NO_ACKED_LOSS.into()).is_promised(&c));
    let cx = violation(search(&c, o.clone()));
    assert_eq!(cx.depth(), 18, "{:?}", cx.moves);
    assert_replays(&cx);
    let r = none(search(&c, Options { max_depth: 17, ..o }));
    assert_eq!(r.bound, Bound::Depth);
}

/// Unclean election: with b2 stopped and the ISR {b1}, one produced record, a crash of b1 and a
/// restart of b2 elect b2 uncleanly: the committed record is lost in 13 moves. The same search on
/// the clean configuration (s13) finds nothing.
#[test]
fn unclean_election_loses_a_committed_record_and_clean_does_not() {
    let o = one_record(names::NO_COMMITTED_LOSS);
    let c = start(UNCLEAN, Some(4));
    let cx = violation(search(&c, o.clone()));
    assert_eq!(cx.depth(), 13, "{:?}", cx.moves);
    assert_replays(&cx);
    let shorter = Options {
        max_depth: 12,
        ..o.clone()
    };
    assert_eq!(none(search(&c, shorter)).bound, Bound::Depth);
    let clean = start(CLEAN, Some(4));
    let r = none(search(&clean, o));
    assert!(r.stats.states > 1_000, "{:?}", r.stats);
}

/// The safe profile (3 brokers, acks=all, min.insync.replicas=2, clean, leader epochs): one
/// record, one crash, one dropped message: no promised invariant breaks within depth 24.
#[test]
fn the_safe_profile_breaks_no_promised_invariant_within_bounds() {
    let c = Cluster::new(FuzzProfile::Safe.config(), 1).unwrap();
    let r = none(search(
        &c,
        Options {
            max_depth: 24,
            budgets: Budgets {
                produces: 1,
                crashes: 1,
                drops: 1,
                ..Budgets::default()
            },
            properties: Property::promised(&c),
            ..Options::default()
        },
    ));
    assert!(r.stats.states > 1_000, "{:?}", r.stats);
}

/// Running in slices (what a Web Worker does) gives the same outcome as one run, and the
/// progress reports grow.
#[test]
fn slices_agree_with_one_run() {
    let c = start(KIP101_HW, None);
    let whole = search(&c, Options::default());
    let mut s = Search::new(&c, Options::default()).unwrap();
    let mut last = 0;
    let sliced = loop {
        match s.step(500) {
            Progress::Running(st) => {
                assert!(st.states > last);
                last = st.states;
            }
            Progress::Done(o) => break o,
        }
    };
    assert!(last > 0, "it took more than one slice");
    assert_eq!(whole, sliced);
}

/// Manual mode (every enabled event, the clock jumping to a fired timer) explores more than the
/// timed window at the same depth, and still only valid inputs: its states include the window's.
#[test]
fn manual_mode_explores_more_interleavings_than_the_window() {
    let c = start(KIP101_HW, None);
    let at = |time| {
        none(search(
            &c,
            Options {
                max_depth: 4,
                time,
                ..Options::default()
            },
        ))
        .stats
        .states
    };
    let (window, manual) = (at(TimeMode::Window(0)), at(TimeMode::Manual));
    assert!(manual > window * 2, "manual {manual}, window {window}");
}

/// A property already broken in the start state is reported at depth 0.
#[test]
fn a_start_that_is_already_broken_is_depth_0() {
    let s = Scenario::parse(KIP101_HW).unwrap();
    let c = start_after(&s, s.steps.len()).unwrap();
    let cx = violation(search(&c, Options::default()));
    assert_eq!(cx.depth(), 0);
    assert_eq!(cx.breaking_input, None);
    assert!(replay(&cx).unwrap().2.is_some());
}

/// Bad budgets and bounds are refused with a message, before any work.
#[test]
fn bad_options_are_refused() {
    let c = start(KIP101_HW, None);
    let refused = |o: Options, needle: &str| {
        let e = Search::new(&c, o).err().expect("refused");
        assert!(e.0.contains(needle), "{e}");
    };
    refused(
        Options {
            max_depth: 0,
            ..Options::default()
        },
        "depth",
    );
    refused(
        Options {
            max_states: 0,
            ..Options::default()
        },
        "states",
    );
    refused(
        Options {
            max_states: 90_000_000,
            max_memory_mb: 100,
            ..Options::default()
        },
        "MiB",
    );
    refused(
        Options {
            budgets: Budgets {
                drops: 200,
                ..Budgets::default()
            },
            ..Options::default()
        },
        "drops",
    );
    let mut forgetful = c.clone();
    forgetful.clear_history();
    let e = Search::new(&forgetful, Options::default())
        .err()
        .expect("refused");
    assert!(e.0.contains("recorded inputs"), "{e}");
    refused(
        Options {
            properties: only("no such invariant"),
            ..Options::default()
        },
        "no invariant",
    );
}

/// Budgets and the interleaving are said in words in `highwater check`'s bounded result.
#[test]
fn budgets_and_time_read_as_words() {
    let b = Budgets {
        crashes: 2,
        restarts: 1,
        produces: 1,
        ..Budgets::default()
    };
    assert_eq!(b.to_string(), "2 crashes, 1 restart, 1 produced record");
    assert_eq!(Budgets::default().to_string(), "no faults");
    assert_eq!(
        TimeMode::Window(0).to_string(),
        "events due at the same time"
    );
    assert_eq!(TimeMode::Window(50).to_string(), "events due within 50 ms");
    assert_eq!(TimeMode::Manual.to_string(), "manual mode");
}

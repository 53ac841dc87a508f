//! The page's counterexample search (src/search/): the worker protocol's messages survive
//! encode/decode, bad requests become refusals in words, and a search's result converts to a run
//! that the page opens like a link and that breaks the property at its last step, not before; the
//! memory bound stops a search; a chapter's search step goes through the worker's messages.
//!
//! Natively: `cargo test -p highwater --test check_web`; in wasm (headless Chromium):
//! `cargo test -p highwater --target wasm32-unknown-unknown --test check_web`.

use highwater::catalog;
use highwater::search::protocol::{
    begin_step, linear_memory_bytes, slice, start, step, step_slice, summary, Finding, FromWorker,
    Report, ToWorker,
};
use highwater_core::checker::{Bound, Budgets, Options, Property, Stats, TimeMode};
use highwater_core::invariants::names;
use highwater_core::scenario::{setup_len, start_after, Found, SearchSpec, Searcher};
use highwater_core::timeline::{Run, Timeline};
use highwater_core::tutorial::Player;
use highwater_core::Cluster;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The acks=1 scenario (S4) after its setup: one record committed, nothing else pending. This is
/// the page's state at `#scenario=s04-acks1-loss&step=2`.
fn acks1_start() -> Cluster {
    let s = catalog::find("s04-acks1-loss")
        .expect("built-in scenario")
        .scenario()
        .unwrap();
    assert_eq!(setup_len(&s), 2);
    start_after(&s, 2).unwrap()
}

/// What the page sends: the run up to the current step.
fn fragment(c: &Cluster) -> String {
    Run {
        config: c.config().clone(),
        seed: c.seed(),
        inputs: c.history().to_vec(),
    }
    .to_fragment()
}

/// One produced record, default fault budgets, looking for the acknowledged-record loss.
fn acked_loss() -> Options {
    let mut o = Options {
        properties: vec![Property::Invariant(names::NO_ACKED_LOSS.into())],
        ..Options::default()
    };
    o.budgets.produces = 1;
    o
}

/// Runs a request in slices as the worker does (in wasm with its memory measure), and returns its
/// last message as the page reads it.
fn run_as_worker(fragment: &str, o: Options) -> FromWorker {
    let mut s = start(fragment, o).expect("accepted");
    loop {
        if let (m, true) = slice(&mut s, linear_memory_bytes, || 1_000) {
            return FromWorker::decode(&m.encode()).unwrap();
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn messages_round_trip_and_garbage_is_a_readable_error() {
    let to = ToWorker::Start {
        fragment: fragment(&acks1_start()),
        options: acked_loss(),
    };
    assert_eq!(ToWorker::decode(&to.encode()).unwrap(), to);
    let manual = ToWorker::Start {
        fragment: "x".into(),
        options: Options {
            time: TimeMode::Manual,
            ..Options::default()
        },
    };
    assert_eq!(ToWorker::decode(&manual.encode()).unwrap(), manual);
    assert!(ToWorker::decode("{}")
        .unwrap_err()
        .starts_with("malformed search request"));
    for m in [
        FromWorker::Ready,
        FromWorker::Refused("no".into()),
        FromWorker::Progress("12 states\nand more".into()),
        FromWorker::Found {
            fragment: "abc_-".into(),
            text: "two\nlines".into(),
        },
        FromWorker::Bounded(String::new()),
    ] {
        assert_eq!(FromWorker::decode(&m.encode()).unwrap(), m);
    }
    for garbage in [
        "",
        "readyx",
        "ready\nmore",
        "found\n",
        "found\n\ntext",
        "{\"Ready\":1}",
    ] {
        let e = FromWorker::decode(garbage).unwrap_err();
        assert!(
            e.starts_with("malformed search message"),
            "{garbage:?}: {e}"
        );
    }
    let report = Report {
        stats: Stats {
            states: 1234,
            depth: 7,
            queued: 56,
            ..Stats::default()
        },
        elapsed_ms: 250,
    };
    assert_eq!(report.states_per_s(), 4936.0);
    let bounded = Finding::Bounded {
        bound: Bound::Depth,
        budgets: Budgets {
            crashes: 1,
            ..Budgets::default()
        },
        properties: 3,
    };
    let words = summary(&bounded, &report);
    assert!(
        words.contains("1,234 distinct states up to depth 7 with 1 crash")
            && words.contains("not a proof of safety"),
        "{words}"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn bad_requests_are_refused_in_words_before_any_work() {
    let f = fragment(&acks1_start());
    let refusal = |o: Options| start(&f, o).err().expect("refused");
    let e = refusal(Options {
        max_depth: 0,
        ..acked_loss()
    });
    assert!(e.contains("depth"), "{e}");
    let e = refusal(Options {
        max_memory_mb: 4096,
        ..acked_loss()
    });
    assert!(e.contains("browser tab"), "{e}");
    let e = refusal(Options {
        max_states: 100_000_000,
        max_memory_mb: 512,
        ..acked_loss()
    });
    assert!(e.contains("MiB"), "{e}");
    let e = start("not-a-run!", acked_loss()).err().expect("refused");
    assert!(e.contains("damaged"), "{e}");
}

/// The known acks=1 loss (core/tests/checker.rs: 18 moves, none shorter): found through the
/// worker's path, it opens as a run whose last step breaks the invariant and whose step before
/// does not.
#[wasm_bindgen_test(unsupported = test)]
fn a_counterexample_opens_as_a_run_broken_at_its_last_step() {
    let start_state = acks1_start();
    let FromWorker::Found { fragment, text } = run_as_worker(&fragment(&start_state), acked_loss())
    else {
        panic!("expected the acks=1 loss")
    };
    assert!(
        text.contains(&format!("“{}” breaks after 18 moves", names::NO_ACKED_LOSS)),
        "{text}"
    );
    // The page opens it exactly like a `#run=` link.
    let run = Run::from_fragment(&fragment).unwrap();
    let prefix = start_state.history().len();
    assert_eq!(run.inputs[..prefix], *start_state.history());
    assert_eq!(run.inputs.len(), prefix + 18);
    let broken = |tl: &Timeline| {
        tl.current()
            .invariants()
            .iter()
            .find(|s| s.name == names::NO_ACKED_LOSS)
            .and_then(|s| s.first_violation.clone())
    };
    let tl = Timeline::from_run(&run).unwrap();
    let v = broken(&tl).expect("broken at the last step");
    assert!(text.contains(&v.detail), "{text} / {}", v.detail);
    let before = Run {
        inputs: run.inputs[..run.inputs.len() - 1].to_vec(),
        ..run.clone()
    };
    assert!(broken(&Timeline::from_run(&before).unwrap()).is_none());
}

/// One move short of it, the same search reports a bounded result in words, never "safe".
#[wasm_bindgen_test(unsupported = test)]
fn a_search_without_a_violation_reports_its_bounds() {
    let o = Options {
        max_depth: 17,
        ..acked_loss()
    };
    let FromWorker::Bounded(text) = run_as_worker(&fragment(&acks1_start()), o) else {
        panic!("expected no violation within depth 17")
    };
    assert!(
        text.contains("No violation of 1 property among")
            && text.contains("up to depth 17 with 2 crashes, 1 restart, 1 produced record")
            && text.contains("the depth bound was reached")
            && text.contains("not a proof of safety"),
        "{text}"
    );
}

/// The memory bound ends a search that would outgrow it. In wasm the worker checks it against its
/// module's own memory between slices, so the search stops within one slice of the bound
/// (natively the core's estimate of the queued copies stops it).
#[wasm_bindgen_test(unsupported = test)]
fn a_search_stops_at_its_memory_bound() {
    // Manual interleaving with a crash and a drop: the queue grows with nearly every state. The
    // invariant holds (Kafka elects one leader per epoch), so only a bound ends the search.
    let before_mb = linear_memory_bytes().unwrap_or(0) >> 20;
    let bound_mb = before_mb + 48;
    let o = Options {
        max_depth: 10_000,
        max_states: 700_000,
        max_memory_mb: bound_mb,
        time: TimeMode::Manual,
        budgets: Budgets {
            crashes: 1,
            drops: 1,
            ..Budgets::default()
        },
        properties: vec![Property::Invariant(names::ONE_LEADER_PER_EPOCH.into())],
        ..Options::default()
    };
    let FromWorker::Bounded(text) = run_as_worker(&fragment(&acks1_start()), o) else {
        panic!("expected the memory bound")
    };
    assert!(text.contains("the memory bound was reached"), "{text}");
    if let Some(after) = linear_memory_bytes() {
        let after_mb = after >> 20;
        // Reached, and overshot by less than a slice's states could take.
        assert!(
            (bound_mb..bound_mb + 24).contains(&after_mb),
            "{after_mb} MiB against a bound of {bound_mb} MiB: {text}"
        );
        // The final progress line reports the measure.
        assert!(text.contains(&format!(" {after_mb} MiB ")), "{text}");
    }
}

/// A chapter's search step the way the page runs it: the player stops before it, the request
/// (the run so far and the step's search) and the worker's answer survive their messages, and
/// the player plays the answer to the state and report an inline search reaches.
#[wasm_bindgen_test(unsupported = test)]
fn a_chapters_search_step_runs_through_the_worker_messages() {
    struct HandedIn(Option<Found>);
    impl Searcher for HandedIn {
        fn search(&self, _: &SearchSpec, _: &Cluster) -> Result<Found, String> {
            self.0.clone().ok_or_else(|| "not searched".into())
        }
    }
    let s = catalog::find("26-search-acks1-loss")
        .expect("built-in chapter")
        .scenario()
        .unwrap();
    let end = s.steps.len();
    let (mut inline, mut tl_inline) = Player::new(s.clone()).unwrap();
    inline.goto(&mut tl_inline, end).unwrap();

    let (mut player, mut tl) = Player::new(s.clone()).unwrap();
    let i = player.next_search(end).expect("a search step");
    player.goto_by(&mut tl, i, &HandedIn(None)).unwrap();
    let request = ToWorker::Step {
        fragment: tl.run().to_fragment(),
        spec: s.steps[i].search.clone().unwrap(),
    };
    let ToWorker::Step { fragment, spec } = ToWorker::decode(&request.encode()).unwrap() else {
        panic!("a step request")
    };
    // In slices, as the worker runs it: progress lines, then the same finding as at once.
    let mut searching = begin_step(&fragment, &spec).unwrap();
    let mut lines = Vec::new();
    let answer = loop {
        match step_slice(&mut searching, || 1_000) {
            (FromWorker::Progress(line), false) => lines.push(line),
            (last, true) => break last,
            (other, false) => panic!("unexpected {other:?}"),
        }
    };
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines[0].starts_with("2,001 states · depth "), "{lines:?}");
    assert_eq!(
        answer,
        FromWorker::Stepped(Box::new(step(&fragment, &spec).unwrap()))
    );
    let Ok(FromWorker::Stepped(found)) = FromWorker::decode(&answer.encode()) else {
        panic!("a step's finding")
    };
    assert!(found.report.found, "{:?}", found.report);
    player
        .goto_by(&mut tl, end, &HandedIn(Some(*found)))
        .unwrap();
    assert_eq!(tl.current().state_hash(), tl_inline.current().state_hash());
    assert_eq!(
        player.outcome(i + 1).unwrap().search,
        inline.outcome(i + 1).unwrap().search
    );
    // A damaged request is refused in words.
    let e = step("not-a-run!", &spec).unwrap_err();
    assert!(e.contains("damaged"), "{e}");
}

//! Tutorial mode in the reducer (src/ui/tutorial/), in headless Chromium and natively:
//!
//!     cargo test -p highwater --target wasm32-unknown-unknown --test tutorial
//!
//! Moving between steps restores the exact state, deep links with bad input give a readable
//! message (never a panic) and keep what the user had, leaving the script and coming back works,
//! and embeds start from their link without the saved session.

use std::rc::Rc;

use highwater::search::protocol::{step, ToWorker};
use highwater::ui::state::{AppState, Boot, Level, Msg, Shortcut};
use highwater::ui::tutorial::link::{parse, Link};
use highwater::ui::tutorial::{StepSearch, TutorialMsg};
use highwater_core::command::Command;
use highwater_core::scenario::Found;
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const CHAPTER: &str = "01-a-records-journey";

fn boot(hash: &str) -> Rc<AppState> {
    Rc::new(AppState::boot(Boot {
        hash: Some(hash.to_string()),
        ..Boot::default()
    }))
}

fn tut(s: Rc<AppState>, m: TutorialMsg) -> Rc<AppState> {
    s.reduce(Msg::Tutorial(m))
}

fn position(s: &AppState) -> usize {
    s.tutorial.as_ref().expect("a tutorial is open").position
}

#[wasm_bindgen_test(unsupported = test)]
fn stepping_back_restores_every_earlier_state_exactly() {
    let mut s = boot(&format!("tutorial={CHAPTER}"));
    assert_eq!(position(&s), 0);
    let n = s.tutorial.as_ref().unwrap().len();
    assert_eq!(n, 6);
    let mut hashes = vec![s.state_hash()];
    let mut titles = vec![s.tutorial.as_ref().unwrap().title.clone()];
    for k in 1..=n {
        s = tut(s, TutorialMsg::Next);
        assert_eq!(position(&s), k);
        let t = s.tutorial.as_ref().unwrap();
        assert_eq!(t.counter(), format!("Step {k} of {n}"));
        assert!(t.failures.is_empty(), "{:?}", t.failures);
        assert_ne!(&t.title, titles.last().unwrap(), "the narration changes");
        hashes.push(s.state_hash());
        titles.push(t.title.clone());
    }
    s = tut(s, TutorialMsg::Next);
    assert_eq!(position(&s), n, "Next at the end stays at the end");
    for k in (0..n).rev() {
        s = tut(s, TutorialMsg::Prev);
        assert_eq!(position(&s), k);
        assert_eq!(s.state_hash(), hashes[k], "back to step {k}");
        assert_eq!(s.tutorial.as_ref().unwrap().title, titles[k]);
    }
    s = tut(s, TutorialMsg::Go(4));
    assert_eq!(s.state_hash(), hashes[4]);
    assert_eq!(
        s.tutorial.as_ref().unwrap().hash(),
        format!("tutorial={CHAPTER}&step=4")
    );
    assert!(s.notices.is_empty(), "{:?}", s.notices);
}

#[wasm_bindgen_test(unsupported = test)]
fn a_deep_link_opens_its_step_and_highlights_its_element() {
    let s = boot("tutorial=05-acks1-loses-a-record&step=6");
    let t = s.tutorial.as_ref().unwrap();
    assert_eq!(t.position, 6);
    assert_eq!(t.title, "A clean election loses b");
    assert_eq!(
        t.highlight.as_deref(),
        Some(".cluster-svg [data-broker=\"2\"] .replica[data-partition=\"t-0\"]")
    );
    // A built-in scenario opens the same way.
    let s = boot("scenario=s04-acks1-loss&step=2");
    assert_eq!(position(&s), 2);
    assert!(s.notices.is_empty());
}

#[wasm_bindgen_test(unsupported = test)]
fn bad_deep_links_explain_and_fall_back() {
    for (hash, words) in [
        ("tutorial=no-such-chapter", "there is no tutorial called"),
        ("tutorial=", "is not a tutorial name"),
        (
            "tutorial=01-a-records-journey&step=two",
            "is not a step number",
        ),
        (
            "tutorial=01-a-records-journey&step=-3",
            "is not a step number",
        ),
        ("tutorial=01-a-records-journey&zoom=2", "unknown part"),
        (
            "scenario=01-a-records-journey",
            "there is no scenario called",
        ),
        ("tutorial=%3Cscript%3E", "is not a tutorial name"),
    ] {
        let s = boot(hash);
        assert!(s.tutorial.is_none(), "{hash}");
        assert!(s.tutorial_index, "{hash}: the chapter list is offered");
        let n = s
            .notices
            .iter()
            .find(|n| n.level == Level::Error)
            .expect(hash);
        assert!(n.text.contains(words), "{hash}: {}", n.text);
        assert_eq!(s.view.brokers.len(), 3, "{hash}: the default run is shown");
    }
    // A step past the end opens the last step, with a warning.
    let s = boot(&format!("tutorial={CHAPTER}&step=99"));
    assert_eq!(position(&s), 6);
    assert!(s.notices[0].text.contains("step 99 does not exist"));

    // A bad link pasted later keeps the chapter the learner had open.
    let s = boot(&format!("tutorial={CHAPTER}&step=3"));
    let before = s.state_hash();
    let s = s.reduce(Msg::LoadLink("tutorial=nope&step=1".into()));
    assert_eq!(position(&s), 3);
    assert_eq!(s.state_hash(), before);
    assert!(s.notices.iter().any(|n| n.text.contains("nope")));
}

#[wasm_bindgen_test(unsupported = test)]
fn link_parsing_never_panics() {
    for text in [
        "",
        "#",
        "tutorial",
        "tutorial=&&&",
        "tutorial=a&step=",
        "tutorial=a&=",
        "tutorial=a&step=1&step=2",
        "tutorial=ä",
        "scenario=x&step=18446744073709551616",
        "run=abc",
        "tutorial=a&step=\u{0}",
    ] {
        let _ = parse(text);
        let _ = AppState::boot(Boot {
            hash: Some(text.to_string()),
            ..Boot::default()
        });
    }
    assert_eq!(parse("tutorial=a&step=2"), Some(Ok(Link::tutorial("a", 2))));
}

#[wasm_bindgen_test(unsupported = test)]
fn leaving_the_script_and_coming_back() {
    let s = boot("tutorial=04-leader-crash-clean-election&step=2");
    let scripted = s.state_hash();
    let s = s.reduce(Msg::Command(Command::Crash {
        broker: 3,
        lose_unflushed: false,
    }));
    assert!(s.tutorial.as_ref().unwrap().off_script);
    assert_ne!(s.state_hash(), scripted);
    let s = tut(s, TutorialMsg::BackToScript);
    assert!(!s.tutorial.as_ref().unwrap().off_script);
    assert_eq!(position(&s), 2);
    assert_eq!(s.state_hash(), scripted);
    // The scripted future is intact: step 4 elects b2 as the chapter says.
    let s = tut(s, TutorialMsg::Go(4));
    assert!(s.tutorial.as_ref().unwrap().failures.is_empty());
    // Stepping by hand also leaves the script; Next continues it.
    let s = s.reduce(Msg::Step);
    assert!(s.tutorial.as_ref().unwrap().off_script);
    let s = tut(s, TutorialMsg::Next);
    assert_eq!(position(&s), 5);
    assert!(!s.tutorial.as_ref().unwrap().off_script);
    // Closing keeps the run.
    let h = s.state_hash();
    let s = tut(s, TutorialMsg::Close);
    assert!(s.tutorial.is_none());
    assert_eq!(s.state_hash(), h);
}

#[wasm_bindgen_test(unsupported = test)]
fn embeds_start_from_their_link_not_the_saved_session() {
    let saved = Rc::new(AppState::new_default())
        .reduce(Msg::Command(Command::Crash {
            broker: 2,
            lose_unflushed: false,
        }))
        .run_fragment();
    let playground = AppState::boot(Boot {
        stored: Ok(Some(saved.clone())),
        ..Boot::default()
    });
    assert_eq!(
        playground.run_fragment(),
        saved,
        "the playground restores it"
    );
    let s = AppState::boot(Boot {
        stored: Ok(Some(saved.clone())),
        embed: true,
        ..Boot::default()
    });
    assert!(s.embed);
    assert_ne!(s.run_fragment(), saved, "an embed does not");
    assert!(s.tutorial.is_none());
    let s = Rc::new(AppState::boot(Boot {
        hash: Some("scenario=s04-acks1-loss&step=3".into()),
        embed: true,
        ..Boot::default()
    }));
    assert_eq!(position(&s), 3);
    // A new run keeps the embed flag.
    let s = s.reduce(Msg::LoadLink(format!(
        "run={}",
        AppState::new_default().run_fragment()
    )));
    assert!(s.embed);
}

#[wasm_bindgen_test(unsupported = test)]
fn an_embed_opens_an_inline_scenario_and_explains_a_bad_link_without_a_chapter_list() {
    let embed = |hash: &str| {
        Rc::new(AppState::boot(Boot {
            hash: Some(hash.to_string()),
            embed: true,
            ..Boot::default()
        }))
    };
    // What <highwater-playground> writes for an inline scenario: encodeURIComponent(JSON).
    let json = r#"{"name":"Mine","config":{"brokers":2,"topics":[{"name":"t","partitions":1,"replication_factor":2}]},"step":[{"title":"a","note":"n","produce":"a"},{"run_until":{"acked":["a"]}}]}"#;
    let encoded: String = json
        .bytes()
        .map(|b| match b {
            b'{' | b'}' | b'"' | b':' | b',' | b'[' | b']' => format!("%{b:02X}"),
            _ => (b as char).to_string(),
        })
        .collect();
    let s = embed(&format!("scenario-json={encoded}&step=2"));
    let texts: Vec<&str> = s.notices.iter().map(|n| n.text.as_str()).collect();
    assert!(texts.is_empty(), "{texts:?}");
    assert_eq!(position(&s), 2);
    let t = s.tutorial.as_ref().unwrap();
    assert_eq!(t.name, "Mine");
    assert_eq!(s.view.brokers.len(), 2);
    // The address it keeps on the script reopens the same scenario.
    assert_eq!(embed(&t.hash()).state_hash(), s.state_hash());

    for (hash, words) in [
        (
            "tutorial=99-nope",
            "there is no tutorial called \"99-nope\"",
        ),
        ("scenario-json=%7B%22nme%22%3A1%7D", "unknown field `nme`"),
    ] {
        let s = embed(hash);
        assert!(s.tutorial.is_none(), "{hash}");
        assert!(!s.tutorial_index, "{hash}: an embed has no chapter list");
        let n = &s.notices[0].text;
        assert!(n.contains(words), "{hash}: {n}");
        assert!(n.ends_with("The default run is shown instead."), "{n}");
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn arrow_keys_move_between_steps_on_the_script_and_single_events_off_it() {
    let s = boot("tutorial=04-leader-crash-clean-election&step=2");
    let s = s.reduce(Msg::Shortcut(Shortcut::Step));
    assert_eq!(position(&s), 3);
    assert!(!s.tutorial.as_ref().unwrap().off_script);
    let at_three = s.state_hash();
    let s = s.reduce(Msg::Shortcut(Shortcut::Back));
    assert_eq!(position(&s), 2);
    let s = s.reduce(Msg::Shortcut(Shortcut::Step));
    assert_eq!(s.state_hash(), at_three, "the same step, the same state");
    // Off the script, → fires one event and the tutorial stays where the learner left it.
    let s = s.reduce(Msg::Command(Command::Crash {
        broker: 3,
        lose_unflushed: false,
    }));
    let before = s.state_hash();
    let s = s.reduce(Msg::Shortcut(Shortcut::Step));
    assert!(s.tutorial.as_ref().unwrap().off_script);
    assert_eq!(position(&s), 3);
    assert_ne!(s.state_hash(), before, "one event fired");
}

/// A chapter opened where Next plays its step (as in the browser without reduced motion).
fn boot_animated(hash: &str) -> Rc<AppState> {
    Rc::new(AppState::boot(Boot {
        hash: Some(hash.to_string()),
        animate_steps: true,
        ..Boot::default()
    }))
}

/// Frames of 16 ms until the step playing ends (at most `max` frames); the display times seen.
fn play_frames(mut s: Rc<AppState>, max: usize) -> (Rc<AppState>, Vec<f64>) {
    let mut times = Vec::new();
    for _ in 0..max {
        if s.hop.is_none() {
            break;
        }
        s = s.reduce(Msg::Tick(16.0));
        times.push(s.vt());
    }
    (s, times)
}

#[wasm_bindgen_test(unsupported = test)]
fn next_plays_the_step_forward_and_ends_on_the_same_state_as_a_jump() {
    let link = format!("tutorial={CHAPTER}&step=1");
    let jumped = tut(boot(&link), TutorialMsg::Next);
    let s = boot_animated(&link);
    let start = (s.state_hash(), s.vt());
    let s = tut(s, TutorialMsg::Next);
    // Step 2 delivers the Produce request to b1: it starts where step 1 left it, on the wire.
    let hop = s.hop.expect("Next plays the step");
    assert!(s.playing);
    assert_eq!(position(&s), 2);
    let t = s.tutorial.as_ref().unwrap();
    assert!(t.playing);
    assert_eq!(t.counter(), "Playing step 2 of 6…");
    assert_eq!(
        (s.state_hash(), s.vt()),
        start,
        "it starts from step 1's end"
    );
    assert!(!s.view.messages.is_empty(), "the request is in flight");
    assert!(hop.end_time > start.1);
    // Short hops are stretched to be watched: about HOP_MIN_MS of frames.
    let (s, times) = play_frames(s, 500);
    assert!(s.hop.is_none(), "the step ended");
    assert!(
        times.len() >= 50 && times.len() <= 120,
        "{} frames",
        times.len()
    );
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "time only moves forward"
    );
    assert!(
        times.iter().any(|&t| t > start.1 && t < hop.end_time),
        "the picture showed times inside the hop"
    );
    // The end is exactly the old jump's end.
    assert!(!s.playing);
    let t = s.tutorial.as_ref().unwrap();
    assert!(!t.playing);
    assert_eq!(t.counter(), "Step 2 of 6");
    assert!(t.failures.is_empty(), "{:?}", t.failures);
    assert_eq!(s.state_hash(), jumped.state_hash());
    assert_eq!(s.view.hash, jumped.view.hash);
    assert_eq!(s.vt(), jumped.vt());
}

#[wasm_bindgen_test(unsupported = test)]
fn a_second_next_skip_play_or_the_arrow_key_jumps_to_the_end_and_back_jumps_back() {
    let link = format!("tutorial={CHAPTER}&step=1");
    let at_one = boot(&link).state_hash();
    let jumped = tut(boot(&link), TutorialMsg::Next).state_hash();
    for skip in [
        Msg::Tutorial(TutorialMsg::Next),
        Msg::Tutorial(TutorialMsg::Skip),
        Msg::Shortcut(Shortcut::Step),
        Msg::TogglePlay,
    ] {
        let s = tut(boot_animated(&link), TutorialMsg::Next);
        let s = s.reduce(Msg::Tick(16.0));
        assert!(s.hop.is_some());
        let s = s.reduce(skip.clone());
        assert!(s.hop.is_none(), "{skip:?}");
        assert!(!s.playing, "{skip:?} does not start playing");
        assert_eq!(position(&s), 2, "{skip:?} does not move on");
        assert_eq!(s.state_hash(), jumped, "{skip:?}");
        assert!(!s.tutorial.as_ref().unwrap().off_script);
    }
    // Back while it plays: at once to step 1.
    let s = tut(boot_animated(&link), TutorialMsg::Next).reduce(Msg::Tick(16.0));
    let s = tut(s, TutorialMsg::Prev);
    assert!(s.hop.is_none());
    assert_eq!(position(&s), 1);
    assert_eq!(s.state_hash(), at_one);
    // Deep links open at the step's end at once.
    let s = boot_animated(&format!("tutorial={CHAPTER}&step=2"));
    assert!(s.hop.is_none());
    assert_eq!(s.state_hash(), jumped);
}

#[wasm_bindgen_test(unsupported = test)]
fn long_steps_play_within_a_few_seconds_and_search_steps_jump() {
    // Chapter 4's step 4 waits out the session timeout of the crashed leader (seconds of
    // simulated time): it plays faster than the page's speed, within HOP_MAX_MS.
    let link = "tutorial=04-leader-crash-clean-election&step=3";
    let jumped = tut(boot(link), TutorialMsg::Next).state_hash();
    let s = tut(boot_animated(link), TutorialMsg::Next);
    let hop = s.hop.expect("the step plays");
    assert!(hop.rate > s.speed_value(), "sped up: {}", hop.rate);
    let (s, times) = play_frames(s, 400);
    assert!(s.hop.is_none());
    // About HOP_MAX_MS of frames: neither the page's speed (minutes) nor skipping quiet gaps.
    assert!(
        (150..=190).contains(&times.len()),
        "{} frames of 16 ms",
        times.len()
    );
    assert_eq!(s.state_hash(), jumped);
    // A search step (chapter 26's step 3) is not replayed: "Searching…" while the worker
    // searches, then its end.
    let s = tut(
        boot_animated("tutorial=26-search-acks1-loss&step=2"),
        TutorialMsg::Next,
    );
    assert!(s.hop.is_none());
    let request = awaited(&s);
    assert_eq!((request.k, request.step, position(&s)), (3, 2, 2));
    let s = tut(s, TutorialMsg::Searched(request.clone(), worker(&request)));
    assert!(s.hop.is_none());
    assert_eq!(position(&s), 3);
    let v = s.tutorial.as_ref().unwrap();
    assert!(v.searching.is_none());
    assert!(
        v.search
            .as_deref()
            .unwrap()
            .contains("found a shortest schedule of 23 moves"),
        "{:?}",
        v.search
    );
}

/// The step's search the panel shows as running.
fn awaited(s: &AppState) -> StepSearch {
    let v = s.tutorial.as_ref().expect("a tutorial is open");
    v.searching.clone().expect("searching")
}

/// What the search worker answers to a step's request (`crate::search::protocol::step`).
fn worker(request: &StepSearch) -> Result<Found, String> {
    match ToWorker::decode(&request.request).unwrap() {
        ToWorker::Step { fragment, spec } => step(&fragment, &spec),
        other => panic!("not a step's search: {other:?}"),
    }
}

/// A deep link past a search step stops before it and searches; the answer plays the step and
/// moves on to the step asked for. An answer to a search the learner has moved away from (or
/// left the script during), or a refusal, does not move the chapter; a refusal says why.
#[wasm_bindgen_test(unsupported = test)]
fn a_search_step_plays_the_workers_answer_and_only_the_awaited_one() {
    // Each case boots its own page: a state shares its player and timeline with the states
    // reduced from it.
    let searching = || {
        let s = boot("tutorial=26-search-acks1-loss&step=5");
        let request = awaited(&s);
        (s, request)
    };
    let (s, request) = searching();
    assert_eq!((request.k, request.step, position(&s)), (5, 2, 2));
    let answer = worker(&request);

    let moved = tut(s, TutorialMsg::Prev);
    assert!(moved.tutorial.as_ref().unwrap().searching.is_none());
    let stale = tut(moved, TutorialMsg::Searched(request, answer.clone()));
    assert_eq!(position(&stale), 1);

    let (s, request) = searching();
    let refused = tut(s, TutorialMsg::Searched(request, Err("no worker".into())));
    assert_eq!(position(&refused), 2);
    let error = refused.tutorial.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("no worker"), "{error}");

    // Leaving the script meanwhile (a step of one's own) drops the search.
    let (s, request) = searching();
    let own = s.reduce(Msg::Step);
    assert!(own.tutorial.as_ref().unwrap().searching.is_none());
    let hash = own.state_hash();
    let own = tut(own, TutorialMsg::Searched(request, answer.clone()));
    assert!(own.tutorial.as_ref().unwrap().off_script);
    assert_eq!(own.state_hash(), hash);

    let (s, request) = searching();
    assert!(
        s.tutorial.as_ref().unwrap().search_ahead,
        "a worker loads ahead"
    );
    let done = tut(s, TutorialMsg::Searched(request, answer));
    assert_eq!(position(&done), 5);
    assert!(done.tutorial.as_ref().unwrap().searching.is_none());
    assert!(
        !done.tutorial.as_ref().unwrap().search_ahead,
        "no search step left"
    );
}

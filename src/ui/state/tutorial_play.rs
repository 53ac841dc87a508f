//! The reducer's side of tutorial mode. A [`Player`] (in the core) knows where each step ended;
//! moving to a step seeks the page's timeline there, so stepping back restores the exact state.
//! Any ordinary action while on the script (a command, play, step, scrub) first sets the scripted
//! timeline aside: the learner is off-script until they go back to it or move to another step.

use std::cell::RefCell;
use std::rc::Rc;

use highwater_core::scenario::{Found, HealSpec, ProduceSpec, SearchSpec, Searcher, Step};
use highwater_core::tutorial::{Highlight, Player};
use highwater_core::Cluster;

use super::derived::sample;
use super::model::{AppState, Hop, Level, Msg, Samples};
use crate::search::protocol::ToWorker;
use crate::ui::tutorial::link::Link;
use crate::ui::tutorial::{StepLabel, StepSearch, TutorialMsg, TutorialView};
use crate::ui::view::Topology;

/// Opens a deep link; a bad one leaves the current run (and any open chapter) alone, says why,
/// and opens the chapter index.
pub fn open_link(s: &mut AppState, link: Result<Link, String>) {
    s.fetching = None;
    let result = link.and_then(|link| match link.to_fetch()? {
        // Opened when it arrives (`TutorialMsg::Fetched`).
        Some(_) => {
            s.fetching = Some(link);
            Ok(())
        }
        None => open(s, link),
    });
    if let Err(e) = result {
        // An embed has no chapter list: it says what it shows instead.
        let text = if s.embed {
            format!("This chapter or scenario could not be opened: {e}. The default run is shown instead.")
        } else {
            format!("This tutorial link could not be opened: {e}. Pick a chapter from the list.")
        };
        s.notify(Level::Error, "link", text);
        s.tutorial_index = !s.embed;
    }
}

/// Opens a chapter (or a built-in scenario) at `link.step`; a step beyond the end opens the
/// last one, with a notice.
pub fn open(s: &mut AppState, link: Link) -> Result<(), String> {
    let scenario = link.scenario()?;
    let (player, tl) = Player::new(scenario)?;
    let mut samples = Samples::default();
    sample(&mut samples, tl.current());
    s.replace_run(tl, samples);
    s.player = Some(Rc::new(RefCell::new(player)));
    s.tutorial_index = false;
    let n = s.player.as_ref().map_or(0, |p| p.borrow().len());
    let step = if link.step > n {
        s.notify(
            Level::Warning,
            "link",
            format!(
                "This chapter has {n} steps, so step {} does not exist; it opens at step {n}.",
                link.step
            ),
        );
        n
    } else {
        link.step
    };
    s.tutorial = Some(Rc::new(view_of(s, &link, None)));
    go(s, step);
    Ok(())
}

/// Before any message: ordinary actions taken while on the script take the learner off it.
pub fn before(s: &mut AppState, msg: &Msg) {
    let leaves = match msg {
        Msg::Command(_) | Msg::Act(_) | Msg::Step | Msg::Back | Msg::Seek(_) => true,
        Msg::TogglePlay => !s.playing,
        _ => false,
    };
    if !leaves {
        return;
    }
    let (Some(player), Some(view)) = (&s.player, &s.tutorial) else {
        return;
    };
    if player.borrow().off_script() {
        return;
    }
    player.borrow_mut().leave(&s.tl.borrow());
    let mut v = (**view).clone();
    v.off_script = true;
    // A step's search still running is dropped: its answer would take the learner back.
    v.searching = None;
    s.tutorial = Some(Rc::new(v));
}

pub fn reduce(s: &mut AppState, msg: TutorialMsg) {
    let position = s.tutorial.as_ref().map_or(0, |t| t.position);
    match msg {
        TutorialMsg::Open(link) => open_link(s, Ok(link)),
        TutorialMsg::Go(k) => go(s, k),
        TutorialMsg::Searched(request, result) => searched(s, request, result),
        TutorialMsg::Next if s.animate_steps && !reduced_motion() => play(s, position + 1),
        TutorialMsg::Next => go(s, position + 1),
        // Only meaningful while a step plays (see `interrupt`): otherwise already at the end.
        TutorialMsg::Skip => {}
        TutorialMsg::Prev => go(s, position.saturating_sub(1)),
        TutorialMsg::BackToScript => goto(s, position),
        TutorialMsg::Close => {
            s.fetching = None;
            s.tutorial = None;
            s.player = None;
            s.bump_persist();
        }
        TutorialMsg::ToggleIndex => s.tutorial_index = !s.tutorial_index,
        // Only the link still awaited opens: a later link or chapter replaced it.
        TutorialMsg::Fetched(link, result) => {
            if s.fetching.as_ref() == Some(&link) {
                let result = result
                    .map(|()| link)
                    .map_err(|e| format!("its file could not be loaded ({e})"));
                open_link(s, result);
            }
        }
    }
}

/// Real ms a step played after Next takes at least (a hop of 10 simulated ms at the default
/// speed would be over in 0.1 s) and at most (a step that waits out a 15 s session timeout, or
/// a search step's whole schedule, would take minutes): its rate is the page's speed within
/// these bounds.
pub const HOP_MIN_MS: f64 = 1_200.0;
/// See [`HOP_MIN_MS`].
pub const HOP_MAX_MS: f64 = 3_000.0;
/// A hop still playing this long after it started (the frame budget fell behind) jumps to its end.
const HOP_GIVE_UP_MS: f64 = HOP_MAX_MS + 1_000.0;

/// Whether the browser asks for reduced motion (then Next jumps to the step's end at once).
fn reduced_motion() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

/// Next, watched: moves to position `k` like [`go`], then, when `k` is the step after the
/// current one and sends something (not a search step, nor off-script), seeks back to where the
/// step started and plays its events forward at the page's animation (see [`Hop`]) until its
/// end, where [`finish_hop`] settles exactly on the step's end state.
fn play(s: &mut AppState, k: usize) {
    let Some(player) = s.player.clone() else {
        return;
    };
    let from = {
        let p = player.borrow();
        let plays = !p.off_script() && k == p.position() + 1 && p.next_search(k).is_none();
        if !plays {
            drop(p);
            return go(s, k);
        }
        s.tl.borrow().step()
    };
    goto(s, k);
    let reached = player.borrow().position() == k;
    let (end_step, end_time, start_time) = {
        let mut tl = s.tl.borrow_mut();
        let (end_step, end_time) = (tl.step(), tl.current().now() as f64);
        if !reached || end_step <= from {
            return;
        }
        tl.seek(from);
        tl.replay_commands();
        (end_step, end_time, tl.current().now() as f64)
    };
    if s.tl.borrow().step() >= end_step {
        return goto(s, k); // only commands: their end state is already drawn
    }
    let d = (end_time - start_time).max(0.0);
    let rate = s.speed_value().min(d / HOP_MIN_MS).max(d / HOP_MAX_MS);
    s.hop = Some(Hop {
        to: k,
        end_step,
        end_time,
        rate,
        started: s.playhead.real_ms(),
    });
    s.playhead.set_vt(start_time);
    s.playing = true;
    s.refresh(false, true);
    if let Some(view) = &s.tutorial {
        let mut v = (**view).clone();
        v.playing = true;
        s.tutorial = Some(Rc::new(v));
    }
}

/// After a frame: a hop that reached its step's end (or played too long) settles there.
pub fn after_tick(s: &mut AppState) {
    let Some(h) = s.hop else {
        return;
    };
    let done = s.tl.borrow().step() >= h.end_step && s.vt() >= h.end_time;
    if done || s.playhead.real_ms() - h.started > HOP_GIVE_UP_MS {
        finish_hop(s);
    }
}

/// Ends a playing step at once, on the step's exact end state (what Next without animation
/// shows). Does nothing when no step plays.
pub fn finish_hop(s: &mut AppState) {
    if let Some(h) = s.hop.take() {
        s.playing = false;
        goto(s, h.to);
    }
}

/// Before any message while a step plays: Next, Skip, Play and Pause skip to the step's end
/// (and are used up: true); anything else that changes the run, the position or the page first
/// skips to the end, then happens as it would after the step. Frames, selections and the like
/// leave it playing.
pub fn interrupt(s: &mut AppState, msg: &Msg) -> bool {
    if s.hop.is_none() {
        return false;
    }
    match msg {
        Msg::Tutorial(TutorialMsg::Next | TutorialMsg::Skip) | Msg::TogglePlay | Msg::Pause => {
            finish_hop(s);
            true
        }
        Msg::Tutorial(_)
        | Msg::Command(_)
        | Msg::Act(_)
        | Msg::Step
        | Msg::Back
        | Msg::Seek(_)
        | Msg::ToggleManual
        | Msg::NewRun(_)
        | Msg::LoadLink(_)
        | Msg::Open(_) => {
            finish_hop(s);
            false
        }
        _ => false,
    }
}

/// Moves to position `k`. A search step on the way is searched in the search worker (the page
/// runs no search itself): the player stops just before it and the panel says "Searching…",
/// runs the search and sends [`TutorialMsg::Searched`], which plays what it found and moves on.
fn go(s: &mut AppState, k: usize) {
    let Some(player) = s.player.clone() else {
        return;
    };
    let Some(i) = player.borrow().next_search(k) else {
        return goto(s, k);
    };
    goto(s, i);
    let spec = match player.borrow().scenario().steps.get(i) {
        Some(st) if player.borrow().position() == i => st.search.clone(),
        _ => None, // the steps before it failed (goto said why)
    };
    if let (Some(spec), Some(view)) = (spec, &s.tutorial) {
        let request = ToWorker::Step {
            fragment: s.tl.borrow().run().to_fragment(),
            spec,
        }
        .encode();
        let mut v = (**view).clone();
        v.searching = Some(StepSearch {
            k,
            step: i,
            request: request.into(),
        });
        s.tutorial = Some(Rc::new(v));
    }
}

/// The worker's answer to the search the panel shows: plays what it found as the step, then
/// moves on to the position asked for. An answer to another search (one the learner has moved
/// away from) is dropped.
fn searched(s: &mut AppState, request: StepSearch, result: Result<Found, String>) {
    let awaited = s.tutorial.as_ref().and_then(|t| t.searching.as_ref());
    if awaited != Some(&request) {
        return;
    }
    match result {
        Ok(found) => {
            goto_by(s, request.step + 1, Some(found));
            let reached = s
                .player
                .as_ref()
                .is_some_and(|p| p.borrow().position() == request.step + 1);
            if reached && request.k > request.step + 1 {
                go(s, request.k);
            }
        }
        Err(e) => {
            if let Some(link) = s.tutorial.as_ref().map(|t| t.link.clone()) {
                let e = format!("its search could not run: {e}");
                s.notify(
                    Level::Error,
                    "tutorial",
                    format!("This step could not be played: {e}."),
                );
                s.tutorial = Some(Rc::new(view_of(s, &link, Some(e))));
            }
        }
    }
}

/// The page's searcher: a search step plays what the worker found for it; without it, the
/// step cannot be played.
struct Searched(Option<Found>);

impl Searcher for Searched {
    fn search(&self, _: &SearchSpec, _: &Cluster) -> Result<Found, String> {
        self.0
            .clone()
            .ok_or_else(|| "its search has not run yet".to_string())
    }
}

/// Moves to position `k` (clamped) and rebuilds the picture and the panel.
fn goto(s: &mut AppState, k: usize) {
    goto_by(s, k, None);
}

/// [`goto`], a search step on the way playing `found`.
fn goto_by(s: &mut AppState, k: usize, found: Option<Found>) {
    let Some(player) = s.player.clone() else {
        return;
    };
    let link = match &s.tutorial {
        Some(t) => t.link.clone(),
        None => return,
    };
    s.stop();
    let result = player
        .borrow_mut()
        .goto_by(&mut s.tl.borrow_mut(), k, &Searched(found));
    let error = result.err();
    if let Some(e) = &error {
        s.notify(
            Level::Error,
            "tutorial",
            format!("This step could not be played: {e}."),
        );
    }
    s.playhead.set_vt(s.tl.borrow().current().now() as f64);
    s.refresh(false, true);
    s.tutorial = Some(Rc::new(view_of(s, &link, error)));
    s.bump_persist();
}

/// The panel's view of the player's current position.
fn view_of(s: &AppState, link: &Link, error: Option<String>) -> TutorialView {
    let player = s.player.as_ref().expect("a tutorial is open").borrow();
    let sc = player.scenario();
    let position = player.position();
    let steps: Vec<StepLabel> = sc
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| StepLabel {
            title: st.title.clone().unwrap_or_else(|| action_label(st, i + 1)),
        })
        .collect();
    let (title, note, highlight, focus) = match player.step(position) {
        None => (
            "What this chapter shows".to_string(),
            sc.description.trim().to_string(),
            None,
            None,
        ),
        Some(st) => (
            st.title
                .clone()
                .unwrap_or_else(|| action_label(st, position)),
            st.note.clone().unwrap_or_default(),
            st.highlight
                .as_deref()
                .and_then(|h| selector(h, &s.view.topology)),
            st.focus,
        ),
    };
    let failures = player
        .outcome(position)
        .map(|o| {
            o.checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("{} (actual: {})", c.what, c.actual))
                .collect()
        })
        .unwrap_or_default();
    TutorialView {
        link: link.clone(),
        name: sc.name.clone(),
        description: sc.description.trim().to_string(),
        source: sc.source.clone(),
        position,
        steps: Rc::new(steps),
        title,
        note,
        highlight,
        focus,
        failures,
        search: player
            .outcome(position)
            .and_then(|o| o.search.as_ref())
            .map(|r| r.summary()),
        searching: None,
        search_ahead: player.next_search(player.len()).is_some(),
        playing: false,
        error,
        off_script: player.off_script(),
    }
}

/// The CSS selector of a highlighted element in the cluster picture (it marks brokers with
/// `data-broker`, replicas with `data-partition`, producers with `data-producer` and the
/// controller with `data-node`). `None` for a name the picture does not have.
pub fn selector(highlight: &str, topology: &Topology) -> Option<String> {
    Some(match Highlight::parse(highlight).ok()? {
        Highlight::Broker(b) => format!(".cluster-svg [data-broker=\"{b}\"]"),
        Highlight::Replica(b, p) => {
            let label = &topology.partitions.get(p)?.label;
            format!(".cluster-svg [data-broker=\"{b}\"] .replica[data-partition=\"{label}\"]")
        }
        Highlight::Producer(p) => format!(".cluster-svg [data-producer=\"{p}\"]"),
        Highlight::Consumer(c) => format!(".cluster-svg [data-consumer=\"{c}\"]"),
        Highlight::Controller => ".cluster-svg [data-node=\"controller\"]".to_string(),
    })
}

/// A title for a scenario step that has none (tutorial steps always have one): what it does.
pub fn action_label(st: &Step, k: usize) -> String {
    let what = if let Some(p) = &st.produce {
        let value = match p {
            ProduceSpec::Value(v) => v,
            ProduceSpec::Record { value, .. } => value,
        };
        format!("Produce {value}")
    } else if let Some(n) = &st.crash {
        format!("Crash {n}")
    } else if let Some(n) = &st.power_fail {
        format!("Power failure on {n}")
    } else if let Some(n) = &st.shutdown {
        format!("Shut down {n}")
    } else if let Some(n) = &st.restart {
        format!("Restart {n}")
    } else if let Some(n) = &st.pause {
        format!("Pause {n}")
    } else if let Some(n) = &st.resume {
        format!("Resume {n}")
    } else if let Some(n) = &st.isolate {
        format!("Isolate {n}")
    } else if let Some(l) = &st.cut {
        format!("Cut {} → {}", l.from, l.to)
    } else if let Some(h) = &st.heal {
        match h {
            HealSpec::Node(n) => format!("Heal {n}'s links"),
            HealSpec::All(_) => "Heal the network".to_string(),
        }
    } else if let Some(l) = &st.slow {
        format!("Slow {} → {}", l.from, l.to)
    } else if let Some(n) = &st.flush {
        format!("Flush {n}")
    } else if st.drop.is_some() {
        "Lose a message".to_string()
    } else if st.deliver.is_some() {
        "Deliver a message".to_string()
    } else if st.fire.is_some() {
        "Fire a timer".to_string()
    } else if let Some(ms) = st.run_ms {
        format!("Run {ms} ms")
    } else if st.steps.is_some() || st.run_until.is_some() {
        "Run until the expected state".to_string()
    } else if st.auto_produce.is_some() {
        "Produce automatically".to_string()
    } else {
        "Check".to_string()
    };
    format!("{k}. {what}")
}

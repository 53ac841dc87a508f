//! Tests of the web app in a real browser (headless Chromium through `wasm-bindgen-test-runner`):
//!
//!     cargo test -p highwater --target wasm32-unknown-unknown
//!
//! Tests marked `unsupported = test` also run natively under `cargo test`: the reducer is plain
//! Rust, so its logic is checked on both targets.

use std::rc::Rc;

use highwater::ui::state::{AppState, Boot, Dialog, Level, Msg, Selection, SPEEDS};
use highwater_core::command::{Action, Command};
use highwater_core::types::NodeId;
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh() -> Rc<AppState> {
    Rc::new(AppState::new_default())
}

fn send(s: Rc<AppState>, msgs: impl IntoIterator<Item = Msg>) -> Rc<AppState> {
    msgs.into_iter().fold(s, |s, m| s.reduce(m))
}

/// Plays `real_ms` of real time in 16 ms frames.
fn play_for(s: Rc<AppState>, real_ms: u32) -> Rc<AppState> {
    let mut s = s.reduce(Msg::TogglePlay);
    assert!(s.playing);
    for _ in 0..real_ms / 16 {
        s = s.reduce(Msg::Tick(16.0));
    }
    s.reduce(Msg::Pause)
}

/// What the picture shows, for exact comparisons (the end of the recording may differ).
fn picture(s: &AppState) -> String {
    let v = &s.view;
    format!(
        "{} {} {:?} {:?} {:?} {:?} {:?} {:?}",
        v.step, v.time, v.hash, v.brokers, v.controller, v.producers, v.messages, v.cuts
    )
}

#[wasm_bindgen_test(unsupported = test)]
fn version_is_the_crate_version() {
    assert_eq!(highwater::api::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test(unsupported = test)]
fn the_default_run_is_three_brokers_two_partitions_and_an_auto_producer() {
    let s = fresh();
    let v = &s.view;
    assert_eq!(v.brokers.len(), 3);
    assert_eq!(v.topology.partitions.len(), 2);
    assert_eq!(v.topology.config.broker.min_insync_replicas, 2);
    assert!(v.producers[0].auto, "p1 auto-produces");
    assert_eq!(v.step, 1, "the auto-produce command is the first step");
    assert!(v.hash.is_some());
    assert!(!s.playing);
}

/// The animation apart from the page: a frame that fires no step only moves the shared playhead
/// and keeps the state (the same `Rc`: `use_reducer` does not re-render the page), while a frame
/// that fires a step gives a new state.
#[wasm_bindgen_test(unsupported = test)]
fn a_frame_that_fires_no_step_keeps_the_page() {
    let s = send(fresh(), [Msg::SetSpeed(0), Msg::ToggleSkipIdle]); // 0.1×, no fast-forward
    let mut s = s.reduce(Msg::TogglePlay);
    let (mut quiet, mut stepped) = (0, 0);
    for _ in 0..400 {
        let (vt, step) = (s.vt(), s.view.step);
        let next = s.clone().reduce(Msg::Tick(16.0));
        assert!(next.vt() > vt, "the playhead moves on every frame");
        if Rc::ptr_eq(&s, &next) {
            assert_eq!(next.view.step, step);
            quiet += 1;
        } else if next.view.step > step {
            stepped += 1;
        }
        s = next;
    }
    assert!(quiet > 100, "most frames at 0.1× fire no step ({quiet})");
    assert!(stepped > 0, "frames that fire a step give a new state");
    // A selected message counts down on the page: then every frame is a new state.
    let m = s.view.messages.first().map(|m| m.id);
    if let Some(m) = m {
        let s = s.reduce(Msg::Select(Selection::Message(m)));
        let next = s.clone().reduce(Msg::Tick(16.0));
        assert!(!Rc::ptr_eq(&s, &next));
    }
}

/// Panels scrolled off screen cost nothing while playing: the view they show stays behind (the
/// page's own view, and so the invariants and the announcements, go on), and catches up as soon
/// as they come back on screen or playback stops.
#[wasm_bindgen_test(unsupported = test)]
fn panels_off_screen_wait_while_playing_and_catch_up() {
    let s = send(fresh(), [Msg::SetSpeed(3), Msg::ToggleSkipIdle]);
    assert!(s.panels_in_view, "on screen until the page says otherwise");
    let s = s.reduce(Msg::PanelsInView(false));
    let shown = s.panels_view.clone();
    let mut s = s.reduce(Msg::TogglePlay);
    for _ in 0..100 {
        s = s.reduce(Msg::Tick(16.0));
    }
    assert!(
        s.view.step > shown.step + 5,
        "the run went on ({} → {})",
        shown.step,
        s.view.step
    );
    assert!(
        Rc::ptr_eq(&s.panels_view, &shown),
        "the panels off screen kept their view"
    );
    let newest = |v: &highwater::ui::view::View| v.events.last().map(|e| e.step);
    assert!(
        newest(&s.view) > newest(&shown),
        "the page's event rows went on"
    );
    // Back on screen: at once.
    let s = s.reduce(Msg::PanelsInView(true));
    assert!(Rc::ptr_eq(&s.panels_view, &s.view));
    // On screen, they follow the run while it plays (at the panels' pace).
    let mut s = s;
    for _ in 0..100 {
        s = s.reduce(Msg::Tick(16.0));
    }
    assert!(s.panels_view.step > shown.step + 5);
    // Off screen again, then paused: stopping shows everything.
    let mut s = s.reduce(Msg::PanelsInView(false));
    let held = s.panels_view.clone();
    for _ in 0..100 {
        s = s.reduce(Msg::Tick(16.0));
    }
    assert!(Rc::ptr_eq(&s.panels_view, &held));
    let s = s.reduce(Msg::Pause);
    assert!(Rc::ptr_eq(&s.panels_view, &s.view));
    assert!(!Rc::ptr_eq(&s.panels_view, &held));
}

/// A busy run between two pictures: frames that only move the messages keep the state (the
/// page does not re-render) and put their newer view on the playhead, which the messages and the
/// clock draw from; the next picture takes it over.
#[wasm_bindgen_test(unsupported = test)]
fn busy_frames_between_pictures_keep_the_page_and_move_the_messages() {
    use highwater::ui::state::{default_config, NewRun};
    let run = NewRun {
        config: default_config(),
        seed: 3,
        auto_ms: 1,
    };
    let mut s = send(
        fresh(),
        [
            Msg::NewRun(Box::new(run)),
            Msg::SetSpeed(3),
            Msg::ToggleSkipIdle,
            Msg::TogglePlay,
        ],
    );
    let (mut ahead, mut pictures) = (0, 0);
    for _ in 0..60 {
        let next = s.clone().reduce(Msg::Tick(33.0));
        if Rc::ptr_eq(&s, &next) {
            if let Some(live) = next.playhead.live() {
                assert!(live.step > next.view.step, "the live view is ahead");
                assert_eq!(
                    live.brokers, next.view.brokers,
                    "the picture waits for its refresh"
                );
                ahead += 1;
            }
        } else if next.view.step > s.view.step {
            assert!(
                next.playhead.live().is_none(),
                "a refresh takes over the live view"
            );
            pictures += 1;
        }
        s = next;
    }
    // 2 s of a producer sending every millisecond: a picture every 200 ms, messages in between.
    assert!(ahead >= 30, "{ahead} frames moved only the messages");
    assert!((8..=12).contains(&pictures), "{pictures} pictures");
    // A message picked from the frames ahead of the page: the page takes their view over, so
    // the inspector has it.
    while s.playhead.live().is_none() {
        s = s.reduce(Msg::Tick(33.0));
    }
    let live = s.playhead.live().unwrap();
    let newest = live.messages.last().expect("messages in flight").id;
    let s = s.reduce(Msg::Select(Selection::Message(newest)));
    assert!(s.playhead.live().is_none());
    assert!(s.view.message(newest).is_some());
    // Paused: everything is shown, nothing is ahead.
    let s = s.reduce(Msg::Pause);
    assert!(s.playhead.live().is_none());
}

#[wasm_bindgen_test(unsupported = test)]
fn playing_advances_virtual_time_by_the_speed() {
    let s = send(fresh(), [Msg::SetSpeed(3)]); // 1×: one virtual ms per real ms
    assert_eq!(SPEEDS[s.speed], 1.0);
    let t0 = s.vt();
    let s = send(s, [Msg::ToggleSkipIdle]); // no fast-forwarding of quiet gaps
    let s = play_for(s, 1600);
    assert!(
        (s.vt() - t0 - 1600.0).abs() < 20.0,
        "vt moved {}",
        s.vt() - t0
    );
    assert!(s.view.step > 20);
    // The HW moved on the leader of t-0.
    let b1 = s.view.broker(1).unwrap();
    assert!(b1.replicas[0].hw > 0, "{:?}", b1.replicas[0]);
}

#[wasm_bindgen_test(unsupported = test)]
fn step_back_restores_the_exact_previous_state() {
    let s = play_for(send(fresh(), [Msg::SetSpeed(4)]), 1000);
    let mut states = vec![(s.state_hash(), picture(&s))];
    let mut s = s;
    for _ in 0..30 {
        s = s.reduce(Msg::Step);
        states.push((s.state_hash(), picture(&s)));
    }
    for expected in states.iter().rev().skip(1) {
        s = s.reduce(Msg::Back);
        assert_eq!(&(s.state_hash(), picture(&s)), expected);
    }
    // Forward again replays the recording: the same states, and the recording is unchanged.
    let end = s.view.end_step;
    for expected in states.iter().skip(1) {
        s = s.reduce(Msg::Step);
        assert_eq!(&(s.state_hash(), picture(&s)), expected);
    }
    assert_eq!(s.view.end_step, end);
}

#[wasm_bindgen_test(unsupported = test)]
fn the_url_fragment_round_trips() {
    let s = play_for(send(fresh(), [Msg::SetSpeed(5)]), 500);
    let s = send(
        s,
        [Msg::Command(Command::Crash {
            broker: 1,
            lose_unflushed: false,
        })],
    );
    let s = play_for(s, 700);
    let frag = s.run_fragment();
    assert_eq!(*s.fragment, *frag, "the effect's fragment is current");
    let restored = AppState::boot(Boot {
        hash: Some(format!("run={frag}")),
        ..Boot::default()
    });
    assert_eq!(restored.state_hash(), s.state_hash());
    assert_eq!(picture(&restored), picture(&s));
    assert_eq!(restored.run_fragment(), frag, "the same link again");
    assert!(restored.notices.is_empty());
}

#[wasm_bindgen_test(unsupported = test)]
fn a_malformed_link_opens_the_default_scenario_with_a_readable_message() {
    let s = AppState::boot(Boot {
        hash: Some("run=%%%garbage".into()),
        ..Boot::default()
    });
    assert_eq!(s.view.step, 1);
    let n = &s.notices[0];
    assert_eq!(n.level, Level::Error);
    assert!(n.text.contains("could not be opened"), "{}", n.text);
    assert!(n.text.contains("damaged"), "{}", n.text);
}

#[wasm_bindgen_test(unsupported = test)]
fn corrupt_storage_is_reported_not_fatal() {
    let s = AppState::boot(Boot {
        stored: Ok(Some("eyJub3QiOiJhIHJ1biJ9".into())), // {"not":"a run"}
        ..Boot::default()
    });
    assert_eq!(s.view.brokers.len(), 3);
    assert_eq!(s.notices[0].level, Level::Warning);
    assert!(s.notices[0].text.contains("could not be restored"));
    let s = AppState::boot(Boot {
        stored: Err("local storage is blocked".into()),
        ..Boot::default()
    });
    assert!(s.notices[0].text.contains("blocked"));
}

#[wasm_bindgen_test(unsupported = test)]
fn an_action_in_the_past_forks_the_timeline() {
    let mut s = fresh();
    for _ in 0..20 {
        s = s.reduce(Msg::Step);
    }
    for _ in 0..8 {
        s = s.reduce(Msg::Back);
    }
    assert_eq!(s.view.end_step, 21);
    let s = send(
        s,
        [Msg::Command(highwater::ui::state::produce_command(
            "", "x", None,
        ))],
    );
    assert_eq!(s.view.end_step, s.view.step, "the recorded future is gone");
    assert_eq!(s.view.step, 14);
    assert!(s.notices.iter().any(|n| n.topic == "fork"));
}

#[wasm_bindgen_test(unsupported = test)]
fn manual_mode_lists_enabled_events_and_fires_the_chosen_one() {
    let mut s = send(
        fresh(),
        [Msg::Step, Msg::Step, Msg::Step, Msg::ToggleManual],
    );
    assert!(s.manual);
    let choice = s
        .view
        .enabled
        .iter()
        .rev()
        .find(|e| matches!(e.action, Action::Deliver { .. }))
        .expect("a deliverable message")
        .action
        .clone();
    let Action::Deliver { message } = choice else {
        unreachable!()
    };
    let before = s.view.step;
    s = s.reduce(Msg::Act(choice));
    assert_eq!(s.view.step, before + 1);
    assert!(s.view.message(message).is_none(), "delivered");
    assert!(s
        .view
        .events
        .iter()
        .any(|e| e.message == Some(message) && e.step == before + 1));
}

#[wasm_bindgen_test(unsupported = test)]
fn refused_commands_become_notices() {
    let s = send(
        fresh(),
        [Msg::Command(Command::Restart { broker: 1 })], // it is running
    );
    assert_eq!(s.view.step, 1);
    assert!(s.notices[0].text.contains("already running"));
}

#[wasm_bindgen_test(unsupported = test)]
fn keyboard_shortcuts_map_to_actions_and_respect_dialogs() {
    use highwater::ui::keyboard::{shortcut_for, Shortcut};
    assert_eq!(shortcut_for(" "), Some(Shortcut::PlayPause));
    assert_eq!(shortcut_for("ArrowLeft"), Some(Shortcut::Back));
    assert_eq!(shortcut_for("+"), Some(Shortcut::Faster));
    assert_eq!(shortcut_for("x"), None);
    let s = send(fresh(), [Msg::Shortcut(Shortcut::Help)]);
    assert_eq!(s.dialog, Dialog::Help);
    let s = send(s, [Msg::Shortcut(Shortcut::Step)]); // ignored under a dialog
    assert_eq!(s.view.step, 1);
    let s = send(
        s,
        [
            Msg::Shortcut(Shortcut::Escape),
            Msg::Select(Selection::Node(NodeId::Broker(2))),
            Msg::Shortcut(Shortcut::Escape),
        ],
    );
    assert_eq!(s.dialog, Dialog::None);
    assert_eq!(s.selection, Selection::None);
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;

    /// Waits for Yew's scheduler, which renders on the event loop, not synchronously.
    async fn next_tick() {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }

    #[wasm_bindgen_test]
    async fn app_renders_the_picture_controls_and_panels() {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();

        let handle = yew::Renderer::<highwater::app::App>::with_root(root.clone()).render();
        next_tick().await;

        let h1 = root.query_selector("h1").unwrap().expect("a header");
        assert_eq!(h1.text_content().unwrap(), highwater::app::TITLE);
        let svg = root
            .query_selector(".cluster-svg")
            .unwrap()
            .expect("the picture");
        assert_eq!(svg.get_attribute("data-step").as_deref(), Some("1"));
        assert_eq!(
            root.query_selector_all("[data-broker]").unwrap().length(),
            3
        );
        assert_eq!(root.query_selector_all(".replica").unwrap().length(), 6);
        // The panels below the picture join the page once it has been painted
        // (`ui::after_paint`): wait for them, up to two seconds.
        let panel_titles = || -> Vec<String> {
            let list = root.query_selector_all(".panel h2").unwrap();
            (0..list.length())
                .map(|i| list.item(i).unwrap().text_content().unwrap())
                .collect()
        };
        for _ in 0..100 {
            if panel_titles().iter().any(|x| x == "Event log") {
                break;
            }
            gloo_timers::future::TimeoutFuture::new(20).await;
        }
        let panels = panel_titles();
        for p in [
            "Inspector",
            "Produce",
            "Invariants",
            "Event log",
            "Ledger",
            "HW and LEO",
        ] {
            assert!(panels.iter().any(|x| x == p), "{p} in {panels:?}");
        }

        handle.destroy();
        root.remove();
    }
}

/// acks=1, followers cut off, the leader crashes: its acknowledged records are lost, and when
/// it restarts it truncates them — the page keeps their ghosts for the fade-out animation.
#[wasm_bindgen_test(unsupported = test)]
fn an_acks_1_failover_marks_lost_records_and_truncation_leaves_ghosts() {
    use highwater::ui::state::{default_config, NewRun};
    use highwater_core::config::Acks;
    let mut config = default_config();
    config.producer.acks = Some(Acks::Leader);
    config.broker.min_insync_replicas = 1;
    let cut = |to| {
        Msg::Command(Command::Cut {
            from: NodeId::Broker(1),
            to: NodeId::Broker(to),
            both: true,
        })
    };
    let s = send(
        fresh(),
        [
            Msg::NewRun(Box::new(NewRun {
                config,
                seed: 7,
                auto_ms: 300,
            })),
            Msg::SetSpeed(3),
        ],
    );
    let s = play_for(s, 2000);
    let s = play_for(send(s, [cut(2), cut(3)]), 1500);
    let s = send(
        s,
        [
            Msg::Command(Command::Crash {
                broker: 1,
                lose_unflushed: false,
            }),
            Msg::Command(Command::Heal { node: None }),
            Msg::SetSpeed(4),
        ],
    );
    let s = play_for(s, 3000);
    assert!(s.view.ledger.lost > 0, "acks=1 lost acknowledged records");
    let lost_cells = s.view.broker(1).unwrap().replicas[0]
        .cells
        .iter()
        .filter(|c| c.lost)
        .count();
    assert!(lost_cells > 0, "the crashed leader's disk still holds them");
    let mut s = send(
        s,
        [
            Msg::Command(Command::Restart { broker: 1 }),
            Msg::SetSpeed(2),
            Msg::TogglePlay,
        ],
    );
    let mut saw_ghosts = false;
    for _ in 0..400 {
        s = s.reduce(Msg::Tick(16.0));
        if s.ghosts.get(&1).is_some_and(|g| g.iter().any(|g| g.lost)) {
            saw_ghosts = true;
            break;
        }
    }
    assert!(saw_ghosts, "b1 truncated its lost records");
    // Ghosts fade: a couple of seconds later they are gone.
    for _ in 0..150 {
        s = s.reduce(Msg::Tick(16.0));
    }
    assert!(s.ghosts.get(&1).is_none());
}

/// A run with two consumers in one group, producing every 300 ms.
fn consumer_run() -> Rc<AppState> {
    let mut config = highwater_core::config::ClusterConfig {
        consumers: 2,
        ..Default::default()
    };
    config.consumer.session_timeout_ms = 6000;
    config.consumer.heartbeat_interval_ms = 1000;
    send(
        fresh(),
        [
            Msg::NewRun(Box::new(highwater::ui::state::NewRun {
                config,
                seed: 5,
                auto_ms: 300,
            })),
            Msg::SetSpeed(3),
        ],
    )
}

#[wasm_bindgen_test(unsupported = test)]
fn runs_without_consumers_have_no_consumer_view_and_no_consumer_column() {
    let s = fresh();
    assert!(s.view.group.consumers.is_empty());
    assert!(s.view.group.group.is_none());
    assert!(s.view.topology.consumers.is_empty());
    let l = highwater::ui::picture::layout::Layout::new(&s.view.topology, false);
    assert!(l.consumers.is_empty());
}

#[wasm_bindgen_test(unsupported = test)]
fn consumers_are_projected_with_their_group_positions_and_owners() {
    let s = consumer_run();
    let ids: Vec<u32> = s.view.group.consumers.iter().map(|k| k.id).collect();
    assert_eq!(ids, vec![1, 2]);
    assert_eq!(s.view.topology.consumers, vec![1, 2]);
    let l = highwater::ui::picture::layout::Layout::new(&s.view.topology, false);
    assert_eq!(l.consumers.len(), 2, "a consumer column");
    assert!(
        l.link(NodeId::Broker(1), NodeId::Consumer(2)).is_some(),
        "consumer messages have a path"
    );
    let s = play_for(s, 6000);
    let g = &s.view.group;
    let group = g.group.as_ref().expect("a coordinator");
    assert_eq!(group.state, highwater_core::coordinator::GroupState::Stable);
    assert!(group.generation >= 1);
    // One owner per partition of the topic, and every owner is in the current generation.
    for p in &g.parts {
        assert_eq!(p.owners.len(), 1, "partition #{} has one owner", p.part);
        assert_eq!(p.owners[0].1, group.generation);
    }
    let owned: usize = g.consumers.iter().map(|k| k.assigned.len()).sum();
    assert_eq!(owned, g.parts.len());
    assert!(
        g.consumers.iter().map(|k| k.processed).sum::<u64>() > 0,
        "records were processed"
    );
    assert!(
        g.parts.iter().any(|p| p.committed.is_some()),
        "offsets committed"
    );
    assert!(!g.rows.is_empty(), "the consumer verdicts list records");
}

#[wasm_bindgen_test(unsupported = test)]
fn crashing_a_consumer_hands_its_partitions_to_the_other_after_a_rebalance() {
    let s = play_for(consumer_run(), 6000);
    let gen = s.view.group.group.as_ref().unwrap().generation;
    let s = send(
        s,
        [
            Msg::Command(Command::CrashConsumer { consumer: 1 }),
            Msg::Select(Selection::Node(NodeId::Consumer(1))),
        ],
    );
    let c1 = s.view.group.consumer(1).unwrap();
    assert!(!c1.is_up());
    assert_eq!(c1.state_text(), "crashed");
    let s = play_for(s, 12000);
    let g = &s.view.group;
    let group = g.group.as_ref().unwrap();
    assert!(group.generation > gen, "a new generation");
    for p in &g.parts {
        assert_eq!(p.owners.iter().map(|o| o.0).collect::<Vec<_>>(), vec![2]);
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn the_consumer_settings_round_trip_and_reject_bad_input() {
    use highwater::ui::config_consumers::ConsumerForm;
    let mut config = highwater_core::config::ClusterConfig::default();
    let mut form = ConsumerForm::from_config(&config);
    form.consumers = "3".into();
    form.commit = "before-processing".into();
    form.strategy = "roundrobin".into();
    form.dedup = true;
    form.apply(&mut config).unwrap();
    assert_eq!(config.consumers, 3);
    assert_eq!(
        config.consumer.commit,
        highwater_core::config::CommitMode::BeforeProcessing
    );
    assert!(config.consumer.dedup);
    assert_eq!(ConsumerForm::from_config(&config), form);
    form.session_ms = "soon".into();
    let err = form.apply(&mut config).unwrap_err();
    assert!(err.contains("session.timeout.ms"), "{err}");
    form.session_ms = "6000".into();
    form.group_id = "  ".into();
    assert!(form.apply(&mut config).is_err(), "an empty group.id");
}

/// The space-time diagram's feed: nothing is copied while the panel is closed; open, it follows
/// the timeline (a seek back leaves out the later events) and closes again.
#[wasm_bindgen_test(unsupported = test)]
fn the_diagram_is_fed_only_while_open_and_follows_the_timeline() {
    let s = play_for(fresh(), 3_000);
    assert!(s.diagram.is_none(), "closed by default");
    let s = s.reduce(Msg::ShowDiagram(true));
    let feed = s.diagram.clone().expect("open");
    assert_eq!((feed.step, feed.time), (s.view.step, s.view.time));
    assert!(feed.events.iter().any(|e| e.message_kind.is_some()));
    assert!(feed.events.iter().all(|e| e.step <= feed.step));
    let back = feed.step / 2;
    let s = s.reduce(Msg::Seek(back));
    let seen = s.diagram.clone().expect("still open");
    assert_eq!(seen.step, back);
    assert!(!seen.events.is_empty() && seen.events.iter().all(|e| e.step <= back));
    let s = s.reduce(Msg::ShowDiagram(false));
    assert!(s.diagram.is_none());
}

//! The whole page: the root component, its effects, and the notices.

use std::rc::Rc;

use highwater_core::types::NodeId;
use yew::prelude::*;

use super::{anim, keyboard, storage, tutorial, url};

use super::config_panel::ConfigDialog;
use super::controls::{LiveClock, Scrubber, Toolbar};
use super::dialogs::{HelpDialog, ShareDialog};
use super::export::export_file;
use super::inspector::Inspector;
use super::notices::Notices;
use super::panels::{
    EventLog, GroupPanel, Invariants, LatencyPanel, Ledger, Manual, PipelinePanel, Plot,
    TransactionsPanel,
};
use super::picture::layout::Layout;
use super::picture::{legend, ClusterPicture};
use super::produce::ProducePanel;
use super::search_dialog::SearchDialog;
use super::spacetime::SpaceTimePanel;
use super::state::replaying::ReplaySource;
use super::state::{AppState, Boot, Dialog, Dispatch, Level, Msg, Selection};
use super::summary::SummaryDialog;
use super::tutorial::embed_options::EmbedOptions;
use super::tutorial::host;
use super::tutorial::panel::{TutorialIndex, TutorialPanel};
use super::tutorial::welcome::Welcome;
use super::tutorial::{LinkKind, TutorialMsg};

/// Title shown in the page header.
pub const TITLE: &str = "Highwater — Kafka replication playground";

/// Screens narrower than this get the compact picture.
pub const COMPACT_QUERY: &str = "(max-width: 760px)";

/// Reads what the page starts from: the address, the saved session, the theme, the width.
pub fn boot_from_browser() -> Boot {
    let embed = url::is_embed();
    // An embed shows the theme its element asks for, never the playground's stored choice.
    let theme = if embed {
        url::embed_options().theme.map(|t| t.as_str().to_string())
    } else {
        storage::load_theme()
    };
    Boot {
        hash: url::read_hash(),
        // An embed starts from its own link and leaves the playground's session alone.
        stored: if embed {
            Ok(None)
        } else {
            storage::load_session()
        },
        theme,
        compact: media_matches(COMPACT_QUERY),
        embed,
        animate_steps: true,
    }
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Follows the compact media query.
#[hook]
fn use_compact(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.match_media(COMPACT_QUERY).ok().flatten())
            .map(|mql| {
                let m2 = mql.clone();
                gloo_events::EventListener::new(&mql, "change", move |_| {
                    dispatch.dispatch(Msg::SetCompact(m2.matches()));
                })
            });
        move || drop(listener)
    });
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::boot(boot_from_browser()));
    let dispatch = state.dispatcher();

    // The animation layer (messages, clock) redraws on every frame; the page only when the
    // reducer returns a new state.
    let frames: Rc<anim::Frames> = use_memo((), |_| anim::Frames::default());
    anim::use_animation_frame(
        state.playing || state.replay.is_some(),
        state.frame_ms,
        dispatch.clone(),
        frames.clone(),
    );
    keyboard::use_keyboard(dispatch.clone());
    super::focus_keeper::use_focus_keeper();
    url::use_hash_change(dispatch.clone());
    super::catalog_fetch::use_catalog_fetch(state.fetching.clone(), dispatch.clone());
    use_compact(dispatch.clone());
    let panels_ref = use_node_ref();
    let panels_ready = super::after_paint::use_after_first_paint();
    {
        let d = dispatch.clone();
        // A margin of a few rows: panels about to scroll into view are already up to date.
        super::in_view::use_in_view(
            panels_ref.clone(),
            "200px",
            Callback::from(move |on| d.dispatch(Msg::PanelsInView(on))),
        );
    }

    // Effects: the address bar and the saved session follow the run.
    {
        let (fragment, d) = (state.fragment.clone(), dispatch.clone());
        // On the script of a tutorial, the address is the chapter and step, and the saved
        // session (the playground's own run) is kept; embeds never write it.
        let tutorial_hash = state
            .tutorial
            .as_ref()
            .filter(|t| !t.off_script)
            .map(|t| t.hash());
        let save = !state.embed && tutorial_hash.is_none();
        // While a link or the saved session is being replayed, the address and the session
        // still hold it: the run shown meanwhile must not overwrite them.
        let replaying = state.replay.is_some();
        use_effect_with(state.persist, move |_| {
            if replaying {
                return;
            }
            match &tutorial_hash {
                Some(h) => url::write_hash(h),
                None => url::write_fragment(&fragment),
            }
            if !save {
                return;
            }
            if let Err(e) = storage::save_session(&fragment) {
                d.dispatch(Msg::Notify(
                    Level::Warning,
                    "storage",
                    format!("This session cannot be saved in the browser ({e})."),
                ));
            }
        });
    }
    {
        // Progress kept in the browser: a chapter whose last step was reached on the script is
        // finished; any open chapter answers the welcome card. Embeds write nothing.
        let at = state.tutorial.as_ref().map(|t| {
            let finished = t.link.kind == LinkKind::Tutorial
                && !t.off_script
                && !t.is_empty()
                && t.position >= t.len();
            (t.link.id.clone(), finished)
        });
        let embed = state.embed;
        use_effect_with(at, move |at| {
            if let (Some((id, finished)), false) = (at, embed) {
                storage::set_welcome_seen();
                if *finished {
                    storage::mark_chapter_done(id);
                }
            }
        });
    }
    {
        let embed = state.embed;
        use_effect_with(state.theme, move |t| {
            if embed {
                storage::show_theme(*t);
            } else {
                storage::apply_theme(*t);
            }
        });
    }
    let options = use_memo(state.embed, |embed| {
        if *embed {
            url::embed_options()
        } else {
            EmbedOptions::default()
        }
    });
    {
        // An embed asked for the space-time diagram opens it once (it is closed by default).
        let d = dispatch.clone();
        use_effect_with(options.view, move |view| {
            if view.diagram() {
                d.dispatch(Msg::ShowDiagram(true));
            }
        });
    }
    {
        let v = &state.view;
        let tutorial = state.tutorial.as_ref();
        let at = host::Position {
            step: v.step,
            time: v.time,
            position: tutorial.filter(|t| !t.off_script).map(|t| t.position),
            steps: tutorial.map(|t| t.len()),
        };
        let broken = v
            .invariants
            .iter()
            .filter(|i| i.first_violation.is_some())
            .map(|i| (i.id, i.promised))
            .collect();
        host::use_host_events(options.host.clone(), at, broken);
    }

    let v = &state.view;
    let pv = &state.panels_view;
    let layout: Rc<Layout> = use_memo((v.topology.clone(), state.compact), |(t, c)| {
        Layout::new(t, *c)
    });

    let sel_broker = match state.selection {
        Selection::Node(NodeId::Broker(b)) => v.broker(b).cloned(),
        _ => None,
    };
    let sel_producer = match state.selection {
        Selection::Node(NodeId::Producer(p)) => v.producers.iter().find(|x| x.id == p).cloned(),
        _ => None,
    };
    let sel_consumer = match state.selection {
        Selection::Node(NodeId::Consumer(k)) => v.group.consumer(k).cloned(),
        _ => None,
    };
    let sel_message = match state.selection {
        Selection::Message(m) => v.message(m).cloned(),
        _ => None,
    };
    if state.embed {
        return tutorial::embed::page(
            &state,
            layout,
            frames,
            dispatch,
            options.controls,
            options.view,
        );
    }
    let tutorial_side = match (&state.tutorial, state.tutorial_index) {
        (_, true) => html! {
            <TutorialIndex current={state.tutorial.as_ref().map(|t| AttrValue::from(t.link.id.clone()))}
                           loading={state.fetching.as_ref().map(|l| AttrValue::from(l.id.clone()))}
                           dispatch={dispatch.clone()} />
        },
        // A deep link waiting for its file: said where the chapter will appear.
        (None, false) if state.fetching.is_some() => html! {
            <section class="panel tutorial-loading" role="status" aria-live="polite">
                <div class="panel-body muted">{ "Loading the chapter…" }</div>
            </section>
        },
        (Some(t), false) => {
            html! { <TutorialPanel view={t.clone()} dispatch={dispatch.clone()} /> }
        }
        (None, false) => html! {},
    };
    let tutorials_button = {
        let d = dispatch.clone();
        html! {
            <button type="button" class="tut-open" aria-pressed={state.tutorial_index.to_string()}
                    onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Tutorial(TutorialMsg::ToggleIndex)))}>
                { "Tutorials" }
            </button>
        }
    };
    let vt = state.vt().floor() as u64;
    // Only the selected message's "arrives in" needs the time: other inspectors stay still.
    let message_now = if sel_message.is_some() { vt } else { 0 };

    html! {
        <div class={classes!("app", state.compact.then_some("compact"))}>
            <header class="app-header">
                <h1>{ TITLE }</h1>
                <Toolbar playing={state.playing} speed={state.speed} skip_idle={state.skip_idle}
                         manual={state.manual} show_heartbeats={state.show_heartbeats}
                         can_back={v.step > 0} theme={state.theme} dispatch={dispatch.clone()} />
                { tutorials_button }
            </header>
            <Notices notices={state.notices.clone()} dispatch={dispatch.clone()} />
            // Not while a chapter's file is on its way: the chapter replaces it a moment later.
            if state.tutorial.is_none() && !state.tutorial_index && state.fetching.is_none() {
                <Welcome dispatch={dispatch.clone()} />
            }
            if let Some(r) = state.replay {
                <div class="replay-progress" role="status" aria-live="polite">
                    <span>{ format!("{} — {:.0} % ({} simulated events)",
                        match r.source {
                            ReplaySource::Link => "Opening the link",
                            ReplaySource::Stored => "Restoring the saved session",
                        },
                        r.fraction * 100.0, r.events) }</span>
                    <progress max="1" value={r.fraction.to_string()} aria-label="Replay progress"></progress>
                    <button class="btn" onclick={{ let d = dispatch.clone(); Callback::from(move |_| d.dispatch(Msg::CancelReplay)) }}>{ "Cancel" }</button>
                </div>
            }
            <div class="workspace">
                <section class="stage" aria-label="Cluster">
                    <LiveClock playhead={state.playhead.clone()} frames={frames.clone()} step={v.step} end_step={v.end_step} playing={state.playing} />
                    <div class="cluster">
                        <ClusterPicture view={v.clone()} layout={layout.clone()} playhead={state.playhead.clone()} frames={frames.clone()}
                                        show_heartbeats={state.show_heartbeats} selection={state.selection}
                                        ghosts={state.ghosts.clone()} callouts={state.callouts.clone()} dispatch={dispatch.clone()} />
                    </div>
                    <Scrubber step={v.step} end_step={v.end_step} markers={state.markers.clone()} dispatch={dispatch.clone()} />
                    { legend() }
                </section>
                <aside class="side" aria-label="Inspector and controls">
                    { tutorial_side }
                    <Inspector selection={state.selection} broker={sel_broker} producer={sel_producer} consumer={sel_consumer}
                               message={sel_message} controller_paused={v.controller.paused}
                               unclean_election={v.controller.unclean_leader_election_enable}
                               cuts={v.cuts.clone()} topology={v.topology.clone()}
                               now={message_now}
                               in_flight={(!state.playing).then(|| v.messages.clone())}
                               show_heartbeats={state.show_heartbeats} dispatch={dispatch.clone()} />
                    if state.manual {
                        <Manual enabled={v.enabled.clone()} show_heartbeats={state.show_heartbeats} dispatch={dispatch.clone()} />
                    }
                    <ProducePanel producers={v.producers.clone()} auto_ms={state.auto_ms} dispatch={dispatch.clone()} />
                    <Invariants invariants={v.invariants.clone()} dispatch={dispatch.clone()} />
                </aside>
                // `panels_view`: the view as of the last time these panels were on screen. They
                // lie below the picture and join the page once it has been painted.
                <section class="panels" aria-label="Panels" ref={panels_ref}>
                    if panels_ready {
                        <EventLog events={pv.events.clone()} notable={pv.notable.clone()} show_heartbeats={state.show_heartbeats}
                                  announcement={state.announcement.clone()} dispatch={dispatch.clone()} />
                        <Ledger ledger={pv.ledger.clone()} />
                        if !pv.group.consumers.is_empty() {
                            <GroupPanel group={pv.group.clone()} topology={pv.topology.clone()} dispatch={dispatch.clone()} />
                        }
                        if let Some(p) = &pv.pipeline {
                            <PipelinePanel pipeline={p.clone()} />
                        }
                        if let Some(t) = &pv.transactions {
                            <TransactionsPanel txn={t.clone()} producers={pv.producers.clone()} />
                        }
                        <Plot samples={state.samples.clone()} version={state.samples_version} step={pv.step}
                              time={pv.time} part={state.plot_part} topology={pv.topology.clone()} dispatch={dispatch.clone()} />
                        <LatencyPanel latency={pv.latency.clone()} />
                        <SpaceTimePanel feed={state.diagram.clone()} topology={pv.topology.clone()}
                                        coordinator={pv.group.group.as_ref().map(|g| g.coordinator)} dispatch={dispatch.clone()} />
                    }
                </section>
            </div>
            {
                match state.dialog {
                    Dialog::None => html! {},
                    Dialog::Help => html! { <HelpDialog dispatch={dispatch.clone()} /> },
                    Dialog::Summary => html! { <SummaryDialog dispatch={dispatch.clone()} /> },
                    Dialog::Search => html! {
                        <SearchDialog fragment={state.fragment.clone()} invariants={v.invariants.clone()} dispatch={dispatch.clone()} />
                    },
                    Dialog::Share => {
                        let tl = state.tl.clone();
                        let export = Callback::from(move |kind| export_file(kind, &tl.borrow()));
                        html! { <ShareDialog url={url::share_url(&state.fragment)} {export} dispatch={dispatch.clone()} /> }
                    }
                    Dialog::Config => html! {
                        <ConfigDialog key={state.run_id} topology={v.topology.clone()} auto_ms={state.auto_ms}
                                      error={state.config_error.clone()} dispatch={dispatch.clone()} />
                    },
                }
            }
        </div>
    }
}

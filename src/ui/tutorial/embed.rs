//! The embedded page (`index.html?embed`, for iframes in documentation): the cluster picture,
//! play / step / back, the clock, the narration of a tutorial or scenario opened with
//! `#tutorial=<id>` / `#scenario=<id>`, and a link to open the same run in the full playground.
//! It fills its frame and never writes `localStorage`, so several embeds on one page stay
//! independent and leave the playground's saved session alone. `controls=` in the query
//! ([`Controls`]) leaves out the narration panel, or the toolbar too; `view=` ([`EmbedView`])
//! draws the space-time diagram instead of, or under, the cluster picture.

use std::rc::Rc;

use yew::prelude::*;

use super::embed_options::{Controls, EmbedView};
use super::panel::TutorialPanel;
use crate::ui::anim::Frames;
use crate::ui::controls::{Icon, LiveClock, ICON_BACK, ICON_PAUSE, ICON_PLAY, ICON_STEP};
use crate::ui::notices::Notices;
use crate::ui::picture::layout::Layout;
use crate::ui::picture::ClusterPicture;
use crate::ui::spacetime::SpaceTimePanel;
use crate::ui::state::Dispatch;
use crate::ui::state::{AppState, Msg};

/// The whole embedded page.
pub fn page(
    state: &AppState,
    layout: Rc<Layout>,
    frames: Rc<Frames>,
    dispatch: Dispatch,
    controls: Controls,
    view: EmbedView,
) -> Html {
    let v = &state.view;
    let send = |m: Msg| {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(m.clone()))
    };
    let open_href = match &state.tutorial {
        Some(t) if !t.off_script => format!("./#{}", t.hash()),
        _ => format!("./#run={}", state.fragment),
    };
    let (play_label, play_icon) = if state.playing {
        ("Pause", ICON_PAUSE)
    } else {
        ("Play", ICON_PLAY)
    };
    html! {
        <div class={classes!("app", "embed", state.compact.then_some("compact"))}>
            <Notices notices={state.notices.clone()} dispatch={dispatch.clone()} />
            if controls != Controls::None {
            <div class="embed-bar" role="toolbar" aria-label="Playback">
                <button type="button" class="primary play" aria-label={play_label} title={play_label}
                        onclick={send(Msg::TogglePlay)}>
                    <Icon path={play_icon} />{ play_label }
                </button>
                <button type="button" aria-label="Back" title="Back: undo one event"
                        disabled={v.step == 0} onclick={send(Msg::Back)}><Icon path={ICON_BACK} />{ "Back" }</button>
                <button type="button" aria-label="Step" title="Step: fire the next event"
                        onclick={send(Msg::Step)}><Icon path={ICON_STEP} />{ "Step" }</button>
                <LiveClock playhead={state.playhead.clone()} frames={frames.clone()} step={v.step} end_step={v.end_step} playing={state.playing} />
                <a class="embed-open" href={open_href} target="_blank" rel="noopener">{ "Open in the playground ↗" }</a>
            </div>
            }
            if view.picture() {
                <div class="cluster">
                    <ClusterPicture view={v.clone()} layout={layout} playhead={state.playhead.clone()} frames={frames}
                                    show_heartbeats={state.show_heartbeats} selection={state.selection}
                                    ghosts={state.ghosts.clone()} callouts={state.callouts.clone()} dispatch={dispatch.clone()} />
                </div>
            }
            if view.diagram() {
                <SpaceTimePanel feed={state.diagram.clone()} topology={v.topology.clone()}
                                coordinator={v.group.group.as_ref().map(|g| g.coordinator)} dispatch={dispatch.clone()} />
            }
            if let (Some(t), Controls::Full) = (&state.tutorial, controls) {
                <TutorialPanel view={t.clone()} dispatch={dispatch.clone()} embed={true} />
            }
        </div>
    }
}

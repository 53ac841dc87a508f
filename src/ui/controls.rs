//! Playback controls: play/pause, step, back, speed, manual mode, heartbeats, dialogs, theme;
//! the clock; and the timeline scrubber with markers for crashes, elections, ISR changes,
//! truncations, lost records and broken invariants.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::anim::{use_frames, Frames};
use super::format::{fmt, pct};
use super::state::Dispatch;
use super::state::{Dialog, Marker, MarkerKind, Msg, Playhead, Theme, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct IconProps {
    /// SVG path data in a 16×16 box.
    pub path: AttrValue,
}

/// A small inline icon (inline SVG: no icon font, no glyphs missing from the system fonts).
#[function_component(Icon)]
pub fn icon(props: &IconProps) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={props.path.clone()} fill="currentColor" />
        </svg>
    }
}

pub const ICON_PLAY: &str = "M4 2.5v11l9-5.5z";
pub const ICON_PAUSE: &str = "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z";
pub const ICON_STEP: &str = "M2 2.5v11l8-5.5zM11 2.5h2.5v11H11z";
pub const ICON_BACK: &str = "M2.5 2.5H5v11H2.5zM14 2.5v11l-8-5.5z";

/// "0.1×", "2×", "100×", per entry of [`SPEEDS`].
pub const SPEED_LABELS: [&str; 10] = [
    "0.1×", "0.2×", "0.5×", "1×", "2×", "5×", "10×", "20×", "50×", "100×",
];

/// What a speed means in words, per entry of [`SPEEDS`].
pub const SPEED_MEANINGS: [&str; 10] = [
    "each real second plays 100 ms of simulated time",
    "each real second plays 200 ms of simulated time",
    "each real second plays 500 ms of simulated time",
    "simulated time runs in real time",
    "each real second plays 2 s of simulated time",
    "each real second plays 5 s of simulated time",
    "each real second plays 10 s of simulated time",
    "each real second plays 20 s of simulated time",
    "each real second plays 50 s of simulated time",
    "each real second plays 100 s of simulated time",
];

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub playing: bool,
    pub speed: usize,
    pub skip_idle: bool,
    pub manual: bool,
    pub show_heartbeats: bool,
    pub can_back: bool,
    pub theme: Theme,
    pub dispatch: Dispatch,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let d = &props.dispatch;
    let send = |m: Msg| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(m.clone()))
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                if let Ok(i) = input.value().parse::<usize>() {
                    d.dispatch(Msg::SetSpeed(i));
                }
            }
        })
    };
    let (label, meaning) = (SPEED_LABELS[props.speed], SPEED_MEANINGS[props.speed]);
    let (play_label, play_icon) = if props.playing {
        ("Pause", ICON_PAUSE)
    } else {
        ("Play", ICON_PLAY)
    };
    let theme_label = match props.theme {
        Theme::Auto => "Theme: auto",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    html! {
        <nav class="toolbar" aria-label="Playback">
            <div class="group">
                <button type="button" class="primary play" aria-label={play_label} aria-keyshortcuts="Space"
                        title={format!("{play_label} (Space)")} onclick={send(Msg::TogglePlay)}>
                    <Icon path={play_icon} />{ play_label }
                </button>
                <button type="button" aria-label="Step" aria-keyshortcuts="ArrowRight"
                        title="Step: fire the next event (→)" onclick={send(Msg::Step)}>
                    <Icon path={ICON_STEP} />{ "Step" }
                </button>
                <button type="button" aria-label="Back" aria-keyshortcuts="ArrowLeft"
                        title="Back: undo one event (←)" disabled={!props.can_back} onclick={send(Msg::Back)}>
                    <Icon path={ICON_BACK} />{ "Back" }
                </button>
            </div>
            <div class="group speed">
                <label for="speed">{ "Speed" }</label>
                <input id="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()} step="1"
                       value={props.speed.to_string()} oninput={on_speed}
                       aria-valuetext={format!("{label}: {meaning}")}
                       title={format!("{label}: {meaning} (+ / −)")} />
                <output for="speed" class="speed-value" title={meaning}>{ label }</output>
                <label class="check" title="Stretches with no request or response on the wire pass ten times faster">
                    <input type="checkbox" checked={props.skip_idle} onchange={{
                        let d = d.clone();
                        Callback::from(move |_: Event| d.dispatch(Msg::ToggleSkipIdle))
                    }} />
                    { "skip quiet gaps" }
                </label>
            </div>
            <div class="group">
                <button type="button" aria-pressed={props.manual.to_string()} onclick={send(Msg::ToggleManual)}
                        title="Manual mode: choose which event happens next">{ "Manual" }</button>
                <button type="button" aria-pressed={props.show_heartbeats.to_string()} onclick={send(Msg::ToggleHeartbeats)}
                        title="Show broker heartbeats (background chatter)">{ "Heartbeats" }</button>
            </div>
            <div class="group end">
                <button type="button" onclick={send(Msg::Open(Dialog::Config))} title="Configuration: start a new run">{ "Config" }</button>
                <button type="button" onclick={send(Msg::Open(Dialog::Search))}
                        title="Search for a counterexample: the shortest schedule from this step that breaks a property">{ "Search" }</button>
                <button type="button" onclick={send(Msg::Open(Dialog::Share))} title="Share this exact moment by link, or export it as a scenario file, JSON or a drawing">{ "Share / Export" }</button>
                <button type="button" aria-label={theme_label} title={theme_label} onclick={send(Msg::CycleTheme)}>
                    <Icon path="M8 1.5a6.5 6.5 0 1 0 0 13zM8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0z" />
                    <span class="theme-name">{ props.theme.as_str() }</span>
                </button>
                <button type="button" aria-label="Help" aria-keyshortcuts="?" title="Help and keyboard shortcuts (?)"
                        onclick={send(Msg::Open(Dialog::Help))}>{ "?" }</button>
            </div>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClockProps {
    /// Display time, whole virtual ms.
    pub time_ms: u64,
    pub step: u64,
    pub end_step: u64,
    pub playing: bool,
}

#[function_component(Clock)]
pub fn clock(props: &ClockProps) -> Html {
    let replay = props.step < props.end_step;
    html! {
        <div class="clock" aria-label="Simulation clock">
            <span class="time" title="virtual time since the start of the run">
                { format!("t = {}.{:03} s", props.time_ms / 1000, props.time_ms % 1000) }
            </span>
            <span class="step" title="events the simulator has fired since the start of the run (a chapter's steps are counted apart, as “Step k of n”)">{ format!("event {}", props.step) }</span>
            if replay {
                <span class="replay" title="You are in the past: playing replays the recording; any action forks the timeline">
                    { format!("replaying · recorded to {}", props.end_step) }
                </span>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LiveClockProps {
    pub playhead: Rc<Playhead>,
    pub frames: Rc<Frames>,
    pub step: u64,
    pub end_step: u64,
    pub playing: bool,
}

/// The [`Clock`] following the playhead on every animation frame (the page around it re-renders
/// only when the step changes). The time shows in 10 ms steps, so most frames change nothing.
#[function_component(LiveClock)]
pub fn live_clock(props: &LiveClockProps) -> Html {
    use_frames(&props.frames);
    let time_ms = props.playhead.vt().floor() as u64 / 10 * 10;
    // Between two refreshes of the page, the frames' newer view is on the playhead.
    let (step, end_step) = props
        .playhead
        .live()
        .map_or((props.step, props.end_step), |v| (v.step, v.end_step));
    html! {
        <Clock {time_ms} {step} {end_step} playing={props.playing} />
    }
}

#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    pub step: u64,
    pub end_step: u64,
    pub markers: Rc<Vec<Marker>>,
    pub dispatch: Dispatch,
}

fn severity(k: MarkerKind) -> u8 {
    match k {
        MarkerKind::Invariant => 7,
        MarkerKind::Lost => 6,
        MarkerKind::Crash => 5,
        MarkerKind::Election => 4,
        MarkerKind::Truncate => 3,
        MarkerKind::Isr => 2,
        MarkerKind::Restart => 1,
    }
}

/// The markers' scale: the recording's length rounded up, so that the marker buttons are only
/// re-rendered when it grows past the next mark (not on every step). The track itself spans the
/// recording exactly: its `--k` (scale ÷ length) stretches the markers' positions to it in CSS.
pub fn scale_for(end_step: u64) -> u64 {
    let mut s = 200u64;
    while s < end_step {
        s = s * 3 / 2;
    }
    s
}

#[function_component(Scrubber)]
pub fn scrubber(props: &ScrubberProps) -> Html {
    let scale = scale_for(props.end_step);
    let d = props.dispatch.clone();
    let end = props.end_step;
    let on_input = Callback::from(move |e: InputEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            if let Ok(v) = input.value().parse::<u64>() {
                d.dispatch(Msg::Seek(v.min(end)));
            }
        }
    });
    // The head of the recording is the right end of the track.
    let stretch = format!("--k: {}", fmt(scale as f64 / end.max(1) as f64));
    html! {
        <div class="scrubber">
            <div class="track" style={stretch}>
                <input type="range" min="0" max={end.max(1).to_string()} step="1" value={props.step.to_string()}
                       aria-label="Timeline: event" aria-valuetext={format!("event {} of {}", props.step, props.end_step)}
                       oninput={on_input} />
                <Markers markers={props.markers.clone()} scale={scale} dispatch={props.dispatch.clone()} />
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MarkersProps {
    markers: Rc<Vec<Marker>>,
    scale: u64,
    dispatch: Dispatch,
}

/// Marker buttons, merged per 0.5 % of the track (the most severe kind wins).
#[function_component(Markers)]
fn markers(props: &MarkersProps) -> Html {
    let mut buckets: Vec<(u64, &Marker, usize)> = Vec::new();
    for m in props.markers.iter() {
        let b = m.step * 200 / props.scale.max(1);
        match buckets.last_mut() {
            Some((lb, lm, n)) if *lb == b => {
                *n += 1;
                if severity(m.kind) > severity(lm.kind) {
                    *lm = m;
                }
            }
            _ => buckets.push((b, m, 1)),
        }
    }
    let items = buckets.into_iter().map(|(_, m, n)| {
        let step = m.step;
        let d = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Msg::Seek(step)));
        let more = if n > 1 {
            format!(" (and {} more here)", n - 1)
        } else {
            String::new()
        };
        let label = format!("Event {step}, t={} ms: {}{more}", m.time, m.label);
        html! {
            <button type="button" class={classes!("marker", m.kind.as_str())}
                    style={format!("left: calc({} * var(--k))", pct(step, props.scale))}
                    aria-label={format!("Jump to {label}")} title={label} {onclick} />
        }
    });
    html! { <div class="markers">{ for items }</div> }
}

//! The state's data: the constants, the messages, and [`AppState`] itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use highwater_core::command::{Action, Command};
use highwater_core::config::{ClusterConfig, TopicConfig};
use highwater_core::read_model::Moment;
use highwater_core::timeline::Timeline;
use highwater_core::tutorial::Player;
use highwater_core::types::{BrokerId, Millis, NodeId, Offset};
use highwater_core::vec_map::VecMap;
use yew::UseReducerDispatcher;

use super::replaying::{PendingReplay, ReplaySource};
use crate::ui::tutorial::link::Link;
use crate::ui::tutorial::{TutorialMsg, TutorialView};
use crate::ui::view::View;
use highwater_core::spacetime::layout::Feed;

/// Playback speeds, in virtual milliseconds per real millisecond.
pub const SPEEDS: [f64; 10] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
pub const DEFAULT_SPEED: usize = 0;
/// How much faster quiet gaps pass when "skip quiet gaps" is on.
pub const IDLE_FACTOR: f64 = 10.0;
pub const DEFAULT_SEED: u64 = 42;
pub const DEFAULT_AUTO_MS: Millis = 800;

/// The default run: lively and readable — three brokers, one topic with two partitions
/// replicated three times, `min.insync.replicas=2`, and timeouts well below Kafka's defaults so
/// that failures resolve within seconds.
pub fn default_config() -> ClusterConfig {
    let mut c = ClusterConfig {
        brokers: 3,
        topics: vec![TopicConfig {
            name: "t".into(),
            partitions: 2,
            replication_factor: 3,
            replicas: vec![],
            retention_bytes: None,
            retention_ms: None,
        }],
        ..ClusterConfig::default()
    };
    c.broker.min_insync_replicas = 2;
    c.broker.replica_lag_time_max_ms = 5_000;
    c.broker.broker_session_timeout_ms = 3_000;
    c.broker.broker_heartbeat_interval_ms = 1_000;
    c.network.latency_ms = 20;
    c.network.jitter_ms = 5;
    c
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Node(NodeId),
    Message(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    None,
    Help,
    Config,
    Share,
    /// Search for a counterexample from the current step (src/ui/search_dialog.rs).
    Search,
    /// What loses, duplicates or reorders what (src/ui/summary.rs, `#summary`).
    Summary,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }
    pub fn next(self) -> Theme {
        match self {
            Theme::Auto => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Auto,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message to the user above the picture (bad link, corrupt storage, refused command, fork).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub level: Level,
    /// Notices with the same topic replace each other.
    pub topic: &'static str,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Crash,
    Restart,
    Election,
    Isr,
    Truncate,
    Lost,
    Invariant,
}

impl MarkerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::Crash => "crash",
            MarkerKind::Restart => "restart",
            MarkerKind::Election => "election",
            MarkerKind::Isr => "isr",
            MarkerKind::Truncate => "truncate",
            MarkerKind::Lost => "lost",
            MarkerKind::Invariant => "invariant",
        }
    }
}

/// A notable moment on the timeline scrubber.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub step: u64,
    pub time: Millis,
    pub kind: MarkerKind,
    pub label: String,
}

/// A record that was just truncated away, drawn fading out where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ghost {
    pub key: u64,
    pub part: usize,
    pub offset: Offset,
    pub epoch: i32,
    pub label: String,
    pub lost: bool,
    pub(super) born_ms: u64,
}

/// A big moment (an election, an ISR change, a truncation, a lost record, a fencing) called
/// out in the picture for a moment (issue 16 item 5); the core's typed [`Moment`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callout {
    pub key: u64,
    /// The call-outs added by one refresh share a batch: the newest batch is announced.
    pub batch: u64,
    pub step: u64,
    pub moment: Moment,
    pub(super) born_ms: u64,
}

/// HW and LEO of every replica over time, for the plot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Samples {
    /// (broker, partition index) of each value column.
    pub keys: Vec<(BrokerId, usize)>,
    pub points: Vec<SamplePoint>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamplePoint {
    pub step: u64,
    pub time: Millis,
    /// (HW, LEO) per key.
    pub vals: Vec<(Offset, Offset)>,
}

/// A new run from the configuration panel.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRun {
    pub config: ClusterConfig,
    pub seed: u64,
    pub auto_ms: Millis,
}

/// A keyboard shortcut ([`crate::ui::keyboard`] maps keys to these; the reducer decides what
/// each means in the current dialog and tutorial).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    PlayPause,
    Step,
    Back,
    Faster,
    Slower,
    Help,
    Escape,
}

/// Everything the page can ask of the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame: `dt` real milliseconds passed.
    Tick(f64),
    TogglePlay,
    Pause,
    Step,
    Back,
    Seek(u64),
    SetSpeed(usize),
    Faster,
    Slower,
    ToggleSkipIdle,
    ToggleManual,
    ToggleHeartbeats,
    Command(Command),
    Act(Action),
    NewRun(Box<NewRun>),
    /// A `#run=…` link pasted into the address bar.
    LoadLink(String),
    /// Drop the link or saved session being replayed; the current run stays.
    CancelReplay,
    Select(Selection),
    Open(Dialog),
    CycleTheme,
    SetCompact(bool),
    PlotPartition(usize),
    Notify(Level, &'static str, String),
    Dismiss(u64),
    Shortcut(Shortcut),
    /// Tutorial mode (src/ui/tutorial/).
    Tutorial(TutorialMsg),
    /// Opens or closes the space-time diagram (src/ui/spacetime/).
    ShowDiagram(bool),
    /// The panels below the picture came on screen (`true`) or left it.
    PanelsInView(bool),
}

/// What the page found when it started (read by `url.rs` and `storage.rs`).
#[derive(Clone, Debug)]
pub struct Boot {
    /// The address's fragment without `#`.
    pub hash: Option<String>,
    /// The saved session, or why it could not be read.
    pub stored: Result<Option<String>, String>,
    pub theme: Option<String>,
    pub compact: bool,
    /// `index.html?embed`: minimal chrome, nothing written to `localStorage`.
    pub embed: bool,
    /// A tutorial's Next plays the step's messages (the browser; `prefers-reduced-motion` is
    /// asked again at each Next). Off in tests that want Next to jump at once.
    pub animate_steps: bool,
}

impl Default for Boot {
    fn default() -> Self {
        Boot {
            hash: None,
            stored: Ok(None),
            theme: None,
            compact: false,
            embed: false,
            animate_steps: false,
        }
    }
}

/// The reducer's dispatcher: stable across renders, so props holding it compare equal.
pub type Dispatch = UseReducerDispatcher<AppState>;

/// The playhead: the display time `vt` (virtual ms, ≥ the cluster's clock) and the real ms
/// played. It is shared by every copy of the state, like the timeline, so that a frame that only
/// moves the playhead (no step fired, nothing else changed) leaves the state itself unchanged:
/// the page does not re-render, and only the animation layer (messages, clock) redraws.
#[derive(Debug, Default)]
pub struct Playhead {
    vt: Cell<f64>,
    real_ms: Cell<f64>,
    /// Steps fired while playing since the picture was last rebuilt.
    unshown: Cell<u32>,
    /// The newest view while it is ahead of the state's: frames of a busy run that only move
    /// the messages in flight keep the state (the page does not re-render) and put their view
    /// here, where the animation layer (messages, clock) draws from.
    live: RefCell<Option<Rc<View>>>,
}

impl Playhead {
    /// A playhead at virtual time `vt`.
    pub fn at(vt: f64) -> Playhead {
        Playhead {
            vt: Cell::new(vt),
            ..Playhead::default()
        }
    }
    /// Display time, virtual ms.
    pub fn vt(&self) -> f64 {
        self.vt.get()
    }
    pub(super) fn set_vt(&self, vt: f64) {
        self.vt.set(vt);
    }
    /// Real ms played since the page started.
    pub fn real_ms(&self) -> f64 {
        self.real_ms.get()
    }
    pub(super) fn advance_real(&self, dt: f64) {
        self.real_ms.set(self.real_ms.get() + dt);
    }
    /// The view of the last frames, if newer than the state's.
    pub fn live(&self) -> Option<Rc<View>> {
        self.live.borrow().clone()
    }
    pub(super) fn set_live(&self, view: Option<Rc<View>>) {
        *self.live.borrow_mut() = view;
    }
    /// Adds `steps` to the steps not yet shown in the picture; their number now.
    pub(super) fn add_unshown(&self, steps: u32) -> u32 {
        self.unshown.set(self.unshown.get() + steps);
        self.unshown.get()
    }
    pub(super) fn clear_unshown(&self) {
        self.unshown.set(0);
    }
}

/// One playhead is equal only to itself: props holding it compare by identity.
impl PartialEq for Playhead {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for Playhead {}

/// The whole state of the page.
#[derive(Clone)]
pub struct AppState {
    pub(crate) tl: Rc<RefCell<Timeline>>,
    pub view: Rc<View>,
    /// The view the panels below the picture show: `view` while they are on screen or the run
    /// is paused; while playing with them scrolled away it stays behind, so that panels nobody
    /// sees cost no rendering (`ui/in_view.rs` tells where they are).
    pub panels_view: Rc<View>,
    /// Whether the panels below the picture are on screen.
    pub panels_in_view: bool,
    /// Display time and real play time, shared with the animation layer (see [`Playhead`]).
    pub playhead: Rc<Playhead>,
    pub playing: bool,
    pub speed: usize,
    pub skip_idle: bool,
    pub manual: bool,
    pub show_heartbeats: bool,
    pub selection: Selection,
    pub dialog: Dialog,
    pub theme: Theme,
    pub compact: bool,
    pub notices: Rc<Vec<Notice>>,
    pub(super) next_notice: u64,
    pub markers: Rc<Vec<Marker>>,
    pub(super) marker_scan: u64,
    pub samples: Rc<RefCell<Samples>>,
    /// Bumped when the plot should redraw.
    pub samples_version: u64,
    pub ghosts: Rc<VecMap<BrokerId, Rc<Vec<Ghost>>>>,
    pub(super) ghost_seq: u64,
    /// The big moments called out in the picture, newest last; each goes after
    /// [`CALLOUT_MS`](super::derived::CALLOUT_MS) of real time.
    pub callouts: Rc<Vec<Callout>>,
    pub(super) last_panels: f64,
    pub(super) last_picture: f64,
    pub(super) last_persist: f64,
    pub(super) last_announce: f64,
    pub(super) announced_step: u64,
    /// Polite live-region text: the latest notable event.
    pub announcement: Rc<str>,
    /// Bumped whenever the URL and the saved session should be rewritten with `fragment`.
    pub persist: u64,
    pub fragment: Rc<str>,
    pub config_error: Option<String>,
    pub plot_part: usize,
    /// Bumped for every new run (the config form re-reads the configuration).
    pub run_id: u64,
    pub auto_ms: Millis,
    /// The tutorial being played, if any (src/ui/tutorial/).
    pub tutorial: Option<Rc<TutorialView>>,
    pub(crate) player: Option<Rc<RefCell<Player>>>,
    /// The chapter index is open.
    pub tutorial_index: bool,
    /// A link waiting for its built-in file (the page fetches it: `ui/catalog_fetch.rs`).
    pub fetching: Option<Link>,
    /// Embedded (`?embed`): minimal chrome, no `localStorage` writes.
    pub embed: bool,
    /// Whether a tutorial's Next animates its step (see [`Boot::animate_steps`]).
    pub animate_steps: bool,
    /// The tutorial step being played forward after Next, while it plays.
    pub hop: Option<Hop>,
    /// Least real time between two redraws while playing (0: every animation frame).
    pub frame_ms: f64,
    /// A link or saved session being replayed in slices (shared by the clones of the state).
    pub(crate) pending: Rc<RefCell<Option<(PendingReplay, Samples)>>>,
    /// Its progress, while there is one.
    pub replay: Option<ReplayProgress>,
    /// The space-time diagram's feed while it is open (`None`: closed, nothing copied).
    pub diagram: Option<Rc<Feed>>,
    /// Real ms when the diagram's feed was last built.
    pub(super) diagram_ms: f64,
}

/// A tutorial step played forward after Next: the playhead runs at `rate` until the timeline
/// reaches the step's end (`end_step`, `end_time`), where the player's position `to` holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hop {
    /// The position being played to.
    pub to: usize,
    /// `Timeline::step` at the step's end.
    pub end_step: u64,
    /// Virtual ms at the step's end.
    pub end_time: f64,
    /// Virtual ms per real ms.
    pub rate: f64,
    /// `Playhead::real_ms` when it started.
    pub started: f64,
}

/// How far a sliced replay is (see [`PendingReplay`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReplayProgress {
    /// A link or the saved session.
    pub source: ReplaySource,
    /// From 0 to 1.
    pub fraction: f64,
    /// Simulated events replayed so far.
    pub events: u64,
}

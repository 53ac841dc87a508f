//! The reducer: the timeline and the UI state. It is the only place that calls the core.
//!
//! Components dispatch [`Msg`]s; [`AppState::reduce`] applies them to the [`Timeline`] and
//! rebuilds the [`View`] (reusing unchanged parts). Side effects — the URL, `localStorage`, the
//! theme attribute — are *not* performed here: the reducer only bumps [`AppState::persist`] and
//! keeps [`AppState::fragment`] current, and effects in `ui/mod.rs` write them out.
//!
//! Time: `vt` is the display time (virtual ms), which moves smoothly between events while
//! playing; the cluster's clock jumps from event to event. Playing at speed `s` advances `vt` by
//! `s` virtual ms per real ms; with "skip quiet gaps" on, stretches where no request or response
//! is on the wire (only timers pending, or heartbeats) pass [`IDLE_FACTOR`] times faster.

pub mod tutorial_play;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use highwater_core::cluster::Cluster;
use highwater_core::command::{Action, Command, Input};
use highwater_core::config::{Acks, ClusterConfig, TopicConfig};
use highwater_core::event::EventKind;
use highwater_core::timeline::{Run, Timeline};
use highwater_core::tutorial::Player;
use highwater_core::types::{BrokerId, Millis, NodeId, Offset};
use yew::{Reducible, UseReducerDispatcher};

use super::tutorial::{self, TutorialMsg, TutorialView};
use super::view::{BuildOptions, Cell, EventRow, View};

/// Playback speeds, in virtual milliseconds per real millisecond.
pub const SPEEDS: [f64; 10] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
pub const DEFAULT_SPEED: usize = 0;
/// How much faster quiet gaps pass when "skip quiet gaps" is on.
pub const IDLE_FACTOR: f64 = 10.0;
pub const DEFAULT_SEED: u64 = 42;
pub const DEFAULT_AUTO_MS: Millis = 800;

/// A frame longer than this (a background tab) counts as this long.
const MAX_FRAME_DT: f64 = 100.0;
const MAX_STEPS_PER_FRAME: u32 = 20_000;
/// Real milliseconds a frame may spend simulating before the display falls behind.
const FRAME_BUDGET_MS: f64 = 8.0;
/// While playing, the panels (event log, ledger, invariants, plot) refresh at most this often.
const PANEL_REFRESH_MS: f64 = 400.0;
/// While playing with many events per frame, the brokers redraw at most this often.
const PICTURE_REFRESH_MS: f64 = 200.0;
/// Up to this many events since the last redraw, the brokers redraw at once.
const CALM_STEPS: u32 = 6;
/// While a frame fires more than `CALM_STEPS` events, the page redraws at most this often (30
/// frames a second): the messages move half as often and the browser stays responsive.
const BUSY_FRAME_MS: f64 = 1000.0 / 30.0;
/// While playing, the URL and the saved session are rewritten at most this often.
const PERSIST_EVERY_MS: f64 = 2_000.0;
/// Screen-reader announcements while playing, at most this often.
const ANNOUNCE_EVERY_MS: f64 = 2_000.0;
/// How long a truncated record's ghost stays (its CSS animation is shorter).
const GHOST_MS: f64 = 1_500.0;
const MAX_SAMPLES: usize = 6_000;

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
    born_ms: u64,
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
    NewRun(NewRun),
    /// A `#run=…` link pasted into the address bar.
    LoadLink(String),
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
}

impl Default for Boot {
    fn default() -> Self {
        Boot {
            hash: None,
            stored: Ok(None),
            theme: None,
            compact: false,
            embed: false,
        }
    }
}

/// The reducer's dispatcher: stable across renders, so props holding it compare equal.
pub type Dispatch = UseReducerDispatcher<AppState>;

/// The whole state of the page.
#[derive(Clone)]
pub struct AppState {
    pub(crate) tl: Rc<RefCell<Timeline>>,
    pub view: Rc<View>,
    /// Display time in virtual ms (≥ the cluster's clock).
    pub vt: f64,
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
    next_notice: u64,
    pub markers: Rc<Vec<Marker>>,
    marker_scan: u64,
    pub samples: Rc<RefCell<Samples>>,
    /// Bumped when the plot should redraw.
    pub samples_version: u64,
    pub ghosts: Rc<BTreeMap<BrokerId, Rc<Vec<Ghost>>>>,
    ghost_seq: u64,
    real_ms: f64,
    last_panels: f64,
    last_picture: f64,
    /// Steps fired while playing since the picture was last rebuilt.
    steps_unshown: u32,
    last_persist: f64,
    last_announce: f64,
    announced_step: u64,
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
    /// Embedded (`?embed`): minimal chrome, no `localStorage` writes.
    pub embed: bool,
    /// Least real time between two redraws while playing (0: every animation frame).
    pub frame_ms: f64,
}

/// Real time in ms, for the per-frame budget (0 outside the browser: no budget in native tests).
fn clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Replays a run input by input (rather than `Timeline::from_run`) so that every step is sampled
/// for the plot and the recording keeps exactly the same shape.
fn replay(run: &Run, mut on_step: impl FnMut(&Timeline)) -> Result<Timeline, String> {
    let mut tl = Timeline::new(run.config.clone(), run.seed).map_err(|e| e.0)?;
    on_step(&tl);
    for (i, input) in run.inputs.iter().enumerate() {
        let err = |e: String| format!("step {} of the recording: {e}", i + 1);
        match input {
            Input::Command(c) => tl.apply(c.clone()).map_err(|e| err(e.0))?,
            Input::Action(a) => tl.act(a.clone()).map_err(|e| err(e.0))?,
            Input::Steps(n) => {
                for _ in 0..*n {
                    if !tl.step_forward() {
                        break;
                    }
                    on_step(&tl);
                }
            }
            Input::RunUntil(t) => tl.run_until(*t),
        }
        on_step(&tl);
    }
    Ok(tl)
}

/// Fresh timeline for a configuration: the cluster, every producer auto-producing.
fn start(config: ClusterConfig, seed: u64, auto_ms: Millis) -> Result<Timeline, String> {
    let producers = config.producers;
    let mut tl = Timeline::new(config, seed).map_err(|e| e.0)?;
    if auto_ms > 0 {
        for producer in 1..=producers {
            tl.apply(Command::AutoProduce {
                producer,
                interval_ms: auto_ms,
                topic: None,
                acks: None,
            })
            .map_err(|e| e.0)?;
        }
    }
    Ok(tl)
}

fn busy(c: &Cluster) -> bool {
    c.in_flight().any(|e| !e.msg.is_heartbeat())
}

fn marker_of(e: &highwater_core::event::Event) -> Option<Marker> {
    let kind = match e.kind {
        EventKind::Crash => MarkerKind::Crash,
        EventKind::Restart => MarkerKind::Restart,
        EventKind::Election => MarkerKind::Election,
        EventKind::Isr if e.node == Some(NodeId::Controller) => MarkerKind::Isr,
        EventKind::Truncate => MarkerKind::Truncate,
        EventKind::Lost => MarkerKind::Lost,
        EventKind::Invariant => MarkerKind::Invariant,
        _ => return None,
    };
    let who = e.node.map(|n| format!("{n}: ")).unwrap_or_default();
    Some(Marker {
        step: e.step,
        time: e.time,
        kind,
        label: format!("{who}{}", e.text),
    })
}

impl AppState {
    /// The default run, as a first-time visitor sees it.
    pub fn new_default() -> AppState {
        AppState::boot(Boot {
            stored: Ok(None),
            ..Boot::default()
        })
    }

    /// The page at start-up: the run in the link, else the saved session, else the default.
    pub fn boot(boot: Boot) -> AppState {
        let mut notices = Vec::new();
        let mut samples = Samples::default();
        let mut loaded: Option<Timeline> = None;
        let hash_run = boot
            .hash
            .as_deref()
            .and_then(|h| h.strip_prefix("run="))
            .map(str::to_string);
        let deep_link = boot.hash.as_deref().and_then(tutorial::link::parse);
        if deep_link.is_some() || (boot.embed && hash_run.is_none()) {
            // A tutorial link (opened below) or an embed: the saved session is not read.
        } else if let Some(frag) = hash_run {
            match Run::from_fragment(&frag).and_then(|run| {
                replay(&run, |tl| sample(&mut samples, tl.current()))
                    .map_err(|e| format!("it cannot be replayed ({e})"))
            }) {
                Ok(tl) => loaded = Some(tl),
                Err(e) => notices.push((
                    Level::Error,
                    "link",
                    format!("This link could not be opened: {e}. The default scenario is shown instead."),
                )),
            }
        } else {
            match &boot.stored {
                Ok(Some(frag)) => match Run::from_fragment(frag).and_then(|run| {
                    samples = Samples::default();
                    replay(&run, |tl| sample(&mut samples, tl.current()))
                }) {
                    Ok(tl) => loaded = Some(tl),
                    Err(e) => notices.push((
                        Level::Warning,
                        "storage",
                        format!("The session saved in this browser could not be restored ({e}); it was set aside and the default scenario is shown."),
                    )),
                },
                Ok(None) => {}
                Err(e) => notices.push((
                    Level::Warning,
                    "storage",
                    format!("This browser's storage cannot be read ({e}); the session will not be kept."),
                )),
            }
        }
        let tl = match loaded {
            Some(tl) => tl,
            None => {
                samples = Samples::default();
                let tl = start(default_config(), DEFAULT_SEED, DEFAULT_AUTO_MS)
                    .expect("the default configuration is valid");
                sample(&mut samples, tl.current());
                tl
            }
        };
        let mut s = AppState::from_timeline(tl, samples);
        s.theme = Theme::parse(boot.theme.as_deref().unwrap_or(""));
        s.compact = boot.compact;
        s.embed = boot.embed;
        for (level, topic, text) in notices {
            s.notify(level, topic, text);
        }
        if let Some(link) = deep_link {
            tutorial_play::open_link(&mut s, link);
        }
        s
    }

    fn from_timeline(tl: Timeline, samples: Samples) -> AppState {
        let view = View::build(
            tl.current(),
            tl.events(),
            tl.end_step(),
            tl.at_end(),
            None,
            BuildOptions {
                picture: true,
                panels: true,
                hash: true,
                enabled: false,
            },
        );
        let vt = tl.current().now() as f64;
        let fragment: Rc<str> = tl.run().to_fragment().into();
        let mut s = AppState {
            tl: Rc::new(RefCell::new(tl)),
            view: Rc::new(view),
            vt,
            playing: false,
            speed: DEFAULT_SPEED,
            skip_idle: true,
            manual: false,
            show_heartbeats: false,
            selection: Selection::None,
            dialog: Dialog::None,
            theme: Theme::Auto,
            compact: false,
            notices: Rc::new(Vec::new()),
            next_notice: 1,
            markers: Rc::new(Vec::new()),
            marker_scan: 0,
            samples: Rc::new(RefCell::new(samples)),
            samples_version: 0,
            ghosts: Rc::new(BTreeMap::new()),
            ghost_seq: 0,
            real_ms: 0.0,
            last_panels: 0.0,
            last_picture: 0.0,
            steps_unshown: 0,
            last_persist: 0.0,
            last_announce: f64::NEG_INFINITY,
            announced_step: 0,
            announcement: "".into(),
            persist: 0,
            fragment,
            config_error: None,
            plot_part: 0,
            run_id: 0,
            auto_ms: DEFAULT_AUTO_MS,
            tutorial: None,
            player: None,
            tutorial_index: false,
            embed: false,
            frame_ms: 0.0,
        };
        s.scan_markers();
        s
    }

    // ---- read-only accessors (for tests and the effects) -----------------------------------

    /// The run up to the current position, as a URL fragment.
    pub fn run_fragment(&self) -> String {
        self.tl.borrow().run().to_fragment()
    }

    /// `Cluster::state_hash` of the current state.
    pub fn state_hash(&self) -> u64 {
        self.tl.borrow().current().state_hash()
    }

    pub fn speed_value(&self) -> f64 {
        SPEEDS[self.speed]
    }

    // ---- mutations ------------------------------------------------------------------------

    pub(crate) fn notify(&mut self, level: Level, topic: &'static str, text: String) {
        let mut v: Vec<Notice> = self
            .notices
            .iter()
            .filter(|n| n.topic != topic)
            .cloned()
            .collect();
        v.push(Notice {
            id: self.next_notice,
            level,
            topic,
            text,
        });
        self.next_notice += 1;
        self.notices = Rc::new(v);
    }

    /// Rebuilds the view after the timeline moved. `forward`: the move was forward in time (so
    /// vanished records are truncations, not time travel). `panels`: the side panels too.
    pub(crate) fn refresh(&mut self, forward: bool, panels: bool) {
        self.refresh_with(forward, true, panels);
    }

    /// Like [`AppState::refresh`]; `picture` false keeps the brokers, controller and producers
    /// of the previous view (only the messages move).
    fn refresh_with(&mut self, forward: bool, picture: bool, panels: bool) {
        if picture {
            self.last_picture = self.real_ms;
            self.steps_unshown = 0;
        }
        let tl = self.tl.borrow();
        let hash = !self.playing;
        let view = View::build(
            tl.current(),
            tl.events(),
            tl.end_step(),
            tl.at_end(),
            Some(&self.view),
            BuildOptions {
                picture,
                panels,
                hash,
                enabled: self.manual,
            },
        );
        drop(tl);
        if forward {
            self.find_ghosts(&view);
        } else if !self.ghosts.is_empty() {
            self.ghosts = Rc::new(BTreeMap::new());
        }
        self.view = Rc::new(view);
        self.vt = self.vt.max(self.view.time as f64);
        self.scan_markers();
        {
            let tl = self.tl.borrow();
            sample(&mut self.samples.borrow_mut(), tl.current());
        }
        if panels {
            self.samples_version += 1;
            self.last_panels = self.real_ms;
            self.announce();
        }
    }

    fn find_ghosts(&mut self, new: &View) {
        let now = self.real_ms as u64;
        let mut map: BTreeMap<BrokerId, Rc<Vec<Ghost>>> = BTreeMap::new();
        for (b, gs) in self.ghosts.iter() {
            let alive: Vec<Ghost> = gs
                .iter()
                .filter(|g| now.saturating_sub(g.born_ms) < GHOST_MS as u64)
                .cloned()
                .collect();
            if alive.len() == gs.len() {
                map.insert(*b, gs.clone());
            } else if !alive.is_empty() {
                map.insert(*b, Rc::new(alive));
            }
        }
        for nb in &new.brokers {
            let Some(ob) = self.view.broker(nb.id) else {
                continue;
            };
            if Rc::ptr_eq(ob, nb) {
                continue;
            }
            let mut fresh = Vec::new();
            for or in &ob.replicas {
                let Some(nr) = nb.replicas.iter().find(|r| r.part == or.part) else {
                    continue;
                };
                for c in &or.cells {
                    let gone = match nr.cells.iter().find(|x| x.offset == c.offset) {
                        Some(x) => x.id != c.id,
                        None => c.offset >= nr.leo,
                    };
                    if gone {
                        self.ghost_seq += 1;
                        fresh.push(ghost(self.ghost_seq, or.part, c, now));
                    }
                }
            }
            if !fresh.is_empty() {
                let mut v: Vec<Ghost> = map
                    .get(&nb.id)
                    .map(|g| g.as_ref().clone())
                    .unwrap_or_default();
                v.extend(fresh);
                map.insert(nb.id, Rc::new(v));
            }
        }
        if map != *self.ghosts {
            self.ghosts = Rc::new(map);
        }
    }

    fn expire_ghosts(&mut self) {
        let now = self.real_ms as u64;
        let stale = self.ghosts.values().any(|gs| {
            gs.iter()
                .any(|g| now.saturating_sub(g.born_ms) >= GHOST_MS as u64)
        });
        if stale {
            let map: BTreeMap<BrokerId, Rc<Vec<Ghost>>> = self
                .ghosts
                .iter()
                .filter_map(|(b, gs)| {
                    let alive: Vec<Ghost> = gs
                        .iter()
                        .filter(|g| now.saturating_sub(g.born_ms) < GHOST_MS as u64)
                        .cloned()
                        .collect();
                    (!alive.is_empty()).then(|| (*b, Rc::new(alive)))
                })
                .collect();
            self.ghosts = Rc::new(map);
        }
    }

    /// Adds markers for events not scanned yet; drops markers beyond a fork.
    fn scan_markers(&mut self) {
        let tl = self.tl.borrow();
        let end = tl.end_step();
        if self.markers.last().is_some_and(|m| m.step > end) {
            let kept: Vec<Marker> = self
                .markers
                .iter()
                .filter(|m| m.step <= end)
                .cloned()
                .collect();
            self.markers = Rc::new(kept);
            self.marker_scan = self.marker_scan.min(end);
        }
        let events = tl.events();
        let from = events.partition_point(|e| e.step <= self.marker_scan);
        let new: Vec<Marker> = events[from..].iter().filter_map(marker_of).collect();
        if let Some(last) = events.last() {
            self.marker_scan = self.marker_scan.max(last.step);
        }
        if !new.is_empty() {
            Rc::make_mut(&mut self.markers).extend(new);
        }
    }

    /// After a fork: forget samples of the discarded future.
    fn prune_future(&mut self) {
        let end = self.tl.borrow().end_step();
        self.samples.borrow_mut().points.retain(|p| p.step <= end);
        self.scan_markers();
    }

    fn announce(&mut self) {
        if self.playing && self.real_ms - self.last_announce < ANNOUNCE_EVERY_MS {
            return;
        }
        let step = self.view.step;
        let notable: Option<&EventRow> = self
            .view
            .events
            .iter()
            .rev()
            .find(|e| e.is_notable() && e.step > self.announced_step && e.step <= step);
        if let Some(e) = notable {
            let who = e.who();
            let text = if who.is_empty() {
                e.text.clone()
            } else {
                format!("{who}: {}", e.text)
            };
            self.announcement = text.into();
            self.announced_step = e.step;
            self.last_announce = self.real_ms;
        }
        if step < self.announced_step {
            self.announced_step = step;
        }
    }

    /// Stops playing: the view gets its state hash and full panels, the URL catches up.
    pub(crate) fn stop(&mut self) {
        if self.playing {
            self.playing = false;
            self.refresh(false, true);
            self.bump_persist();
        }
    }

    pub(crate) fn bump_persist(&mut self) {
        self.persist += 1;
        self.last_persist = self.real_ms;
        self.fragment = self.tl.borrow().run().to_fragment().into();
    }

    fn tick(&mut self, dt: f64) -> bool {
        let dt = dt.clamp(0.0, MAX_FRAME_DT);
        self.real_ms += dt;
        let speed = SPEEDS[self.speed];
        let mut steps = 0u32;
        {
            let mut tl = self.tl.borrow_mut();
            let base = self.vt.max(tl.current().now() as f64);
            let mut idle = self.skip_idle && !busy(tl.current());
            let mut target = base + dt * speed * if idle { IDLE_FACTOR } else { 1.0 };
            let t0 = clock_ms();
            loop {
                let due = match tl.current().next_event_time() {
                    Some(t) => (t as f64) <= target,
                    // Recorded commands may remain with nothing scheduled.
                    None => !tl.at_end(),
                };
                if !due || !tl.step_forward() {
                    break;
                }
                steps += 1;
                if idle && busy(tl.current()) {
                    // A request or response went on the wire: stop fast-forwarding here.
                    target = target.min(tl.current().now() as f64).max(base);
                    idle = false;
                }
                if steps >= MAX_STEPS_PER_FRAME
                    || (steps.is_multiple_of(32) && clock_ms() - t0 > FRAME_BUDGET_MS)
                {
                    // Too much to simulate in one frame: fall behind instead of freezing.
                    target = tl.current().now() as f64;
                    break;
                }
            }
            self.vt = target.max(tl.current().now() as f64);
        }
        self.frame_ms = if steps > CALM_STEPS {
            BUSY_FRAME_MS
        } else {
            0.0
        };
        if steps > 0 {
            // Busy runs change every strip on every frame: then the brokers redraw at most every
            // PICTURE_REFRESH_MS while the messages keep moving on every redraw (see frame_ms).
            self.steps_unshown += steps;
            let picture = self.steps_unshown <= CALM_STEPS
                || self.real_ms - self.last_picture >= PICTURE_REFRESH_MS;
            // The panels wait for a frame that redraws the brokers anyway: one costly frame
            // (style, layout, paint of the page) instead of two.
            let panels = picture && self.real_ms - self.last_panels >= PANEL_REFRESH_MS;
            self.refresh_with(true, picture, panels);
        }
        self.expire_ghosts();
        if self.real_ms - self.last_persist >= PERSIST_EVERY_MS {
            self.bump_persist();
        }
        true
    }

    /// Applies a command at the display time (forking if in the past).
    fn command(&mut self, cmd: Command) {
        let forked;
        let result = {
            let mut tl = self.tl.borrow_mut();
            forked = !tl.at_end();
            let now = tl.current().now();
            if !forked && self.vt.floor() > now as f64 {
                // The user acted between two events: move the clock to what they saw.
                tl.run_until(self.vt.floor() as Millis);
            }
            let step = tl.step();
            tl.apply(cmd).map(|()| step)
        };
        self.after_input(result.map_err(|e| e.0), forked);
    }

    fn act(&mut self, action: Action) {
        let forked;
        let result = {
            let mut tl = self.tl.borrow_mut();
            forked = !tl.at_end();
            let step = tl.step();
            tl.act(action).map(|()| step)
        };
        self.after_input(result.map_err(|e| e.0), forked);
        self.vt = self.view.time as f64;
    }

    fn after_input(&mut self, result: Result<u64, String>, forked: bool) {
        match result {
            Ok(step) => {
                if forked {
                    self.notify(
                        Level::Info,
                        "fork",
                        format!("You changed the past at step {step}: the recorded future was discarded and the timeline forked here."),
                    );
                    self.prune_future();
                }
                self.refresh(true, true);
                self.bump_persist();
            }
            Err(e) => self.notify(Level::Warning, "command", format!("Not possible: {e}.")),
        }
    }

    pub(crate) fn replace_run(&mut self, tl: Timeline, samples: Samples) {
        let mut fresh = AppState::from_timeline(tl, samples);
        fresh.speed = self.speed;
        fresh.skip_idle = self.skip_idle;
        fresh.show_heartbeats = self.show_heartbeats;
        fresh.theme = self.theme;
        fresh.compact = self.compact;
        fresh.notices = self.notices.clone();
        fresh.next_notice = self.next_notice;
        fresh.persist = self.persist;
        fresh.run_id = self.run_id + 1;
        fresh.real_ms = self.real_ms;
        fresh.manual = self.manual;
        fresh.embed = self.embed;
        *self = fresh;
        if self.manual {
            self.refresh(false, true);
        }
        self.bump_persist();
    }
}

fn ghost(key: u64, part: usize, c: &Cell, now: u64) -> Ghost {
    Ghost {
        key,
        part,
        offset: c.offset,
        epoch: c.epoch,
        label: c.label.clone(),
        lost: c.lost,
        born_ms: now,
    }
}

/// Appends a plot sample of every replica's HW and LEO (only when something changed or
/// a quarter second of virtual time passed).
pub(crate) fn sample(s: &mut Samples, c: &Cluster) {
    let step = c.step_count();
    if s.keys.is_empty() {
        for (b, slot) in c.brokers() {
            for (i, tp) in c.partitions().enumerate() {
                if slot.broker.partitions.contains_key(&tp) {
                    s.keys.push((*b, i));
                }
            }
        }
    }
    if let Some(last) = s.points.last() {
        if last.step >= step {
            return; // time travel: the samples up to here exist already
        }
    }
    let tps: Vec<_> = c.partitions().collect();
    let vals: Vec<(Offset, Offset)> = s
        .keys
        .iter()
        .map(|(b, i)| {
            c.broker(*b)
                .and_then(|slot| slot.broker.partitions.get(&tps[*i]))
                .map_or((0, 0), |p| (p.log.high_watermark(), p.log.leo()))
        })
        .collect();
    if let Some(last) = s.points.last() {
        if last.vals == vals && c.now() < last.time + 250 {
            return;
        }
    }
    s.points.push(SamplePoint {
        step,
        time: c.now(),
        vals,
    });
    if s.points.len() > MAX_SAMPLES {
        s.points.drain(..MAX_SAMPLES / 4);
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        tutorial_play::before(&mut s, &msg);
        match msg {
            Msg::Tick(dt) => {
                if !s.playing {
                    return self;
                }
                s.tick(dt);
            }
            Msg::TogglePlay => {
                if s.playing {
                    s.stop();
                } else {
                    s.playing = true;
                    s.manual = false;
                    s.vt = s.vt.max(s.view.time as f64);
                }
            }
            Msg::Pause => {
                if !s.playing {
                    return self;
                }
                s.stop();
            }
            Msg::Step => {
                s.playing = false;
                let moved = s.tl.borrow_mut().step_forward();
                s.vt = s.tl.borrow().current().now() as f64;
                if moved {
                    s.refresh(true, true);
                } else {
                    s.notify(
                        Level::Info,
                        "command",
                        "Nothing is scheduled: there is no next event.".into(),
                    );
                    s.refresh(false, true);
                }
                s.bump_persist();
            }
            Msg::Back => {
                s.playing = false;
                let moved = s.tl.borrow_mut().step_back();
                if !moved && s.vt <= s.view.time as f64 {
                    return self;
                }
                s.vt = s.tl.borrow().current().now() as f64;
                s.refresh(false, true);
                s.bump_persist();
            }
            Msg::Seek(step) => {
                s.playing = false;
                s.tl.borrow_mut().seek(step);
                s.vt = s.tl.borrow().current().now() as f64;
                s.refresh(false, true);
                s.bump_persist();
            }
            Msg::SetSpeed(i) => s.speed = i.min(SPEEDS.len() - 1),
            Msg::Faster => s.speed = (s.speed + 1).min(SPEEDS.len() - 1),
            Msg::Slower => s.speed = s.speed.saturating_sub(1),
            Msg::ToggleSkipIdle => s.skip_idle = !s.skip_idle,
            Msg::ToggleManual => {
                s.stop();
                s.manual = !s.manual;
                s.refresh(false, true);
            }
            Msg::ToggleHeartbeats => s.show_heartbeats = !s.show_heartbeats,
            Msg::Command(cmd) => {
                if let Command::AutoProduce { interval_ms, .. } = &cmd {
                    if *interval_ms > 0 {
                        s.auto_ms = *interval_ms;
                    }
                }
                s.command(cmd);
            }
            Msg::Act(a) => s.act(a),
            Msg::NewRun(req) => match start(req.config, req.seed, req.auto_ms) {
                Ok(tl) => {
                    let mut samples = Samples::default();
                    sample(&mut samples, tl.current());
                    s.replace_run(tl, samples);
                    s.auto_ms = if req.auto_ms > 0 {
                        req.auto_ms
                    } else {
                        DEFAULT_AUTO_MS
                    };
                    s.dialog = Dialog::None;
                    s.config_error = None;
                }
                Err(e) => s.config_error = Some(e),
            },
            Msg::LoadLink(hash) => {
                if let Some(link) = tutorial::link::parse(&hash) {
                    if s.tutorial.as_ref().is_some_and(|t| t.hash() == hash) {
                        return self;
                    }
                    tutorial_play::open_link(&mut s, link);
                    return Rc::new(s);
                }
                let Some(frag) = hash.strip_prefix("run=") else {
                    return self;
                };
                if *frag == *s.fragment {
                    return self;
                }
                let mut samples = Samples::default();
                match Run::from_fragment(frag)
                    .and_then(|run| replay(&run, |tl| sample(&mut samples, tl.current())))
                {
                    Ok(tl) => s.replace_run(tl, samples),
                    Err(e) => s.notify(
                        Level::Error,
                        "link",
                        format!("This link could not be opened: {e}. The current run is kept."),
                    ),
                }
            }
            Msg::Select(sel) => {
                if s.selection == sel {
                    return self;
                }
                s.selection = sel;
            }
            Msg::Open(d) => {
                if d == Dialog::Config {
                    s.config_error = None;
                }
                if d != Dialog::None {
                    s.stop(); // the share dialog shows the current fragment
                }
                s.dialog = d;
            }
            Msg::CycleTheme => s.theme = s.theme.next(),
            Msg::SetCompact(c) => {
                if s.compact == c {
                    return self;
                }
                s.compact = c;
            }
            Msg::PlotPartition(p) => {
                s.plot_part = p;
                s.samples_version += 1;
            }
            Msg::Notify(level, topic, text) => s.notify(level, topic, text),
            Msg::Shortcut(sc) => {
                // On a tutorial's script the arrows move between its steps (off the script, and
                // outside tutorials, they step single events).
                let on_script = s.tutorial.as_ref().is_some_and(|t| !t.off_script);
                let msg = match (s.dialog, sc) {
                    (Dialog::None, Shortcut::Step) if on_script => Msg::Tutorial(TutorialMsg::Next),
                    (Dialog::None, Shortcut::Back) if on_script => Msg::Tutorial(TutorialMsg::Prev),
                    (Dialog::None, Shortcut::PlayPause) => Msg::TogglePlay,
                    (Dialog::None, Shortcut::Step) => Msg::Step,
                    (Dialog::None, Shortcut::Back) => Msg::Back,
                    (Dialog::None, Shortcut::Faster) => Msg::Faster,
                    (Dialog::None, Shortcut::Slower) => Msg::Slower,
                    (Dialog::None, Shortcut::Help) => Msg::Open(Dialog::Help),
                    (Dialog::None, Shortcut::Escape) => Msg::Select(Selection::None),
                    (Dialog::Help, Shortcut::Help) | (_, Shortcut::Escape) => {
                        Msg::Open(Dialog::None)
                    }
                    _ => return self,
                };
                return self.reduce(msg);
            }
            Msg::Dismiss(id) => {
                s.notices = Rc::new(s.notices.iter().filter(|n| n.id != id).cloned().collect());
            }
            Msg::Tutorial(m) => tutorial_play::reduce(&mut s, m),
        }
        Rc::new(s)
    }
}

/// A produce command from the form (empty key = no key).
pub fn produce_command(key: &str, value: &str, acks: Option<Acks>) -> Command {
    Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: (!key.trim().is_empty()).then(|| key.trim().to_string()),
        value: value.to_string(),
        acks,
    }
}

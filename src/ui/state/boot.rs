//! Starting a run: from the address and the saved session ([`Boot`]), from a configuration,
//! or by replaying a recorded run.

use std::cell::RefCell;
use std::rc::Rc;

use highwater_core::command::Command;
use highwater_core::config::ClusterConfig;
use highwater_core::timeline::{Run, Timeline};
use highwater_core::types::Millis;
use highwater_core::vec_map::VecMap;

use super::derived::sample;
use super::model::{
    default_config, AppState, Boot, Dialog, Level, Playhead, ReplayProgress, Samples, Selection,
    Theme, DEFAULT_AUTO_MS, DEFAULT_SEED, DEFAULT_SPEED,
};
use super::replaying::{PendingReplay, ReplaySource, SLICE_EVENTS};
use super::tutorial_play;
use crate::ui::tutorial;
use crate::ui::view::{BuildOptions, View};

/// Starts replaying `run`: at once when it is short (one slice), else in slices from the next
/// animation frames, with progress shown and the current run kept meanwhile.
pub(super) fn open_run(s: &mut AppState, run: Run, source: ReplaySource) -> Result<(), String> {
    let mut p = PendingReplay::new(run, source)?;
    let mut samples = Samples::default();
    sample(&mut samples, p.timeline().current());
    if p.advance(SLICE_EVENTS * 2, &mut |tl| {
        sample(&mut samples, tl.current())
    })? {
        s.replace_run(p.finish(), samples);
        return Ok(());
    }
    s.replay = Some(ReplayProgress {
        source,
        fraction: p.fraction(),
        events: p.events(),
    });
    *s.pending.borrow_mut() = Some((p, samples));
    Ok(())
}

/// The notice for a link that cannot be opened.
pub(super) fn link_refused(e: &str) -> String {
    format!("This link could not be opened: {e}. The default scenario is shown instead.")
}

fn stored_refused(e: &str) -> String {
    format!("The session saved in this browser could not be restored ({e}); it was set aside and the default scenario is shown.")
}

/// The notice for a replay refused or failed: (level, topic, text).
pub(super) fn refused(source: ReplaySource, e: &str) -> (Level, &'static str, String) {
    match source {
        ReplaySource::Link => (
            Level::Error,
            "link",
            link_refused(&format!("it cannot be replayed ({e})")),
        ),
        ReplaySource::Stored => (Level::Warning, "storage", stored_refused(e)),
    }
}

/// Fresh timeline for a configuration: the cluster, every producer auto-producing.
pub(super) fn start(config: ClusterConfig, seed: u64, auto_ms: Millis) -> Result<Timeline, String> {
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
        let mut opening: Option<(Run, ReplaySource)> = None;
        let hash_run = boot
            .hash
            .as_deref()
            .and_then(|h| h.strip_prefix("run="))
            .map(str::to_string);
        let deep_link = boot.hash.as_deref().and_then(tutorial::link::parse);
        if deep_link.is_some() || (boot.embed && hash_run.is_none()) {
            // A tutorial link (opened below) or an embed: the saved session is not read.
        } else if let Some(frag) = hash_run {
            match Run::from_fragment(&frag) {
                Ok(run) => opening = Some((run, ReplaySource::Link)),
                Err(e) => notices.push((Level::Error, "link", link_refused(&e))),
            }
        } else {
            match &boot.stored {
                Ok(Some(frag)) => match Run::from_fragment(frag) {
                    Ok(run) => opening = Some((run, ReplaySource::Stored)),
                    Err(e) => notices.push((Level::Warning, "storage", stored_refused(&e))),
                },
                Ok(None) => {}
                Err(e) => notices.push((
                    Level::Warning,
                    "storage",
                    format!("This browser's storage cannot be read ({e}); the session will not be kept."),
                )),
            }
        }
        let mut samples = Samples::default();
        let tl = start(default_config(), DEFAULT_SEED, DEFAULT_AUTO_MS)
            .expect("the default configuration is valid");
        sample(&mut samples, tl.current());
        let mut s = AppState::from_timeline(tl, samples);
        s.theme = Theme::parse(boot.theme.as_deref().unwrap_or(""));
        s.compact = boot.compact;
        s.embed = boot.embed;
        s.animate_steps = boot.animate_steps;
        if let Some((run, source)) = opening {
            if let Err(e) = open_run(&mut s, run, source) {
                notices.push(refused(source, &e));
            }
        }
        for (level, topic, text) in notices {
            s.notify(level, topic, text);
        }
        if let Some(link) = deep_link {
            tutorial_play::open_link(&mut s, link);
        }
        if !boot.embed && boot.hash.as_deref() == Some(tutorial::link::SUMMARY) {
            s.dialog = Dialog::Summary;
        }
        s
    }

    pub(super) fn from_timeline(tl: Timeline, samples: Samples) -> AppState {
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
        let view = Rc::new(view);
        let mut s = AppState {
            tl: Rc::new(RefCell::new(tl)),
            panels_view: view.clone(),
            panels_in_view: true,
            view,
            playhead: Rc::new(Playhead::at(vt)),
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
            ghosts: Rc::new(VecMap::new()),
            ghost_seq: 0,
            callouts: Rc::new(Vec::new()),
            last_panels: 0.0,
            last_picture: 0.0,
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
            fetching: None,
            embed: false,
            animate_steps: false,
            hop: None,
            frame_ms: 0.0,
            pending: Rc::new(RefCell::new(None)),
            replay: None,
            diagram: None,
            diagram_ms: 0.0,
        };
        s.scan_markers();
        s
    }

    /// The run up to the current position, as a URL fragment.
    pub fn run_fragment(&self) -> String {
        self.tl.borrow().run().to_fragment()
    }

    /// `Cluster::state_hash` of the current state.
    pub fn state_hash(&self) -> u64 {
        self.tl.borrow().current().state_hash()
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
        let vt = fresh.vt();
        fresh.playhead = self.playhead.clone();
        fresh.playhead.set_vt(vt);
        fresh.manual = self.manual;
        fresh.embed = self.embed;
        fresh.animate_steps = self.animate_steps;
        fresh.show_diagram(self.diagram.is_some());
        *self = fresh;
        if self.manual {
            self.refresh(false, true);
        }
        self.bump_persist();
    }
}

impl AppState {
    /// Replays one more slice of the pending link or session, if any; on its last slice the
    /// replayed run replaces the current one. Returns whether anything changed.
    pub(crate) fn advance_pending(&mut self) -> bool {
        let outcome = {
            let mut cell = self.pending.borrow_mut();
            let Some((p, samples)) = cell.as_mut() else {
                return false;
            };
            match p.advance(SLICE_EVENTS, &mut |tl| sample(samples, tl.current())) {
                Ok(false) => {
                    self.replay = Some(ReplayProgress {
                        source: p.source,
                        fraction: p.fraction(),
                        events: p.events(),
                    });
                    return true;
                }
                Ok(true) => Ok(cell.take().expect("present")),
                Err(e) => Err((p.source, e)),
            }
        };
        self.replay = None;
        match outcome {
            Ok((p, samples)) => self.replace_run(p.finish(), samples),
            Err((source, e)) => {
                *self.pending.borrow_mut() = None;
                let (level, topic, text) = refused(source, &e);
                self.notify(level, topic, text);
            }
        }
        true
    }

    /// Drops the pending replay (the Cancel button); the current run stays.
    pub(crate) fn cancel_replay(&mut self) {
        let Some((p, _)) = self.pending.borrow_mut().take() else {
            return;
        };
        self.replay = None;
        let what = match p.source {
            ReplaySource::Link => "Opening the link",
            ReplaySource::Stored => "Restoring the saved session",
        };
        self.notify(
            Level::Info,
            "link",
            format!("{what} was cancelled; the current run is kept."),
        );
    }
}

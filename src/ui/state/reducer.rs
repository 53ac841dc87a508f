//! The reducer: every [`Msg`] applied to the state, and the commands and actions it sends to
//! the timeline.

use std::rc::Rc;

use highwater_core::command::{Action, Command};
use highwater_core::config::Acks;
use highwater_core::timeline::Run;
use highwater_core::types::Millis;
use yew::Reducible;

use super::boot::{open_run, start};
use super::derived::sample;
use super::model::{
    AppState, Dialog, Level, Msg, Notice, Samples, Selection, Shortcut, DEFAULT_AUTO_MS, SPEEDS,
};
use super::replaying::ReplaySource;
use super::tutorial_play;
use crate::ui::tutorial::{self, TutorialMsg};

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        if tutorial_play::interrupt(&mut s, &msg) {
            return Rc::new(s);
        }
        tutorial_play::before(&mut s, &msg);
        match msg {
            Msg::Tick(dt) => {
                // A link or saved session being replayed advances one slice per frame.
                let replayed = s.advance_pending();
                if !s.playing {
                    return if replayed { Rc::new(s) } else { self };
                }
                // A frame that only moved the playhead (shared, see `Playhead`) keeps this state:
                // the page does not re-render; the animation layer redraws on its own
                // (`crate::ui::anim::Frames`). A selected message's "arrives in" needs the page.
                let changed = s.tick(dt);
                if s.hop.is_some() {
                    tutorial_play::after_tick(&mut s);
                    if s.hop.is_none() {
                        return Rc::new(s); // the step played to its end
                    }
                }
                if !changed && !replayed && !matches!(s.selection, Selection::Message(_)) {
                    return self;
                }
            }
            Msg::CancelReplay => s.cancel_replay(),
            Msg::TogglePlay => {
                if s.playing {
                    s.stop();
                } else {
                    s.playing = true;
                    s.manual = false;
                    s.playhead.set_vt(s.vt().max(s.view.time as f64));
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
                s.playhead.set_vt(s.tl.borrow().current().now() as f64);
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
                if !moved && s.vt() <= s.view.time as f64 {
                    return self;
                }
                s.playhead.set_vt(s.tl.borrow().current().now() as f64);
                s.refresh(false, true);
                s.bump_persist();
            }
            Msg::Seek(step) => {
                s.playing = false;
                s.tl.borrow_mut().seek(step);
                s.playhead.set_vt(s.tl.borrow().current().now() as f64);
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
                if hash == tutorial::link::SUMMARY && !s.embed {
                    s.stop();
                    s.dialog = Dialog::Summary;
                    return Rc::new(s);
                }
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
                // A run link replaces a chapter still on its way.
                s.fetching = None;
                if *frag == *s.fragment {
                    return self;
                }
                let opened = Run::from_fragment(frag)
                    .and_then(|run| open_run(&mut s, run, ReplaySource::Link));
                if let Err(e) = opened {
                    s.notify(
                        Level::Error,
                        "link",
                        format!("This link could not be opened: {e}. The current run is kept."),
                    );
                }
            }
            Msg::Select(sel) => {
                if s.selection == sel {
                    return self;
                }
                s.selection = sel;
                // A message picked from frames ahead of the page's view: the inspector needs it.
                if matches!(sel, Selection::Message(_)) && s.playhead.live().is_some() {
                    s.refresh_with(true, false, false);
                }
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
            Msg::ShowDiagram(open) => s.show_diagram(open),
            Msg::PanelsInView(on) => {
                if s.panels_in_view == on {
                    return self;
                }
                s.panels_in_view = on;
                if on {
                    s.show_panels();
                }
            }
        }
        Rc::new(s)
    }
}

impl AppState {
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

    pub(crate) fn bump_persist(&mut self) {
        self.persist += 1;
        self.last_persist = self.playhead.real_ms();
        self.fragment = self.tl.borrow().run().to_fragment().into();
    }

    /// Applies a command at the display time (forking if in the past).
    pub(super) fn command(&mut self, cmd: Command) {
        let forked;
        let result = {
            let mut tl = self.tl.borrow_mut();
            forked = !tl.at_end();
            let now = tl.current().now();
            if !forked && self.vt().floor() > now as f64 {
                // The user acted between two events: move the clock to what they saw.
                tl.run_until(self.vt().floor() as Millis);
            }
            let step = tl.step();
            tl.apply(cmd).map(|()| step)
        };
        self.after_input(result.map_err(|e| e.0), forked);
    }

    pub(super) fn act(&mut self, action: Action) {
        let forked;
        let result = {
            let mut tl = self.tl.borrow_mut();
            forked = !tl.at_end();
            let step = tl.step();
            tl.act(action).map(|()| step)
        };
        self.after_input(result.map_err(|e| e.0), forked);
        self.playhead.set_vt(self.view.time as f64);
    }

    pub(super) fn after_input(&mut self, result: Result<u64, String>, forked: bool) {
        match result {
            Ok(step) => {
                if forked {
                    self.notify(
                        Level::Info,
                        "fork",
                        format!("You changed the past at event {step}: the recorded future was discarded and the timeline forked here."),
                    );
                    self.prune_future();
                }
                self.refresh(true, true);
                self.bump_persist();
            }
            Err(e) => self.notify(Level::Warning, "command", format!("Not possible: {e}.")),
        }
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

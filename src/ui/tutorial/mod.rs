//! Tutorial mode and embedding.
//!
//! * [`link`] — `#tutorial=<id>&step=<n>` and `#scenario=<id>&step=<n>` deep links;
//! * the reducer's tutorial messages (open a chapter, move between its steps, leave the script
//!   and come back) live with the reducer, in [`crate::ui::state`];
//! * [`panel`] — the narration panel, the chapter index and the highlight;
//! * [`focus`] — the panel a step's note names, brought into view and outlined;
//! * [`embed`] — the minimal page shown at `index.html?embed`, [`embed_options`] its query
//!   (host id, theme, controls) and [`host`] the events it posts to the page that embeds it;
//! * [`welcome`] — the first visit's card pointing to the first chapter.

pub mod embed;
pub mod embed_options;
pub mod focus;
pub mod host;
pub mod link;
pub mod panel;
pub mod welcome;

use std::rc::Rc;

use highwater_core::scenario::Found;

pub use link::{Link, LinkKind};

/// What the tutorial panel and index can ask of the state.
#[derive(Clone, Debug, PartialEq)]
pub enum TutorialMsg {
    /// Open a chapter (or a built-in scenario) at a step.
    Open(Link),
    /// Go to position `k` (0 = introduction, k = after step k).
    Go(usize),
    /// The search worker's answer to a step's search (the panel runs it): what it found, or
    /// why it could not run.
    Searched(StepSearch, Result<Found, String>),
    /// The next step: played forward so its messages travel (see
    /// [`crate::ui::state::tutorial_play`]), or at once under reduced motion; while a step
    /// plays, skips to its end.
    Next,
    /// Skip to the end of the step playing.
    Skip,
    Prev,
    /// Return to the step the learner left.
    BackToScript,
    /// Leave tutorial mode, keeping the current run.
    Close,
    /// Show or hide the chapter index.
    ToggleIndex,
    /// The file of a link being opened arrived (and is in the catalog), or could not be fetched.
    Fetched(Link, Result<(), String>),
}

/// A move to position `k` waiting for the search of step `step` (0-based), which the panel runs
/// in the search worker (`request`: the encoded `ToWorker::Step` from the state before it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepSearch {
    pub k: usize,
    pub step: usize,
    pub request: Rc<str>,
}

/// One step in the panel's list of steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLabel {
    pub title: String,
}

/// What the tutorial panel shows (rebuilt by the reducer after every tutorial move).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TutorialView {
    pub link: Link,
    pub name: String,
    pub description: String,
    pub source: String,
    /// 0 = introduction, k = after step k.
    pub position: usize,
    pub steps: Rc<Vec<StepLabel>>,
    pub title: String,
    pub note: String,
    /// CSS selector of the highlighted element of the picture.
    pub highlight: Option<String>,
    /// The panel the step's note names, brought into view and outlined.
    pub focus: Option<highwater_core::tutorial::Panel>,
    /// Expectations of this step that do not hold (normally none).
    pub failures: Vec<String>,
    /// What the step's counterexample search found, in words (`search = { … }` steps).
    pub search: Option<String>,
    /// A move waiting for a step's search: the panel says "Searching…", runs it in the search
    /// worker and sends [`TutorialMsg::Searched`].
    pub searching: Option<StepSearch>,
    /// A search step lies ahead (not applied yet): the panel loads a worker for it meanwhile.
    pub search_ahead: bool,
    /// The step is being played forward after Next ("Playing step k…", with Skip).
    pub playing: bool,
    /// Set when the step could not be played.
    pub error: Option<String>,
    pub off_script: bool,
}

impl TutorialView {
    pub fn len(&self) -> usize {
        self.steps.len()
    }
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// "Step k of n", "Playing step k of n…" while it plays, or "Introduction".
    pub fn counter(&self) -> String {
        if self.playing {
            format!("Playing step {} of {}…", self.position, self.len())
        } else if self.position == 0 {
            format!("Introduction · {} steps", self.len())
        } else {
            format!("Step {} of {}", self.position, self.len())
        }
    }
    /// The fragment that reopens this chapter at this step.
    pub fn hash(&self) -> String {
        Link {
            step: self.position,
            ..self.link.clone()
        }
        .to_hash()
    }
}

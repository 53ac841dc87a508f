//! The reducer: the timeline and the UI state. It is the only place that calls the core.
//!
//! Components dispatch [`Msg`]s; the reducer (`Reducible for AppState`, in `reducer.rs`)
//! applies them to the [`Timeline`](highwater_core::timeline::Timeline) and rebuilds the
//! [`View`](crate::ui::view::View) (reusing unchanged parts). Side effects — the URL, `localStorage`, the
//! theme attribute — are *not* performed here: the reducer only bumps [`AppState::persist`] and
//! keeps [`AppState::fragment`] current, and effects in [`crate::ui::page`] write them out.
//!
//! Time: `vt` is the display time (virtual ms), which moves smoothly between events while
//! playing; the cluster's clock jumps from event to event. Playing at speed `s` advances `vt` by
//! `s` virtual ms per real ms; with "skip quiet gaps" on, stretches where no request or response
//! is on the wire (only timers pending, or heartbeats) pass [`IDLE_FACTOR`] times faster.
//!
//! By job: [`model`] (the data), [`boot`] (starting a run from the address, the saved session or
//! a configuration), [`replaying`] (a link or saved session replayed in slices), [`clock`] (playback), [`derived`] (caches: view, markers, ghosts, samples,
//! announcements), `diagram.rs` (the space-time diagram's feed), [`reducer`] (the messages), [`tutorial_play`] (the tutorial's sub-state).
//! Nothing here imports a component or a hook.

pub mod boot;
pub mod clock;
pub mod derived;
mod diagram;
pub mod model;
pub mod reducer;
pub mod replaying;
pub mod tutorial_play;

pub use model::*;
pub use reducer::produce_command;

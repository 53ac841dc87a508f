//! The cluster picture (SVG): producers on the left, the controller above the brokers, one log
//! strip per replica, links, and the messages in flight moving along them.
//!
//! Rendering is split so that only what changed re-renders: each broker box, the controller,
//! the producers and the link layer take `Rc` props that the view reuses while unchanged, and
//! only the message layer redraws on every animation frame (its dots move with virtual time).

pub mod broker;
pub mod callouts;
pub mod cluster;
pub mod consumers;
pub mod layout;
pub mod legend;
pub mod log_strip;
pub mod marks;
pub mod messages;
pub mod names;
pub mod tag;
pub mod txn_badge;

pub use cluster::ClusterPicture;
pub use legend::legend;

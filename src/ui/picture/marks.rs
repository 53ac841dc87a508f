//! Marks shared by the picture's parts: the leader crown and the leader epochs' colours.

/// The leader crown, in a 14×10 box.
pub const CROWN: &str = "M1 9.5L2 2.5L5 6L7 1L9 6L12 2.5L13 9.5Z";

/// CSS class of a leader epoch's colour (eight colours, cycling).
pub fn epoch_class(epoch: i32) -> String {
    format!("ep{}", epoch.rem_euclid(8))
}

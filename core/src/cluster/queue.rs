//! The scheduler's pending events, ordered by `(due time, sequence)`.
//!
//! A sorted ring buffer: the next event is taken from the front, and most new ones go near one
//! end (a message due in a few milliseconds near the front, a timer far ahead at the back), where
//! an insert moves only the few entries on its shorter side. One allocation, so the checker's
//! copy of a state copies it in one go. Iteration, `Hash` and `Debug` see the entries in key
//! order, as the `BTreeMap` it replaced did, so state hashes are unchanged.

use std::collections::VecDeque;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::Pending;
use crate::types::Millis;

/// A pending event's place in the queue: due time, then scheduling order.
pub(super) type Key = (Millis, u64);

/// Pending events in key order, no key twice.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct EventQueue {
    events: VecDeque<(Key, Pending)>,
}

impl EventQueue {
    /// Number of pending events.
    pub(super) fn len(&self) -> usize {
        self.events.len()
    }

    /// The events in key order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&Key, &Pending)> {
        self.events.iter().map(|(k, p)| (k, p))
    }

    /// The earliest key.
    pub(super) fn first_key(&self) -> Option<Key> {
        self.events.front().map(|(k, _)| *k)
    }

    fn find(&self, key: &Key) -> Result<usize, usize> {
        self.events.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// Adds an event (replacing one with the same key).
    pub(super) fn insert(&mut self, key: Key, p: Pending) {
        let at = match self.events.back() {
            None => Err(0),
            Some((last, _)) if *last < key => Err(self.events.len()),
            Some(_) => self.find(&key),
        };
        match at {
            Ok(i) => self.events[i].1 = p,
            Err(i) => self.events.insert(i, (key, p)),
        }
    }

    /// True if an event has this key.
    pub(super) fn contains_key(&self, key: &Key) -> bool {
        self.find(key).is_ok()
    }

    /// Keeps only the events `keep` accepts, in one pass.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Key, &Pending) -> bool) {
        self.events.retain(|(k, p)| keep(k, p));
    }

    /// Removes the events `take` accepts, in one pass, and returns them in key order.
    pub(super) fn take_where(
        &mut self,
        mut take: impl FnMut(&Pending) -> bool,
    ) -> VecDeque<(Key, Pending)> {
        let (taken, kept) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|(_, p)| take(p));
        self.events = kept;
        taken
    }

    /// Removes and returns the event with this key.
    pub(super) fn remove(&mut self, key: &Key) -> Option<Pending> {
        if self.events.front().is_some_and(|(k, _)| k == key) {
            return self.events.pop_front().map(|(_, p)| p);
        }
        let i = self.find(key).ok()?;
        self.events.remove(i).map(|(_, p)| p)
    }
}

/// As `BTreeMap`'s: the length, then each entry in key order.
impl Hash for EventQueue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.events.len());
        for (k, p) in &self.events {
            (k, p).hash(state);
        }
    }
}

impl fmt::Debug for EventQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::TimerKind;
    use crate::rng::Rng;
    use crate::types::NodeId;
    use std::collections::hash_map::DefaultHasher;
    use std::collections::BTreeMap;

    fn hash_of<T: Hash>(t: &T) -> u64 {
        let mut h = DefaultHasher::new();
        t.hash(&mut h);
        h.finish()
    }

    /// Same entries, order, hash and `Debug` as the `BTreeMap` it replaced, through inserts at
    /// both ends and in the middle and removals from the front and elsewhere.
    #[test]
    fn the_queue_keeps_a_btree_maps_order_and_hash() {
        let mut rng = Rng::new(9);
        let mut got = EventQueue::default();
        let mut want = BTreeMap::new();
        let mut seq = 0;
        for step in 0..3_000 {
            if rng.below(3) < 2 || want.is_empty() {
                seq += 1;
                let key = (rng.below(50), seq);
                let p = Pending::Timer {
                    node: NodeId::Broker(rng.below(4) as u32),
                    kind: TimerKind::RequestTimeout(seq),
                };
                got.insert(key, p.clone());
                want.insert(key, p);
            } else {
                let key = if rng.chance(0.5) {
                    *want.keys().next().expect("not empty")
                } else {
                    *want
                        .keys()
                        .nth(rng.below(want.len() as u64) as usize)
                        .expect("in range")
                };
                assert_eq!(got.remove(&key), want.remove(&key), "step {step}: remove");
                assert_eq!(got.remove(&key), None, "step {step}: removed twice");
            }
            assert!(got.iter().eq(want.iter()), "step {step}: entries");
            assert_eq!(got.first_key(), want.keys().next().copied(), "step {step}");
            assert_eq!(got.len(), want.len(), "step {step}: len");
            assert_eq!(hash_of(&got), hash_of(&want), "step {step}: hash");
        }
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        // Taking one broker's events out leaves the others, both in key order.
        let target = |p: &Pending| p.target() == NodeId::Broker(1);
        let taken: Vec<_> = got.take_where(target).into_iter().collect();
        let (want_taken, want_kept): (Vec<_>, Vec<_>) =
            want.into_iter().partition(|(_, p)| target(p));
        assert!(!taken.is_empty() && !want_kept.is_empty());
        assert_eq!(taken, want_taken);
        assert!(got.iter().map(|(k, p)| (*k, p.clone())).eq(want_kept));
    }
}

//! The countdowns the picture shows while the cluster waits on a timeout the user caused (issue
//! 16 item 5), from the core's read model: a follower that stopped catching up, counted down to
//! the ISR check that drops it, and a producer waiting on a request, counted down to its
//! `request.timeout.ms`. (The controller's wait for a silent broker is in its header.)

use highwater_core::cluster::Cluster;
use highwater_core::ordered;
use highwater_core::read_model::ProducerWait;
use highwater_core::types::{BrokerId, Millis};

use super::format::seconds;
use super::topology::Topology;

/// What the picture counts down at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Countdowns {
    /// Lagging ISR members, earliest deadline first.
    pub lagging: Vec<Lagging>,
    /// Each waiting producer's earliest request time-out.
    pub waits: Vec<ProducerWait>,
}

/// An ISR member that stopped catching up, and when its leader drops it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lagging {
    /// The partition's topology index.
    pub part: usize,
    pub follower: BrokerId,
    pub leader: BrokerId,
    /// The leader's ISR check that finds it out of sync (or the moment it is out of sync,
    /// while no check is pending).
    pub at: Millis,
}

impl Countdowns {
    pub fn build(c: &Cluster, topo: &Topology) -> Countdowns {
        let mut lagging: Vec<Lagging> = c
            .lagging_followers()
            .into_iter()
            .filter_map(|w| {
                Some(Lagging {
                    part: topo.part_index(w.tp)?,
                    follower: w.follower,
                    leader: w.leader,
                    at: w.shrink_at.unwrap_or(w.out_of_sync_at),
                })
            })
            .collect();
        ordered::sort_by_key(&mut lagging, |l| (l.at, l.part, l.follower));
        let mut waits: Vec<ProducerWait> = Vec::new();
        for w in c.producer_waits() {
            // Ordered by producer, then time-out: the first of each producer is its earliest.
            if waits.last().is_none_or(|l| l.producer != w.producer) {
                waits.push(w);
            }
        }
        Countdowns { lagging, waits }
    }

    pub fn is_empty(&self) -> bool {
        self.lagging.is_empty() && self.waits.is_empty()
    }
}

/// "12.1 s": the time left from `now` to `at`, in tenths of a second, rounded down.
pub fn seconds_left(at: Millis, now: Millis) -> String {
    seconds(at.saturating_sub(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_left_counts_tenths_down_and_stops_at_zero() {
        assert_eq!(seconds_left(12_150, 50), "12.1 s");
        assert_eq!(seconds_left(1_000, 999), "0.0 s");
        assert_eq!(seconds_left(1_000, 2_000), "0.0 s");
    }
}

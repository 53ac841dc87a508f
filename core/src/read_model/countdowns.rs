//! Countdowns to timeouts the user caused (issue 16 item 5), computed from the rules and the
//! timers the simulator itself uses: a follower that stopped catching up, counted down to the
//! leader's ISR check that drops it (R2.1, R2.3, `replica.lag.time.max.ms`), and a producer
//! waiting on a request, counted down to its `request.timeout.ms` (R5.3). The controller's wait
//! for a silent broker is [`super::ControllerSummary::silent`].

use serde::{Deserialize, Serialize};

use crate::cluster::{BrokerStatus, Cluster};
use crate::node::TimerKind;
use crate::ordered;
use crate::partition::Role;
use crate::types::{BrokerId, Millis, NodeId, TopicPartition};

/// An ISR member its leader no longer counts as caught up for a while: the leader drops it from
/// the ISR at its first `isr-expiration` check after `replica.lag.time.max.ms` (R2.1, R2.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaggingFollower {
    /// The partition.
    pub tp: TopicPartition,
    /// Its leader, which runs the check.
    pub leader: BrokerId,
    /// The follower that stopped catching up.
    pub follower: BrokerId,
    /// When the follower was last caught up (`lastCaughtUpTimeMs`).
    pub last_caught_up: Millis,
    /// The first moment it is out of sync: `replica.lag.time.max.ms` after that (R2.1).
    pub out_of_sync_at: Millis,
    /// The leader's first ISR check at or after then, which proposes the ISR without it (R2.3;
    /// the checks run every half `replica.lag.time.max.ms`). `None` while the leader has no
    /// check pending (it is paused, or an AlterPartition is in flight).
    pub shrink_at: Option<Millis>,
}

/// A produce request its producer has been waiting on for a while: at `request.timeout.ms` the
/// client gives up on it and retries the record, or fails it for good (R5.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerWait {
    /// The producer, `p<n>`.
    pub producer: u32,
    /// The broker the request went to.
    pub broker: BrokerId,
    /// The partition.
    pub tp: TopicPartition,
    /// When the request was sent.
    pub sent_at: Millis,
    /// When `request.timeout.ms` ends it.
    pub times_out_at: Millis,
    /// Then the record's `delivery.timeout.ms` has passed or its retries are used up: it fails
    /// for good instead of being retried.
    pub fails: bool,
}

impl Cluster {
    /// The leaders' followers behind the leader's LEO and last caught up more than twice
    /// `replica.fetch.wait.max.ms` ago (a follower fetching normally was caught up at its
    /// last fetch, parked at most that long, and catches up again within a round trip of a
    /// new record: the leader answers its parked fetch at once), ordered by partition and
    /// follower.
    pub fn lagging_followers(&self) -> Vec<LaggingFollower> {
        let b = &self.cfg.broker;
        let (lag, quiet) = (b.replica_lag_time_max_ms, 2 * b.replica_fetch_wait_max_ms);
        let period = (lag / 2).max(1); // the isr-expiration timer's period (Broker::handle_timer)
        let mut out = Vec::new();
        for (&leader, slot) in &self.brokers {
            if slot.status != BrokerStatus::Up {
                continue;
            }
            let check = self.timer_due(NodeId::Broker(leader), TimerKind::IsrExpiration);
            for p in slot.broker.partitions.values() {
                let Role::Leader(l) = &p.role else { continue };
                let leo = p.log.leo();
                for &f in p.isr.iter().filter(|&&f| f != leader) {
                    let Some(st) = l.remotes.get(&f) else {
                        continue;
                    };
                    let Some(t) = st.last_caught_up_time else {
                        continue;
                    };
                    // At the leader's LEO it is caught up however long ago (Replica.isCaughtUp, R2.1).
                    if st.leo == Some(leo) || self.now.saturating_sub(t) <= quiet {
                        continue;
                    }
                    let out_of_sync_at = t + lag + 1;
                    let shrink_at = check.filter(|_| l.pending_isr.is_none()).map(|due| {
                        if due >= out_of_sync_at {
                            due
                        } else {
                            due + (out_of_sync_at - due).div_ceil(period) * period
                        }
                    });
                    out.push(LaggingFollower {
                        tp: p.tp,
                        leader,
                        follower: f,
                        last_caught_up: t,
                        out_of_sync_at,
                        shrink_at,
                    });
                }
            }
        }
        ordered::sort_by_key(&mut out, |w| (w.tp, w.follower));
        out
    }

    /// Produce requests in flight for longer than twice `replica.fetch.wait.max.ms` (an
    /// `acks=all` request normally completes within a follower's fetch round), with the time
    /// their `request.timeout.ms` timer fires; ordered by producer, then time-out.
    pub fn producer_waits(&self) -> Vec<ProducerWait> {
        let cfg = &self.cfg;
        let timeout = cfg.producer.request_timeout_ms;
        let patience = 2 * cfg.broker.replica_fetch_wait_max_ms;
        let mut out = Vec::new();
        for p in self.producers.iter() {
            for (&id, f) in &p.in_flight {
                let node = NodeId::Producer(p.id);
                let Some(due) = self.timer_due(node, TimerKind::RequestTimeout(id)) else {
                    continue;
                };
                let sent_at = due.saturating_sub(timeout);
                if self.now.saturating_sub(sent_at) <= patience {
                    continue;
                }
                let r = &f.record;
                out.push(ProducerWait {
                    producer: p.id,
                    broker: f.broker,
                    tp: r.tp,
                    sent_at,
                    times_out_at: due,
                    fails: due.saturating_sub(r.created_at) >= cfg.producer.delivery_timeout_ms
                        || r.attempts > cfg.producer.retries,
                });
            }
        }
        ordered::sort_by_key(&mut out, |w| (w.producer, w.times_out_at));
        out
    }
}

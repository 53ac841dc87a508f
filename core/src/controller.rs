//! The controller: broker liveness by heartbeats, the partition registry (leader, ISR, leader
//! epoch, partition epoch), AlterPartition, and leader elections (R2.5, R3.1–R3.2).
//!
//! Simplification (documented in ARCHITECTURE.md): the KRaft controller quorum is modelled as one
//! node that never crashes and whose decisions are immediately durable. It can still be cut off
//! from brokers by the network, which is what matters for replication. Brokers learn changes
//! from a push (`MetadataUpdate`) and from heartbeat responses, which together behave like the
//! KRaft metadata log that brokers replicate.

use crate::vec_map::VecMap;

use crate::config::ClusterConfig;
use crate::election::{
    elect_leader_with_elr, isr_without, target_elr, ElectionResult, ElectionType,
};
use crate::node::{Observation, Out, TimerKind};
use crate::protocol::{ErrorCode, Message, PartitionRegistration};
use crate::types::{BrokerId, Epoch, Millis, NodeId, TopicPartition};

/// The controller's record of one broker.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrokerRegistration {
    /// The broker's incarnation at its last registration.
    pub incarnation: u64,
    /// The broker epoch granted at its last registration (KIP-380).
    pub broker_epoch: u64,
    /// True while the broker is fenced (no heartbeat within the session timeout).
    pub fenced: bool,
    /// True while the broker is in controlled shutdown.
    pub shutting_down: bool,
    /// The simulated time of the broker's last heartbeat.
    pub last_heartbeat: Millis,
}

/// The controller node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Controller {
    /// Registered brokers, by id.
    pub brokers: VecMap<BrokerId, BrokerRegistration>,
    /// Each partition's registration: replicas, ISR, leader, epochs.
    pub partitions: VecMap<TopicPartition, PartitionRegistration>,
    /// Metadata version at which each partition last changed.
    changed_at: VecMap<TopicPartition, u64>,
    /// The offset of the last record in the metadata log.
    pub metadata_version: u64,
    next_broker_epoch: u64,
    /// Leader epochs handed out, per partition: (epoch, leader), to check "one leader per epoch".
    pub elections: u64,
    /// How many unclean leader elections the controller has made.
    pub unclean_elections: u64,
    /// A broker was fenced, unfenced or began a controlled shutdown since the last publish: the
    /// next [`Controller::publish`] must go out even with no partition change.
    brokers_changed: bool,
    /// The cluster-wide dynamic `unclean.leader.election.enable`, once the admin client set it
    /// (KIP-226; the KRaft controller keeps dynamic configs, ConfigurationControlManager); it
    /// overrides the static configuration.
    dynamic_unclean: Option<bool>,
}

impl Controller {
    /// What a client starting now learns from the controller: each partition's leader and epoch.
    pub(crate) fn client_metadata(&self) -> VecMap<TopicPartition, (Option<BrokerId>, Epoch)> {
        self.partitions
            .values()
            .map(|r| (r.tp, (r.leader, r.leader_epoch)))
            .collect()
    }

    /// A controller for a cluster that is already up: every broker registered and unfenced, every
    /// partition led by its first replica in epoch 0 with a full ISR (a topic created on a running
    /// cluster).
    pub fn bootstrap(brokers: u32, assignment: &[(TopicPartition, Vec<BrokerId>)]) -> Self {
        let mut regs = VecMap::new();
        for b in 1..=brokers {
            regs.insert(
                b,
                BrokerRegistration {
                    incarnation: 1,
                    broker_epoch: b as u64,
                    fenced: false,
                    shutting_down: false,
                    last_heartbeat: 0,
                },
            );
        }
        let mut partitions = VecMap::new();
        let mut changed_at = VecMap::new();
        for (tp, replicas) in assignment {
            partitions.insert(
                *tp,
                PartitionRegistration {
                    tp: *tp,
                    replicas: replicas.clone(),
                    isr: replicas.clone(),
                    leader: replicas.first().copied(),
                    leader_epoch: 0,
                    partition_epoch: 0,
                    recovering: false,
                    elr: Vec::new(),
                },
            );
            changed_at.insert(*tp, 1);
        }
        Controller {
            brokers: regs,
            partitions,
            changed_at,
            metadata_version: 1,
            next_broker_epoch: brokers as u64 + 1,
            elections: 0,
            unclean_elections: 0,
            brokers_changed: false,
            dynamic_unclean: None,
        }
    }

    /// The broker epoch of broker `b`; 0 if it has not registered.
    pub fn broker_epoch(&self, b: BrokerId) -> u64 {
        self.brokers.get(&b).map_or(0, |r| r.broker_epoch)
    }

    fn acceptable(&self, b: BrokerId) -> bool {
        self.brokers
            .get(&b)
            .is_some_and(|r| !r.fenced && !r.shutting_down)
    }

    /// Brokers that are fenced or in controlled shutdown, as published to every broker.
    pub fn ineligible_brokers(&self) -> Vec<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, r)| r.fenced || r.shutting_down)
            .map(|(b, _)| *b)
            .collect()
    }

    /// Creates the topics' partitions and schedules the controller's timers.
    pub fn on_start(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        for r in self.brokers.values_mut() {
            r.last_heartbeat = now;
        }
        self.schedule_session_check(now, cfg, out);
    }

    fn schedule_session_check(&self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let next = self
            .brokers
            .values()
            .filter(|r| !r.fenced)
            .map(|r| r.last_heartbeat + cfg.broker.broker_session_timeout_ms + 1)
            .min();
        match next {
            Some(at) => out.set_timer(TimerKind::SessionCheck, at.max(now)),
            None => out.cancel_timer(TimerKind::SessionCheck),
        }
    }

    /// Handles a timer that fired on the controller.
    pub fn handle_timer(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: TimerKind,
        out: &mut Out,
    ) {
        if kind == TimerKind::SessionCheck {
            let expired: Vec<BrokerId> = self
                .brokers
                .iter()
                .filter(|(_, r)| {
                    !r.fenced && now > r.last_heartbeat + cfg.broker.broker_session_timeout_ms
                })
                .map(|(b, _)| *b)
                .collect();
            for b in expired {
                self.fence(
                    b,
                    cfg,
                    "missed heartbeats for broker.session.timeout.ms",
                    out,
                );
            }
            self.schedule_session_check(now, cfg, out);
        }
    }

    /// R3.2 handleBrokerFenced: remove the broker from every ISR and re-elect where it led.
    fn fence(&mut self, b: BrokerId, cfg: &ClusterConfig, reason: &str, out: &mut Out) {
        if let Some(r) = self.brokers.get_mut(&b) {
            r.fenced = true;
        }
        self.brokers_changed = true;
        out.observe(Observation::BrokerFenced { broker: b });
        let tps: Vec<TopicPartition> = self.partitions.keys().copied().collect();
        let mut changes = Vec::new();
        for tp in tps {
            let reg = &self.partitions[&tp];
            if !reg.isr.contains(&b) && reg.leader != Some(b) {
                continue;
            }
            if let Some(r) = self.change_partition(tp, ElectionType::Online, cfg, reason, out) {
                changes.push(r);
            }
        }
        self.publish(changes, out);
    }

    /// Recomputes the ISR without unacceptable brokers and elects a leader if needed. Returns the
    /// new registration if anything changed.
    fn change_partition(
        &mut self,
        tp: TopicPartition,
        kind: ElectionType,
        cfg: &ClusterConfig,
        reason: &str,
        out: &mut Out,
    ) -> Option<PartitionRegistration> {
        self.change_partition_with(tp, kind, false, cfg, reason, out)
    }

    /// As [`Controller::change_partition`]; with `bounced`, the current leader's process has
    /// restarted, so its leadership ends and a new epoch begins even if it is elected again.
    fn change_partition_with(
        &mut self,
        tp: TopicPartition,
        kind: ElectionType,
        bounced: bool,
        cfg: &ClusterConfig,
        reason: &str,
        out: &mut Out,
    ) -> Option<PartitionRegistration> {
        let old = self.partitions[&tp].clone();
        let acceptable = |b: BrokerId| self.acceptable(b);
        let elr_on = cfg.switches().eligible_leader_replicas;
        // R3.3: with ELR the ISR may become empty; without, its last member stays (R2.3).
        let target_isr = if elr_on {
            old.isr.iter().copied().filter(|&b| acceptable(b)).collect()
        } else {
            isr_without(&old.isr, &|b| !acceptable(b))
        };
        // PartitionChangeBuilder#build: maybePopulateTargetElr runs before the election.
        let target = if elr_on {
            let min_isr = cfg.broker.min_insync_replicas;
            target_elr(&old.isr, &old.elr, &target_isr, min_isr, &|_| false)
        } else {
            Vec::new()
        };
        let leader_ok = !bounced
            && old
                .leader
                .is_some_and(|l| acceptable(l) && target_isr.contains(&l));
        let (leader, isr, unclean) = if leader_ok && kind == ElectionType::Online {
            (old.leader, target_isr, false)
        } else {
            match elect_leader_with_elr(
                kind,
                &old.replicas,
                &target_isr,
                &target,
                if bounced { None } else { old.leader },
                &acceptable,
                self.unclean_leader_election_enable(cfg),
            ) {
                ElectionResult::Leader {
                    leader,
                    unclean,
                    isr,
                } => (Some(leader), isr, unclean),
                ElectionResult::NoLeader { isr } => (None, isr, false),
            }
        };
        // tryElection: a leader from the ELR leaves it; maybeUpdateRecordElr: an unclean election
        // clears it.
        let elr: Vec<BrokerId> = if unclean {
            Vec::new()
        } else {
            target.into_iter().filter(|&b| Some(b) != leader).collect()
        };
        if leader == old.leader && isr == old.isr && elr == old.elr && !bounced {
            return None;
        }
        let leader_changed = leader != old.leader || bounced;
        let old_isr = old.isr.clone();
        let mut reg = old;
        if leader_changed {
            // R3.2: any leader change bumps the leader epoch (also to "no leader").
            reg.leader_epoch += 1;
            self.elections += 1;
            if unclean {
                self.unclean_elections += 1;
            }
        }
        reg.partition_epoch += 1;
        reg.leader = leader;
        reg.isr = isr;
        reg.elr = elr;
        if unclean {
            reg.recovering = true; // KIP-704
        }
        let change = Change {
            unclean,
            leader_changed,
            old_isr,
        };
        observe_change(&reg, change, reason.to_string(), out);
        self.partitions.insert(tp, reg.clone());
        Some(reg)
    }

    /// Bumps the metadata version and pushes the changes to every broker, with the current set of
    /// fenced / shutting-down brokers (published on its own when only that changed).
    fn publish(&mut self, changes: Vec<PartitionRegistration>, out: &mut Out) {
        if changes.is_empty() && !self.brokers_changed {
            return;
        }
        self.brokers_changed = false;
        let ineligible = self.ineligible_brokers();
        self.metadata_version += 1;
        for r in &changes {
            self.changed_at.insert(r.tp, self.metadata_version);
        }
        for &b in self.brokers.keys() {
            out.send(
                NodeId::Broker(b),
                Message::MetadataUpdate {
                    metadata_version: self.metadata_version,
                    changes: changes.clone(),
                    ineligible: ineligible.clone(),
                },
            );
        }
    }

    /// Handles a message delivered to the controller.
    pub fn handle_message(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        match msg {
            Message::BrokerHeartbeat {
                broker,
                incarnation,
                metadata_version,
                shutting_down,
            } => self.on_heartbeat(
                now,
                cfg,
                from,
                broker,
                incarnation,
                metadata_version,
                shutting_down,
                out,
            ),
            Message::AlterPartition {
                request_id,
                broker,
                broker_epoch,
                tp,
                leader_epoch,
                partition_epoch,
                new_isr,
            } => {
                let result = self.alter_partition(
                    broker,
                    broker_epoch,
                    tp,
                    leader_epoch,
                    partition_epoch,
                    new_isr,
                    cfg,
                    out,
                );
                if let Ok(reg) = &result {
                    self.publish(vec![reg.clone()], out);
                }
                out.send(
                    from,
                    Message::AlterPartitionResponse {
                        request_id,
                        tp,
                        result,
                    },
                );
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_heartbeat(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        broker: BrokerId,
        incarnation: u64,
        metadata_version: u64,
        shutting_down: bool,
        out: &mut Out,
    ) {
        let Some(reg) = self.brokers.get(&broker).cloned() else {
            return;
        };
        let restarted = reg.incarnation != incarnation;
        if restarted || (reg.fenced && !shutting_down) {
            // A new process registers and gets a new broker epoch
            // (ClusterControlManager#registerBroker). The same process heartbeating again after
            // its session expired (a pause, a network cut) keeps its epoch and is unfenced:
            // ReplicationControlManager#processBrokerHeartbeat checks the epoch, then
            // BrokerHeartbeatManager#calculateNextBrokerState moves FENCED → UNFENCED and
            // handleBrokerUnfenced records it with the same epoch. Either way the broker is
            // unfenced at once (simplified: Kafka waits until its metadata offset has caught up
            // with its registration record).
            let epoch = if restarted {
                let e = self.next_broker_epoch;
                self.next_broker_epoch += 1;
                e
            } else {
                reg.broker_epoch
            };
            self.brokers.insert(
                broker,
                BrokerRegistration {
                    incarnation,
                    broker_epoch: epoch,
                    fenced: false,
                    shutting_down: false,
                    last_heartbeat: now,
                },
            );
            self.brokers_changed = true;
            out.observe(Observation::BrokerUnfenced {
                broker,
                broker_epoch: epoch,
                registered: restarted,
            });
            let mut changes = Vec::new();
            if restarted && self.elr_on_unclean_restart(&reg, cfg) {
                // ReplicationControlManager#handleBrokerUncleanShutdown (R3.3): a broker back from
                // an unclean shutdown (a crash, not a controlled shutdown) may have lost records
                // committed while the ISR was below min.insync.replicas: it leaves every ELR.
                let tps: Vec<TopicPartition> = self
                    .partitions
                    .values()
                    .filter(|r| r.elr.contains(&broker))
                    .map(|r| r.tp)
                    .collect();
                for tp in tps {
                    let reg = self.partitions.get_mut(&tp).expect("listed");
                    reg.elr.retain(|&b| b != broker);
                    reg.partition_epoch += 1;
                    let reason =
                        format!("b{broker} restarted after an unclean shutdown: it leaves the ELR");
                    let change = Change::isr_only(reg.isr.clone());
                    observe_change(reg, change, reason, out);
                    changes.push(reg.clone());
                }
            }
            if restarted {
                // A new incarnation of a leader: its old process's leadership is over (KRaft
                // registers a new incarnation fenced; ZK ≥ 2.2 treats a bounced broker as failed,
                // KIP-380), so every partition it led gets a new leader epoch — possibly with the
                // same broker elected again. Its ISR membership is kept unless its session expired
                // (the ZK-era behaviour KIP-101's scenarios assume; see ARCHITECTURE.md).
                let led: Vec<TopicPartition> = self
                    .partitions
                    .values()
                    .filter(|r| r.leader == Some(broker))
                    .map(|r| r.tp)
                    .collect();
                for tp in led {
                    let reason = "its leader restarted";
                    if let Some(r) =
                        self.change_partition_with(tp, ElectionType::Online, true, cfg, reason, out)
                    {
                        changes.push(r);
                    }
                }
            }
            // Offline partitions may now get a leader (clean if the broker is in the ISR, R3.2).
            let offline: Vec<TopicPartition> = self
                .partitions
                .values()
                .filter(|r| r.leader.is_none())
                .map(|r| r.tp)
                .collect();
            for tp in offline {
                if let Some(r) =
                    self.change_partition(tp, ElectionType::Online, cfg, "a replica came back", out)
                {
                    changes.push(r);
                }
            }
            self.publish(changes, out);
        } else if let Some(r) = self.brokers.get_mut(&broker) {
            r.last_heartbeat = now;
        }
        let mut should_shut_down = false;
        if shutting_down && !self.brokers[&broker].fenced {
            // Controlled shutdown (R3.1): move leadership away, drop the broker from ISRs.
            self.brokers.get_mut(&broker).expect("known").shutting_down = true;
            self.brokers_changed = true;
            let tps: Vec<TopicPartition> = self
                .partitions
                .values()
                .filter(|r| r.leader == Some(broker) || r.isr.contains(&broker))
                .map(|r| r.tp)
                .collect();
            let mut changes = Vec::new();
            for tp in tps {
                if let Some(r) = self.change_partition(
                    tp,
                    ElectionType::ControlledShutdown,
                    cfg,
                    "controlled shutdown",
                    out,
                ) {
                    changes.push(r);
                }
            }
            self.publish(changes, out);
            self.brokers.get_mut(&broker).expect("known").fenced = true;
            out.observe(Observation::BrokerFenced { broker });
            should_shut_down = true;
        }
        let changes: Vec<PartitionRegistration> = self
            .partitions
            .values()
            .filter(|r| self.changed_at.get(&r.tp).copied().unwrap_or(0) > metadata_version)
            .cloned()
            .collect();
        out.send(
            from,
            Message::HeartbeatResponse {
                broker_epoch: self.brokers[&broker].broker_epoch,
                metadata_version: self.metadata_version,
                changes,
                should_shut_down,
            },
        );
        self.schedule_session_check(now, cfg, out);
    }

    /// The `unclean.leader.election.enable` elections use now: the dynamic value set by
    /// [`Controller::alter_unclean_leader_election`], else the static configuration's.
    pub fn unclean_leader_election_enable(&self, cfg: &ClusterConfig) -> bool {
        self.dynamic_unclean
            .unwrap_or_else(|| cfg.unclean_leader_election_enable())
    }

    /// The admin client's `incrementalAlterConfigs` of the cluster-wide broker config
    /// `unclean.leader.election.enable` (KIP-226 dynamic broker configs). Switched on, every
    /// partition without a leader gets one at once if a live replica exists: Kafka's ZK controller
    /// re-ran the elections on this config change (KAFKA-6526) and the KRaft controller finds
    /// leaderless partitions in its periodic maybeAdjustPartitionLeaders (KAFKA-12670, every 5
    /// minutes by default). Simplification: the KRaft check runs at once instead of on its
    /// period. Switched off, nothing is re-elected; later elections are clean.
    pub fn alter_unclean_leader_election(
        &mut self,
        enable: bool,
        cfg: &ClusterConfig,
        out: &mut Out,
    ) {
        self.dynamic_unclean = Some(enable);
        if !enable {
            return;
        }
        let leaderless: Vec<TopicPartition> = self
            .partitions
            .values()
            .filter(|r| r.leader.is_none())
            .map(|r| r.tp)
            .collect();
        let mut changes = Vec::new();
        for tp in leaderless {
            let reason = "unclean.leader.election.enable was switched on";
            if let Some(r) = self.change_partition(tp, ElectionType::Online, cfg, reason, out) {
                changes.push(r);
            }
        }
        self.publish(changes, out);
    }

    /// Whether a restarted broker's previous process ended uncleanly (it crashed rather than
    /// finishing a controlled shutdown) while eligible leader replicas are on. Simplification:
    /// Kafka learns it from the registration's `previousBrokerEpoch` (KIP-966).
    fn elr_on_unclean_restart(&self, previous: &BrokerRegistration, cfg: &ClusterConfig) -> bool {
        cfg.switches().eligible_leader_replicas && !previous.shutting_down
    }

    /// AlterPartition validation and application (R2.5). On success the partition epoch increments.
    #[allow(clippy::too_many_arguments)]
    fn alter_partition(
        &mut self,
        broker: BrokerId,
        broker_epoch: u64,
        tp: TopicPartition,
        leader_epoch: i32,
        partition_epoch: i32,
        new_isr: Vec<BrokerId>,
        cfg: &ClusterConfig,
        out: &mut Out,
    ) -> Result<PartitionRegistration, ErrorCode> {
        if self
            .brokers
            .get(&broker)
            .is_none_or(|r| r.broker_epoch != broker_epoch)
        {
            return Err(ErrorCode::StaleBrokerEpoch);
        }
        let Some(reg) = self.partitions.get(&tp) else {
            return Err(ErrorCode::InvalidRequest);
        };
        if leader_epoch < reg.leader_epoch {
            return Err(ErrorCode::FencedLeaderEpoch);
        }
        if reg.leader != Some(broker) || !new_isr.contains(&broker) {
            return Err(ErrorCode::InvalidRequest);
        }
        if partition_epoch != reg.partition_epoch {
            return Err(ErrorCode::InvalidUpdateVersion);
        }
        if new_isr
            .iter()
            .any(|b| !reg.isr.contains(b) && !self.acceptable(*b))
        {
            // ReplicationControlManager#validateAlterPartitionData (KIP-903).
            return Err(ErrorCode::IneligibleReplica);
        }
        let mut reg = reg.clone();
        let change = Change::isr_only(reg.isr.clone());
        if cfg.switches().eligible_leader_replicas {
            let min_isr = cfg.broker.min_insync_replicas;
            reg.elr = target_elr(&reg.isr, &reg.elr, &new_isr, min_isr, &|_| false);
        }
        reg.isr = new_isr;
        reg.partition_epoch += 1;
        if reg.isr.len() > 1 {
            reg.recovering = false;
        }
        observe_change(&reg, change, format!("AlterPartition from b{broker}"), out);
        self.partitions.insert(tp, reg.clone());
        Ok(reg)
    }
}

/// How a registration changed, besides its new state.
struct Change {
    unclean: bool,
    leader_changed: bool,
    old_isr: Vec<BrokerId>,
}

impl Change {
    /// No leader change; the ISR was `old_isr`.
    fn isr_only(old_isr: Vec<BrokerId>) -> Change {
        Change {
            unclean: false,
            leader_changed: false,
            old_isr,
        }
    }
}

/// Reports a committed registration change to the event log.
fn observe_change(reg: &PartitionRegistration, change: Change, reason: String, out: &mut Out) {
    out.observe(Observation::PartitionChanged {
        tp: reg.tp,
        leader: reg.leader,
        leader_epoch: reg.leader_epoch,
        isr: reg.isr.clone(),
        old_isr: change.old_isr,
        elr: reg.elr.clone(),
        unclean: change.unclean,
        leader_changed: change.leader_changed,
        reason,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const TP: TopicPartition = TopicPartition {
        topic: 0,
        partition: 0,
    };

    fn heartbeat(c: &mut Controller, now: Millis, broker: BrokerId, incarnation: u64) -> Out {
        let mut out = Out::default();
        let msg = Message::BrokerHeartbeat {
            broker,
            incarnation,
            metadata_version: 0,
            shutting_down: false,
        };
        c.handle_message(
            now,
            &ClusterConfig::default(),
            NodeId::Broker(broker),
            msg,
            &mut out,
        );
        out
    }

    #[test]
    fn a_fenced_broker_heartbeating_again_keeps_its_epoch_and_a_restart_gets_a_new_one() {
        // ReplicationControlManager#processBrokerHeartbeat + BrokerHeartbeatManager
        // #calculateNextBrokerState: FENCED → UNFENCED with the same broker epoch; only
        // ClusterControlManager#registerBroker (a new incarnation) hands out a new one.
        let cfg = ClusterConfig::default();
        let mut c = Controller::bootstrap(3, &[(TP, vec![1, 2, 3])]);
        c.on_start(0, &cfg, &mut Out::default());
        let epoch = c.broker_epoch(2);
        // b2 is paused: b1 and b3 heartbeat, b2 does not, and its session expires.
        let late = cfg.broker.broker_session_timeout_ms + 1;
        heartbeat(&mut c, late - 1, 1, 1);
        heartbeat(&mut c, late - 1, 3, 1);
        c.handle_timer(late, &cfg, TimerKind::SessionCheck, &mut Out::default());
        assert!(c.brokers[&2].fenced);
        assert!(!c.partitions[&TP].isr.contains(&2));
        // Resumed: the same process heartbeats again.
        let out = heartbeat(&mut c, late + 10, 2, 1);
        assert!(!c.brokers[&2].fenced, "unfenced by its heartbeat");
        assert_eq!(c.broker_epoch(2), epoch, "same broker epoch");
        assert!(out.effects.iter().any(|e| matches!(
            e,
            crate::node::Effect::Send {
                msg: Message::HeartbeatResponse { broker_epoch, .. },
                ..
            } if *broker_epoch == epoch
        )));
        // Restarted: a new incarnation registers with a new broker epoch.
        heartbeat(&mut c, late + 20, 2, 2);
        assert!(c.broker_epoch(2) > epoch);
        assert!(!c.brokers[&2].fenced);
    }
}

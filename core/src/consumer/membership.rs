//! The member's side of the classic group protocol (R7.4): FindCoordinator, JoinGroup and
//! SyncGroup (the leader member runs the assignor, R7.5), heartbeats, `max.poll.interval.ms`,
//! eager revocation or incremental cooperative rebalancing (KIP-429), LeaveGroup.

use crate::vec_map::VecMap;

use super::{AssignmentChange, CommitKind, Consumer, MemberState, Req, REBALANCES_KEPT};
use crate::assignor::{assign, Strategy, Subscription, TopicPartitionName};
use crate::config::ClusterConfig;
use crate::coordinator::is_internal;
use crate::node::{Observation, Out, TimerKind};
use crate::protocol::{ErrorCode, JoinResult, MemberSubscription, Message};
use crate::types::{Millis, NodeId, TopicPartition};

impl Consumer {
    pub(super) fn find_coordinator(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let msg = |request_id| Message::FindCoordinator {
            request_id,
            key_type: crate::protocol::CoordinatorType::Group,
        };
        self.request_any_broker(now, cfg, Req::FindCoordinator, msg, out);
    }

    /// ConsumerCoordinator#onJoinPrepare: commit (auto-commit only), then revoke everything under
    /// the eager protocol. Under the cooperative one (KIP-429) the member keeps what it owns
    /// through the join (it subscribes to every topic, so nothing leaves its subscription),
    /// unless it lost its generation: then its partitions are lost (`onPartitionsLost`).
    pub(super) fn join_prepare(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.state == MemberState::Stable && cfg.consumer.auto_commit() && !self.app {
            let _ = self.commit(now, cfg, CommitKind::Rebalance, out);
        }
        if !(cfg.cooperative_rebalancing() && self.generation >= 0) {
            self.revoke_all(out);
        }
    }

    pub(super) fn revoke_all(&mut self, out: &mut Out) {
        let all = self.assigned.clone();
        self.revoke(&all, out);
    }

    /// Gives up `partitions`: their positions, buffered records and fetch state go; answers to
    /// fetches in flight for them are ignored.
    fn revoke(&mut self, partitions: &[TopicPartition], out: &mut Out) {
        if partitions.is_empty() {
            return;
        }
        self.assigned.retain(|tp| !partitions.contains(tp));
        self.pending_revoked.extend_from_slice(partitions);
        out.observe(Observation::Revoked {
            consumer: self.id,
            generation: self.generation,
            partitions: partitions.to_vec(),
        });
        for tp in partitions {
            self.positions.remove(tp);
            self.buffer.remove(tp);
            self.stuck.remove(tp);
            self.last_epoch.remove(tp);
            self.fetch_epoch.remove(tp);
            self.validating.remove(tp);
        }
        for r in self.requests.values_mut() {
            if let Req::Fetch { offsets, .. } = r {
                offsets.retain(|(tp, _)| !partitions.contains(tp));
            }
        }
    }

    pub(super) fn send_join(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let Some(c) = self.coordinator else {
            return;
        };
        if self.in_flight(|r| matches!(r, Req::Join | Req::Sync)) {
            return;
        }
        self.state = MemberState::Joining;
        self.needs_rejoin = false;
        let member_id = self.member_id.clone();
        // A pipeline instance subscribes to the input topic only; other consumers to every topic.
        let topics: Vec<String> = match &cfg.pipeline {
            Some(p) => vec![p.input.clone()],
            None => cfg.topics.iter().map(|t| t.name.clone()).collect(),
        };
        // What the member owns and from which generation. The eager sticky assignor keeps its
        // last assignment in its user data (StickyAssignor#onAssignment/#subscriptionUserData,
        // KIP-54, KIP-341), since an eager member has revoked everything before it joins; the
        // other assignors send ConsumerProtocolSubscription's ownedPartitions (empty after an
        // eager revoke) and generationId (ConsumerCoordinator#metadata, KIP-429, KIP-792).
        let (owned, generation) = if cfg.assignment_strategy() == Strategy::Sticky {
            self.sticky_memory.clone()
        } else {
            (self.assigned.clone(), self.generation)
        };
        self.request(
            now,
            cfg,
            c,
            Req::Join,
            |request_id| Message::JoinGroup {
                request_id,
                member_id,
                topics,
                owned,
                generation,
            },
            out,
        );
        if !self.heartbeat_running {
            self.heartbeat_running = true;
            out.set_timer(
                TimerKind::GroupHeartbeat,
                now + cfg.consumer.heartbeat_interval_ms,
            );
        }
    }

    /// Lost the membership (UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION): rejoin as a new member.
    pub(super) fn reset_generation(&mut self, error: ErrorCode) {
        if error == ErrorCode::UnknownMemberId {
            self.member_id.clear();
        }
        self.generation = -1;
        self.state = MemberState::Unjoined;
        self.needs_rejoin = true;
    }

    /// `close()`: commit (auto-commit only), then LeaveGroup.
    pub fn close(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.state == MemberState::Stable && cfg.consumer.auto_commit() && !self.app {
            let _ = self.commit(now, cfg, CommitKind::Rebalance, out);
        }
        if !self.member_id.is_empty() {
            self.send_leave(now, cfg, out);
        }
        self.revoke_all(out);
        self.closed = true;
    }

    /// LeaveGroup to the coordinator, if one is known.
    fn send_leave(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if let Some(c) = self.coordinator {
            let member_id = self.member_id.clone();
            let msg = |request_id| Message::LeaveGroup {
                request_id,
                member_id,
            };
            self.request(now, cfg, c, Req::Leave, msg, out);
        }
    }

    /// The heartbeat thread (AbstractCoordinator.HeartbeatThread).
    pub(super) fn heartbeat(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let busy = !self.processing.is_empty() || self.awaiting.is_some();
        let member = !self.member_id.is_empty() && self.generation >= 0;
        if member && busy && now > self.last_poll + cfg.consumer.max_poll_interval_ms {
            // R7.4: "consumer poll timeout has expired" — the client leaves the group itself.
            self.note(
                out,
                true,
                format!(
                    "did not poll for max.poll.interval.ms ({} ms): leaves the group",
                    cfg.consumer.max_poll_interval_ms
                ),
            );
            self.send_leave(now, cfg, out);
            self.reset_generation(ErrorCode::UnknownMemberId);
        } else if member && !self.in_flight(|r| matches!(r, Req::Heartbeat)) {
            if let Some(c) = self.coordinator {
                let (generation, member_id) = (self.generation, self.member_id.clone());
                self.request(
                    now,
                    cfg,
                    c,
                    Req::Heartbeat,
                    |request_id| Message::GroupHeartbeat {
                        request_id,
                        generation,
                        member_id,
                    },
                    out,
                );
            }
        }
        out.set_timer(
            TimerKind::GroupHeartbeat,
            now + cfg.consumer.heartbeat_interval_ms,
        );
    }

    pub(super) fn on_join(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        req: Req,
        result: Result<JoinResult, ErrorCode>,
        out: &mut Out,
    ) {
        match result {
            Ok(j) => {
                self.generation = j.generation;
                self.member_id = j.member_id.clone();
                self.state = MemberState::Syncing;
                let assignments = if j.leader == j.member_id {
                    self.compute_assignment(cfg, &j.members)
                } else {
                    vec![]
                };
                // The coordinator that answered (the consumer may have forgotten it meanwhile).
                let NodeId::Broker(c) = from else { return };
                self.coordinator = Some(c);
                let (generation, member_id) = (self.generation, self.member_id.clone());
                self.request(
                    now,
                    cfg,
                    c,
                    Req::Sync,
                    |request_id| Message::SyncGroup {
                        request_id,
                        generation,
                        member_id,
                        assignments,
                    },
                    out,
                );
            }
            Err(ErrorCode::UnknownMemberId) => {
                self.reset_generation(ErrorCode::UnknownMemberId);
                self.state = MemberState::Unjoined;
                self.wake(now, now, out);
            }
            Err(e) => self.failed(now, cfg, req, e, out),
        }
    }

    /// The group leader runs the assignor on every member's subscription (R7.5).
    pub(super) fn compute_assignment(
        &self,
        cfg: &ClusterConfig,
        members: &[MemberSubscription],
    ) -> Vec<(String, Vec<TopicPartition>)> {
        let partitions_per_topic: VecMap<String, u32> = cfg
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.partitions))
            .collect();
        let name = |tp: &TopicPartition| {
            TopicPartitionName::new(
                cfg.topics[tp.topic as usize].name.clone(),
                tp.partition as u32,
            )
        };
        let subs: Vec<Subscription> = members
            .iter()
            .map(|m| Subscription {
                member: m.member_id.clone(),
                topics: m.topics.clone(),
                owned: m
                    .owned
                    .iter()
                    .filter(|tp| !is_internal(cfg, **tp))
                    .map(name)
                    .collect(),
                generation: (m.generation >= 0).then_some(m.generation),
            })
            .collect();
        let a = assign(cfg.assignment_strategy(), &partitions_per_topic, &subs);
        a.owned
            .into_iter()
            .map(|(m, tps)| {
                let tps = tps
                    .into_iter()
                    .filter_map(|n| {
                        let ti = cfg.topics.iter().position(|t| t.name == n.topic)?;
                        Some(TopicPartition {
                            topic: ti as u16,
                            partition: n.partition as u16,
                        })
                    })
                    .collect();
                (m, tps)
            })
            .collect()
    }
    /// SyncGroup answered: the assignment of this generation, or rejoin.
    pub(super) fn on_sync(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        result: Result<Vec<TopicPartition>, ErrorCode>,
        out: &mut Out,
    ) {
        match result {
            Ok(tps) => {
                self.state = MemberState::Stable;
                // ConsumerCoordinator#onJoinComplete: the partitions owned but no longer assigned
                // are revoked (under eager nothing is owned here: all was revoked before the
                // join); under the cooperative protocol a member that revoked any rejoins at once,
                // so that the next generation gives them to their new owners (KIP-429,
                // "requestRejoin" after onPartitionsRevoked). The partitions it keeps keep their
                // positions.
                let revoked: Vec<TopicPartition> = self
                    .assigned
                    .iter()
                    .filter(|tp| !tps.contains(tp))
                    .copied()
                    .collect();
                let added: Vec<TopicPartition> = tps
                    .iter()
                    .filter(|tp| !self.assigned.contains(tp))
                    .copied()
                    .collect();
                self.revoke(&revoked, out);
                if !revoked.is_empty() && cfg.cooperative_rebalancing() {
                    self.needs_rejoin = true;
                }
                self.assigned = tps.clone();
                self.rebalances.push(AssignmentChange {
                    generation: self.generation,
                    assigned: tps.clone(),
                    added: added.clone(),
                    revoked: std::mem::take(&mut self.pending_revoked),
                });
                if self.rebalances.len() > REBALANCES_KEPT {
                    self.rebalances.remove(0);
                }
                // StickyAssignor#onAssignment: remember the assignment and its generation.
                self.sticky_memory = (tps.clone(), self.generation);
                self.last_poll = now;
                out.observe(Observation::Assigned {
                    consumer: self.id,
                    generation: self.generation,
                    member_id: self.member_id.clone(),
                    partitions: tps,
                    added,
                });
                self.poll(now, cfg, out);
            }
            Err(e @ (ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration)) => {
                self.reset_generation(e);
                self.poll(now, cfg, out);
            }
            Err(ErrorCode::RebalanceInProgress) => {
                self.state = MemberState::Unjoined;
                self.poll(now, cfg, out);
            }
            Err(e) => self.failed(now, cfg, req, e, out),
        }
    }
    /// A heartbeat's answer: a rebalance under way, or the membership lost.
    pub(super) fn on_heartbeat_response(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        error: Option<ErrorCode>,
        out: &mut Out,
    ) {
        match error {
            None => {}
            Some(ErrorCode::RebalanceInProgress) if self.state == MemberState::Stable => {
                self.needs_rejoin = true;
                self.wake(now, now, out);
            }
            Some(ErrorCode::RebalanceInProgress) => {}
            Some(e @ (ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration)) => {
                self.note(
                    out,
                    true,
                    format!("heartbeat answered {e}: rejoins the group"),
                );
                self.reset_generation(e);
                self.wake(now, now, out);
            }
            Some(e) => self.failed(now, cfg, req, e, out),
        }
    }
}

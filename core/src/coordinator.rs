//! The group coordinator of the classic consumer group protocol (R7.4; GroupCoordinator.scala,
//! GroupMetadata.scala, GroupMetadataManager.scala), running on the broker that leads the group's
//! `__consumer_offsets` partition.
//!
//! Committed offsets (R7.2) are records of that partition, written with acks=all by the broker
//! (see `Broker`'s group handling) and replicated like any other record; the coordinator answers
//! OffsetFetch from the log, so a new leader of the partition knows every acknowledged commit.
//!
//! Simplifications (also in ARCHITECTURE.md):
//! * one group per run, and `__consumer_offsets` has one partition;
//! * a log holds record ids, not bytes, so an offsets record packs its key and value into its id
//!   ([`OffsetsRecord`]);
//! * the group is stored as a generation record and one record per member, written before
//!   SyncGroup is answered (GroupCoordinator#doSyncGroup stores the group), so a new coordinator
//!   never reuses a generation that assigned partitions and knows the members of the current one;
//!   the assignment and the leader are not stored (the first member id is taken as leader);
//! * no static membership, no KIP-394 MEMBER_ID_REQUIRED round trip; the protocol is always
//!   "consumer" with the configured assignor (`group.initial.rebalance.delay.ms` is modelled:
//!   InitialDelayedJoin, KIP-134);
//! * cooperative-sticky follows KIP-429: members keep their partitions through the join, revoke
//!   after SyncGroup only what their new assignment lacks and rejoin at once, so the follow-up
//!   generation assigns it (`consumer/membership.rs`); a member does not fetch while it rejoins
//!   (Kafka's keeps fetching the partitions it owns).

use crate::vec_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::config::{ClusterConfig, OFFSETS_TOPIC};
use crate::log::{RecordId, ReplicaLog};
use crate::node::{Observation, Out};
use crate::protocol::{ErrorCode, JoinResult, MemberSubscription, Message};
use crate::txn::offsets::GroupTxnOffsets;
use crate::txn::RecordTxn;
use crate::types::{BrokerId, Millis, NodeId, Offset, TopicPartition};

/// The `__consumer_offsets` partition of the run's group, when the run has consumers. It comes
/// after the configured topics (its topic index is `cfg.topics.len()`); with one partition the
/// group's partition is `abs(hash(group.id)) % 1 = 0` (GroupMetadataManager#partitionFor).
pub fn offsets_tp(cfg: &ClusterConfig) -> Option<TopicPartition> {
    (cfg.consumers > 0).then_some(TopicPartition {
        topic: cfg.topics.len() as u16,
        partition: 0,
    })
}

/// Whether `tp` is an internal partition (`__consumer_offsets`).
pub fn is_internal(cfg: &ClusterConfig, tp: TopicPartition) -> bool {
    tp.topic as usize >= cfg.topics.len()
}

/// The name of a topic index, internal topic included.
pub fn topic_name(cfg: &ClusterConfig, topic: u16) -> &str {
    match cfg.topics.get(topic as usize) {
        Some(t) => t.name.as_str(),
        None => crate::txn::log_record::internal_topic_name(cfg, topic).unwrap_or(OFFSETS_TOPIC),
    }
}

/// Replication factor of `__consumer_offsets`: `offsets.topic.replication.factor` = 3, capped at
/// the number of brokers.
pub fn offsets_replication_factor(cfg: &ClusterConfig) -> u32 {
    cfg.brokers.min(3)
}

const INTERNAL: u32 = 1 << 31;
const GROUP: u32 = 1 << 30;
const MEMBER: u32 = 1 << 29;
const COUNTER_BITS: u32 = 23;
const OFFSET_BITS: u32 = 20;
/// Largest offset an offsets record can carry (see [`OffsetsRecord`]).
pub const MAX_COMMIT_OFFSET: Offset = (1 << OFFSET_BITS) - 1;

/// The content of one `__consumer_offsets` record, packed into its record id (bit 31 set, so it
/// never collides with a ledger id): an offset commit (topic: 4 bits, partition: 6 bits, offset:
/// 20 bits), a group metadata record (the generation), or one member of that generation (member
/// id `c<consumer>-<counter>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetsRecord {
    /// An offset commit for `tp`.
    Commit {
        /// The committed partition.
        tp: TopicPartition,
        /// The committed offset.
        offset: Offset,
    },
    /// A new group generation.
    Group {
        /// The generation id.
        generation: i32,
    },
    /// A member of the current generation, with member id `c<consumer>-<counter>`.
    Member {
        /// The consumer's index.
        consumer: u32,
        /// How many member ids the consumer had before this one.
        counter: u32,
    },
}

impl OffsetsRecord {
    /// Packs the record into a record id, or `None` if a field does not fit.
    pub fn encode(self) -> Option<RecordId> {
        match self {
            OffsetsRecord::Commit { tp, offset } => {
                if tp.topic >= 16
                    || tp.partition >= 64
                    || !(0..=MAX_COMMIT_OFFSET).contains(&offset)
                {
                    return None;
                }
                Some(
                    INTERNAL
                        | (tp.topic as u32) << 26
                        | (tp.partition as u32) << OFFSET_BITS
                        | offset as u32,
                )
            }
            OffsetsRecord::Group { generation } => (0..(MEMBER as i32))
                .contains(&generation)
                .then_some(INTERNAL | GROUP | generation as u32),
            OffsetsRecord::Member { consumer, counter } => (consumer < 64
                && counter < 1 << COUNTER_BITS)
                .then_some(INTERNAL | GROUP | MEMBER | consumer << COUNTER_BITS | counter),
        }
    }

    /// Unpacks a record id written by [`OffsetsRecord::encode`].
    pub fn decode(id: RecordId) -> Option<OffsetsRecord> {
        if id & INTERNAL == 0 {
            return None;
        }
        if id & GROUP != 0 && id & MEMBER != 0 {
            return Some(OffsetsRecord::Member {
                consumer: (id >> COUNTER_BITS) & 0x3F,
                counter: id & ((1 << COUNTER_BITS) - 1),
            });
        }
        if id & GROUP != 0 {
            return Some(OffsetsRecord::Group {
                generation: (id & (MEMBER - 1)) as i32,
            });
        }
        Some(OffsetsRecord::Commit {
            tp: TopicPartition {
                topic: ((id >> 26) & 0xF) as u16,
                partition: ((id >> OFFSET_BITS) & 0x3F) as u16,
            },
            offset: (id & ((1 << OFFSET_BITS) - 1)) as Offset,
        })
    }

    /// How the record reads in a log strip and the event log, its partition named by
    /// `tp_name` as the picture names it (`commit t-0=3`, issue 16's one vocabulary).
    pub fn describe(id: RecordId, tp_name: &dyn Fn(&TopicPartition) -> String) -> Option<String> {
        Some(match OffsetsRecord::decode(id)? {
            OffsetsRecord::Commit { tp, offset } => format!("commit {}={offset}", tp_name(&tp)),
            OffsetsRecord::Group { generation } => format!("generation {generation}"),
            OffsetsRecord::Member { consumer, counter } => format!("member c{consumer}-{counter}"),
        })
    }
}

/// Committed offsets as a log holds them below `end`: the last commit per partition wins
/// (log compaction keeps the same answer).
pub fn committed_offsets(log: &ReplicaLog, end: Offset) -> VecMap<TopicPartition, Offset> {
    group_offsets(log, end).committed().clone()
}

/// The group's offsets as a log holds them below `end` (GroupMetadataManager loading the
/// partition): plain commits apply at once; a transactional commit (TxnOffsetCommit, R6.8,
/// KIP-447) stays pending until its producer's marker below `end` — COMMIT applies it, ABORT
/// drops it. Like Kafka, a commit counts once its append is replicated (below the HW).
pub fn group_offsets(log: &ReplicaLog, end: Offset) -> GroupTxnOffsets {
    let mut g = GroupTxnOffsets::new();
    for r in log.slice(log.log_start_offset(), end) {
        let pid = r.producer.producer_id;
        match (r.txn, OffsetsRecord::decode(r.id)) {
            (RecordTxn::Control(kind), _) => g.complete(pid, kind),
            (RecordTxn::Transactional, Some(OffsetsRecord::Commit { tp, offset })) => {
                g.pend(pid, tp, offset)
            }
            (RecordTxn::None, Some(OffsetsRecord::Commit { tp, offset })) => g.commit(tp, offset),
            _ => {}
        }
    }
    g
}

/// A member id `c<consumer>-<counter>` as stored in a member record.
fn parse_member(id: &str) -> Option<(u32, u32)> {
    let (c, k) = id.strip_prefix('c')?.split_once('-')?;
    Some((c.parse().ok()?, k.parse().ok()?))
}

/// Classic group states (GroupMetadata.scala); `Dead` is not modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupState {
    /// No members.
    Empty,
    /// Waiting for members to (re)join.
    PreparingRebalance,
    /// Waiting for the leader's assignment in SyncGroup.
    CompletingRebalance,
    /// Members have their assignments.
    Stable,
}

impl GroupState {
    /// The state's name as Kafka writes it.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
        }
    }
}

/// One member as the coordinator knows it (MemberMetadata).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Member {
    /// The consumer node that is this member.
    pub client: NodeId,
    /// The topics the member subscribes to.
    pub topics: Vec<String>,
    /// The partitions the member says it owns (its subscription's `ownedPartitions`).
    pub owned: Vec<TopicPartition>,
    /// The generation `owned` is from (its subscription's `generationId`; `-1` unknown).
    pub owned_generation: i32,
    /// The simulated time of the member's last heartbeat.
    pub last_heartbeat: Millis,
    /// A JoinGroup parked until the rebalance completes.
    pub join_request: Option<u64>,
    /// A SyncGroup parked until the leader's assignment is stored.
    pub sync_request: Option<u64>,
}

/// GroupCoordinator's InitialDelayedJoin (KIP-134): the first rebalance of an Empty group waits
/// `group.initial.rebalance.delay.ms`; when a wait ends and new members joined during it, it waits
/// again, `min(delay, remaining)`, until the rebalance timeout is used up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InitialDelay {
    /// When the current wait ends.
    pub until: Millis,
    /// The length of the current wait (InitialDelayedJoin's `delayMs`).
    pub delay: Millis,
    /// What is left of the rebalance timeout after it (InitialDelayedJoin's `remainingMs`).
    pub remaining: Millis,
}

/// The coordinator of the run's group on one broker; `active` while the broker leads the
/// group's `__consumer_offsets` partition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupCoordinator {
    /// True while this broker leads the `__consumer_offsets` partition and serves the group.
    pub active: bool,
    /// The group's state.
    pub state: GroupState,
    /// The group's generation id.
    pub generation: i32,
    /// The member id of the group leader, which computes the assignment.
    pub leader: Option<String>,
    /// The group's members, by member id.
    pub members: VecMap<String, Member>,
    /// The assignment of the current generation, once the leader sent it.
    pub assignment: VecMap<String, Vec<TopicPartition>>,
    /// When the rebalance stops waiting for members to rejoin (R7.4 rebalance timeout).
    pub rebalance_deadline: Option<Millis>,
    /// The first rebalance of an Empty group waits (`group.initial.rebalance.delay.ms`).
    pub initial_delay: Option<InitialDelay>,
    /// A new member joined during the initial delay of a new group (GroupMetadata's
    /// `newMemberAdded`).
    pub new_member_added: bool,
    /// The group record of the current generation is being written at this offset; SyncGroups
    /// are answered once the HW passes it.
    pub store_offset: Option<Offset>,
    /// Commits are served from the log below max(HW, this): the log end when the coordinator
    /// loaded the partition (GroupMetadataManager loads the whole log).
    pub loaded_end: Offset,
    /// Counter of the next member id.
    next_member: u32,
}

impl GroupCoordinator {
    /// An inactive coordinator on broker `broker`.
    pub fn new(broker: BrokerId) -> Self {
        GroupCoordinator {
            active: false,
            state: GroupState::Empty,
            generation: 0,
            leader: None,
            members: VecMap::new(),
            assignment: VecMap::new(),
            rebalance_deadline: None,
            initial_delay: None,
            new_member_added: false,
            store_offset: None,
            loaded_end: 0,
            next_member: broker,
        }
    }

    /// The broker became leader of the offsets partition: load the group from the log (the last
    /// generation and its members, whose sessions start now).
    pub fn activate(&mut self, now: Millis, log: &ReplicaLog) {
        let next_member = self.next_member;
        *self = GroupCoordinator::new(0);
        self.next_member = next_member;
        self.active = true;
        self.loaded_end = log.leo();
        for r in log.records() {
            match OffsetsRecord::decode(r.id) {
                Some(OffsetsRecord::Group { generation }) => {
                    self.generation = self.generation.max(generation);
                    self.members.clear();
                }
                Some(OffsetsRecord::Member { consumer, counter }) => {
                    self.next_member = self.next_member.max(counter);
                    self.members.insert(
                        format!("c{consumer}-{counter}"),
                        Member {
                            client: NodeId::consumer(consumer),
                            topics: Vec::new(),
                            owned: Vec::new(),
                            owned_generation: -1,
                            last_heartbeat: now,
                            join_request: None,
                            sync_request: None,
                        },
                    );
                }
                _ => {}
            }
        }
        if !self.members.is_empty() {
            self.state = GroupState::Stable;
            self.leader = self.members.keys().next().cloned();
        }
    }

    /// The records that store the current generation and its members.
    pub fn group_records(&self) -> Vec<OffsetsRecord> {
        let mut v = vec![OffsetsRecord::Group {
            generation: self.generation,
        }];
        v.extend(self.members.keys().filter_map(|id| {
            let (consumer, counter) = parse_member(id)?;
            Some(OffsetsRecord::Member { consumer, counter })
        }));
        v
    }

    /// The broker no longer leads the offsets partition: parked requests get NOT_COORDINATOR
    /// and the in-memory membership is dropped.
    pub fn deactivate(&mut self, out: &mut Out) {
        for m in self.members.values() {
            if let Some(request_id) = m.join_request {
                out.send(
                    m.client,
                    Message::JoinGroupResponse {
                        request_id,
                        result: Err(ErrorCode::NotCoordinator),
                    },
                );
            }
            if let Some(request_id) = m.sync_request {
                out.send(
                    m.client,
                    Message::SyncGroupResponse {
                        request_id,
                        result: Err(ErrorCode::NotCoordinator),
                    },
                );
            }
        }
        let next_member = self.next_member;
        *self = GroupCoordinator::new(0);
        self.next_member = next_member;
    }

    /// Offsets as OffsetFetch answers them.
    pub fn committed(&self, log: &ReplicaLog) -> VecMap<TopicPartition, Offset> {
        committed_offsets(log, log.high_watermark().max(self.loaded_end))
    }

    /// Offsets with the transactional ones still pending (OffsetFetch with `require_stable`).
    pub fn offsets(&self, log: &ReplicaLog) -> GroupTxnOffsets {
        group_offsets(log, log.high_watermark().max(self.loaded_end))
    }

    /// GroupCoordinator#validateOffsetCommit (R7.4, S36).
    pub fn validate_commit(&self, generation: i32, member_id: &str) -> Result<(), ErrorCode> {
        if generation < 0 && member_id.is_empty() && self.state == GroupState::Empty {
            return Ok(()); // a standalone consumer or an admin tool
        }
        if !self.members.contains_key(member_id) {
            return Err(ErrorCode::UnknownMemberId);
        }
        if generation != self.generation {
            return Err(ErrorCode::IllegalGeneration);
        }
        if self.state == GroupState::CompletingRebalance {
            return Err(ErrorCode::RebalanceInProgress);
        }
        Ok(())
    }

    fn note(&self, out: &mut Out, me: BrokerId, rebalance: bool, text: String) {
        out.observe(Observation::GroupNote {
            node: NodeId::Broker(me),
            rebalance,
            text,
        });
    }

    /// Any → PreparingRebalance (GroupCoordinator#prepareRebalance).
    fn prepare_rebalance(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        reason: &str,
        out: &mut Out,
    ) {
        if self.state == GroupState::PreparingRebalance {
            return;
        }
        // Parked SyncGroups of the generation being abandoned must rejoin.
        for m in self.members.values_mut() {
            if let Some(request_id) = m.sync_request.take() {
                out.send(
                    m.client,
                    Message::SyncGroupResponse {
                        request_id,
                        result: Err(ErrorCode::RebalanceInProgress),
                    },
                );
            }
        }
        self.store_offset = None;
        // The rebalance timeout is the members' max.poll.interval.ms (R7.4).
        let timeout = cfg.consumer.max_poll_interval_ms;
        let delay = cfg.group_initial_rebalance_delay_ms();
        if self.state == GroupState::Empty && delay > 0 {
            // GroupCoordinator#prepareRebalance: an Empty group gets an InitialDelayedJoin
            // (KIP-134) instead of a DelayedJoin: it waits even when every member has joined
            // (GroupCoordinatorTest#shouldDelayInitialRebalanceByGroupInitialRebalanceDelayOnEmptyGroup).
            self.initial_delay = Some(InitialDelay {
                until: now + delay,
                delay,
                remaining: timeout.saturating_sub(delay),
            });
            self.new_member_added = false;
            self.rebalance_deadline = None;
        } else {
            self.rebalance_deadline = Some(now + timeout);
        }
        self.state = GroupState::PreparingRebalance;
        self.note(
            out,
            me,
            true,
            format!(
                "group {} PreparingRebalance (generation {}): {reason}",
                cfg.consumer.group_id, self.generation
            ),
        );
    }

    /// Everyone who is still a member has rejoined, or the rebalance timed out: the next
    /// generation starts (GroupCoordinator#onCompleteJoin).
    fn maybe_complete_join(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        force: bool,
        out: &mut Out,
    ) {
        if self.state != GroupState::PreparingRebalance || self.initial_delay.is_some() {
            return;
        }
        let all_joined = self.members.values().all(|m| m.join_request.is_some());
        if !all_joined && !force {
            return;
        }
        let gone: Vec<String> = self
            .members
            .iter()
            .filter(|(_, m)| m.join_request.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.members.remove(&id);
            self.note(
                out,
                me,
                true,
                format!("member {id} did not rejoin in time: removed"),
            );
        }
        self.rebalance_deadline = None;
        self.generation += 1;
        self.assignment.clear();
        if self.members.is_empty() {
            self.state = GroupState::Empty;
            self.leader = None;
            self.note(
                out,
                me,
                true,
                format!(
                    "group {} is Empty (generation {})",
                    cfg.consumer.group_id, self.generation
                ),
            );
            return;
        }
        if !self
            .leader
            .as_ref()
            .is_some_and(|l| self.members.contains_key(l))
        {
            self.leader = self.members.keys().next().cloned();
        }
        let leader = self.leader.clone().expect("members is not empty");
        self.state = GroupState::CompletingRebalance;
        // The leader gets every member's subscription with its owned partitions and their
        // generation, which the sticky assignors read (GroupCoordinator#onCompleteJoin sends
        // each member's metadata; AbstractStickyAssignor#memberData).
        let all: Vec<MemberSubscription> = self
            .members
            .iter()
            .map(|(id, m)| MemberSubscription {
                member_id: id.clone(),
                topics: m.topics.clone(),
                owned: m.owned.clone(),
                generation: m.owned_generation,
            })
            .collect();
        for (id, m) in self.members.iter_mut() {
            let Some(request_id) = m.join_request.take() else {
                continue;
            };
            m.last_heartbeat = now;
            out.send(
                m.client,
                Message::JoinGroupResponse {
                    request_id,
                    result: Ok(JoinResult {
                        generation: self.generation,
                        member_id: id.clone(),
                        leader: leader.clone(),
                        members: if *id == leader { all.clone() } else { vec![] },
                    }),
                },
            );
        }
        self.note(
            out,
            me,
            true,
            format!(
                "group {} CompletingRebalance: generation {}, leader {leader}, members {:?}",
                cfg.consumer.group_id,
                self.generation,
                self.members.keys().collect::<Vec<_>>()
            ),
        );
    }

    /// JoinGroup (GroupCoordinator#handleJoinGroup).
    #[allow(clippy::too_many_arguments)]
    pub fn join(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        client: NodeId,
        request_id: u64,
        subscription: MemberSubscription,
        out: &mut Out,
    ) {
        let MemberSubscription {
            member_id,
            topics,
            owned,
            generation: owned_generation,
        } = subscription;
        let member_id = if member_id.is_empty() {
            // GroupCoordinator#addMemberAndRebalance: a member joining a new group during its
            // initial delay extends the delay (KIP-134).
            if self.state == GroupState::PreparingRebalance && self.generation == 0 {
                self.new_member_added = true;
            }
            self.next_member += 1;
            let id = format!("{client}-{}", self.next_member);
            self.members.insert(
                id.clone(),
                Member {
                    client,
                    topics,
                    owned,
                    owned_generation,
                    last_heartbeat: now,
                    join_request: Some(request_id),
                    sync_request: None,
                },
            );
            self.note(out, me, true, format!("new member {id} joins"));
            self.prepare_rebalance(now, cfg, me, "a new member joined", out);
            id
        } else {
            let Some(m) = self.members.get_mut(&member_id) else {
                out.send(
                    client,
                    Message::JoinGroupResponse {
                        request_id,
                        result: Err(ErrorCode::UnknownMemberId),
                    },
                );
                return;
            };
            m.client = client;
            m.topics = topics;
            m.owned = owned;
            m.owned_generation = owned_generation;
            m.last_heartbeat = now;
            m.join_request = Some(request_id);
            if let Some(s) = m.sync_request.take() {
                out.send(
                    client,
                    Message::SyncGroupResponse {
                        request_id: s,
                        result: Err(ErrorCode::RebalanceInProgress),
                    },
                );
            }
            // Simplified: any rejoin of a known member starts a rebalance (Kafka answers an
            // unchanged follower in Stable with the current generation).
            self.prepare_rebalance(now, cfg, me, &format!("{member_id} rejoined"), out);
            member_id
        };
        let _ = member_id;
        self.maybe_complete_join(now, cfg, me, false, out);
    }

    /// SyncGroup (GroupCoordinator#handleSyncGroup). Returns the generation to store when the
    /// leader's assignment arrived: the broker appends a group record and calls
    /// [`GroupCoordinator::stored`] with its offset (or [`GroupCoordinator::store_failed`]).
    #[allow(clippy::too_many_arguments)]
    pub fn sync(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        client: NodeId,
        request_id: u64,
        generation: i32,
        member_id: &str,
        assignments: Vec<(String, Vec<TopicPartition>)>,
        out: &mut Out,
    ) -> Option<i32> {
        let reply = |out: &mut Out, result| {
            out.send(client, Message::SyncGroupResponse { request_id, result });
        };
        let Some(m) = self.members.get_mut(member_id) else {
            reply(out, Err(ErrorCode::UnknownMemberId));
            return None;
        };
        if generation != self.generation {
            reply(out, Err(ErrorCode::IllegalGeneration));
            return None;
        }
        m.last_heartbeat = now;
        match self.state {
            GroupState::Empty | GroupState::PreparingRebalance => {
                reply(out, Err(ErrorCode::RebalanceInProgress));
                None
            }
            GroupState::Stable => match self.assignment.get(member_id).cloned() {
                Some(a) => {
                    reply(out, Ok(a));
                    None
                }
                None => {
                    // A group loaded from the log does not know its assignment (not stored
                    // here): the members must rebalance to get one.
                    reply(out, Err(ErrorCode::RebalanceInProgress));
                    self.prepare_rebalance(now, cfg, me, "the assignment was not stored", out);
                    None
                }
            },
            GroupState::CompletingRebalance => {
                m.sync_request = Some(request_id);
                let is_leader = self.leader.as_deref() == Some(member_id);
                if is_leader && self.store_offset.is_none() {
                    self.assignment = assignments
                        .into_iter()
                        .filter(|(id, _)| self.members.contains_key(id))
                        .collect();
                    self.note(
                        out,
                        me,
                        true,
                        format!(
                            "leader {member_id} sent the assignment of generation {}",
                            self.generation
                        ),
                    );
                    let _ = cfg;
                    return Some(self.generation);
                }
                None
            }
        }
    }

    /// The group record of the current generation was appended at `offset`.
    pub fn stored(&mut self, offset: Offset) {
        self.store_offset = Some(offset);
    }

    /// Writing the group record failed: members must rejoin (GroupCoordinator#doSyncGroup
    /// propagates the error and prepares a rebalance).
    pub fn store_failed(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        error: ErrorCode,
        out: &mut Out,
    ) {
        for m in self.members.values_mut() {
            if let Some(request_id) = m.sync_request.take() {
                out.send(
                    m.client,
                    Message::SyncGroupResponse {
                        request_id,
                        result: Err(error),
                    },
                );
            }
        }
        self.prepare_rebalance(now, cfg, me, "the group could not be stored", out);
    }

    /// The offsets partition's HW moved: answer the parked SyncGroups once the group record is
    /// committed (CompletingRebalance → Stable).
    pub fn on_high_watermark(
        &mut self,
        hw: Offset,
        cfg: &ClusterConfig,
        me: BrokerId,
        out: &mut Out,
    ) {
        let Some(offset) = self.store_offset else {
            return;
        };
        if hw <= offset || self.state != GroupState::CompletingRebalance {
            return;
        }
        self.store_offset = None;
        self.state = GroupState::Stable;
        for (id, m) in self.members.iter_mut() {
            if let Some(request_id) = m.sync_request.take() {
                let a = self.assignment.get(id).cloned().unwrap_or_default();
                out.send(
                    m.client,
                    Message::SyncGroupResponse {
                        request_id,
                        result: Ok(a),
                    },
                );
            }
        }
        self.note(
            out,
            me,
            true,
            format!(
                "group {} Stable in generation {}",
                cfg.consumer.group_id, self.generation
            ),
        );
    }

    /// Heartbeat (GroupCoordinator#handleHeartbeat).
    pub fn heartbeat(
        &mut self,
        now: Millis,
        generation: i32,
        member_id: &str,
    ) -> Option<ErrorCode> {
        let Some(m) = self.members.get_mut(member_id) else {
            return Some(ErrorCode::UnknownMemberId);
        };
        m.last_heartbeat = now;
        match self.state {
            GroupState::PreparingRebalance => Some(ErrorCode::RebalanceInProgress),
            _ if generation != self.generation => Some(ErrorCode::IllegalGeneration),
            _ => None,
        }
    }

    /// LeaveGroup: the member goes at once and the group rebalances.
    pub fn leave(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        member_id: &str,
        out: &mut Out,
    ) {
        if self.members.remove(member_id).is_none() {
            return;
        }
        self.note(out, me, true, format!("member {member_id} left the group"));
        self.after_removal(now, cfg, me, &format!("{member_id} left"), out);
    }

    fn after_removal(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        me: BrokerId,
        reason: &str,
        out: &mut Out,
    ) {
        match self.state {
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.prepare_rebalance(now, cfg, me, reason, out);
                self.maybe_complete_join(now, cfg, me, false, out);
            }
            GroupState::PreparingRebalance => self.maybe_complete_join(now, cfg, me, false, out),
            GroupState::Empty => {}
        }
    }

    /// Session expiry (R7.4, GroupCoordinatorTest.testSessionTimeout) and the rebalance timeout.
    pub fn check(&mut self, now: Millis, cfg: &ClusterConfig, me: BrokerId, out: &mut Out) {
        if !self.active {
            return;
        }
        let session = cfg.consumer.session_timeout_ms;
        let expired: Vec<String> = self
            .members
            .iter()
            .filter(|(_, m)| m.join_request.is_none() && now >= m.last_heartbeat + session)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            self.members.remove(&id);
            self.note(
                out,
                me,
                true,
                format!(
                    "member {id} sent no heartbeat for session.timeout.ms ({session} ms): removed"
                ),
            );
            self.after_removal(now, cfg, me, &format!("{id}'s session expired"), out);
        }
        if let Some(d) = self.initial_delay.filter(|d| now >= d.until) {
            // InitialDelayedJoin#onComplete: new members joined during the wait and some of the
            // rebalance timeout is left: wait again, min(delay, remaining); otherwise complete
            // the join (GroupCoordinatorTest#shouldDelayRebalanceUptoRebalanceTimeout).
            let configured = cfg.group_initial_rebalance_delay_ms();
            self.initial_delay = (self.new_member_added && d.remaining > 0).then(|| {
                let delay = configured.min(d.remaining);
                InitialDelay {
                    until: now + delay,
                    delay,
                    remaining: d.remaining.saturating_sub(d.delay),
                }
            });
            self.new_member_added = false;
            if self.initial_delay.is_none() {
                self.maybe_complete_join(now, cfg, me, true, out);
            }
        }
        if self.rebalance_deadline.is_some_and(|d| now >= d) {
            self.maybe_complete_join(now, cfg, me, true, out);
        }
    }

    /// When [`GroupCoordinator::check`] has something to do next.
    pub fn next_deadline(&self, cfg: &ClusterConfig) -> Option<Millis> {
        if !self.active {
            return None;
        }
        let sessions = self
            .members
            .values()
            .filter(|m| m.join_request.is_none())
            .map(|m| m.last_heartbeat + cfg.consumer.session_timeout_ms);
        let delay = self.initial_delay.map(|d| d.until);
        sessions.chain(self.rebalance_deadline).chain(delay).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    fn cfg() -> ClusterConfig {
        let mut c = ClusterConfig::default();
        c.consumers = 2;
        // These tests follow one join at a time: no initial delay (tested on its own below).
        c.broker.group_initial_rebalance_delay_ms = Some(0);
        c
    }

    /// A new member's JoinGroup at `now`; returns the responses sent.
    fn join_new(
        g: &mut GroupCoordinator,
        cfg: &ClusterConfig,
        now: Millis,
        c: u32,
    ) -> Vec<Message> {
        let mut out = Out::default();
        g.join(
            now,
            cfg,
            1,
            NodeId::consumer(c),
            c as u64,
            sub(String::new()),
            &mut out,
        );
        responses(&out)
    }

    /// The coordinator's timer at `now`; returns the generations of the JoinGroups it answered.
    fn check_at(g: &mut GroupCoordinator, cfg: &ClusterConfig, now: Millis) -> Vec<i32> {
        let mut out = Out::default();
        g.check(now, cfg, 1, &mut out);
        generations(&responses(&out))
    }

    fn generations(msgs: &[Message]) -> Vec<i32> {
        msgs.iter()
            .filter_map(|m| match m {
                Message::JoinGroupResponse { result: Ok(j), .. } => Some(j.generation),
                _ => None,
            })
            .collect()
    }

    /// An active coordinator of an Empty group, with the initial delay and rebalance timeout.
    fn empty_group(delay: Millis, rebalance_timeout: Millis) -> (ClusterConfig, GroupCoordinator) {
        let mut cfg = cfg();
        cfg.broker.group_initial_rebalance_delay_ms = Some(delay);
        cfg.consumer.max_poll_interval_ms = rebalance_timeout;
        let mut g = GroupCoordinator::new(1);
        g.activate(0, &ReplicaLog::new());
        (cfg, g)
    }

    #[test]
    fn the_first_rebalance_waits_for_more_members_and_each_newcomer_extends_the_wait() {
        // KIP-134, InitialDelayedJoin; GroupCoordinatorTest
        // #shouldDelayInitialRebalanceByGroupInitialRebalanceDelayOnEmptyGroup and
        // #shouldResetRebalanceDelayWhenNewMemberJoinsGroupInInitialRebalance.
        let (cfg, mut g) = empty_group(3_000, 10_000);
        assert!(
            join_new(&mut g, &cfg, 0, 1).is_empty(),
            "even a lone member waits"
        );
        assert_eq!(g.next_deadline(&cfg), Some(3_000));
        assert!(join_new(&mut g, &cfg, 2_999, 2).is_empty());
        assert!(
            check_at(&mut g, &cfg, 3_000).is_empty(),
            "c2 joined: wait again"
        );
        assert_eq!(g.next_deadline(&cfg), Some(6_000));
        assert_eq!(
            check_at(&mut g, &cfg, 6_000),
            [1, 1],
            "one generation for both"
        );
        assert_eq!(g.state, GroupState::CompletingRebalance);
    }

    #[test]
    fn the_initial_delay_ends_with_the_rebalance_timeout() {
        // GroupCoordinatorTest#shouldDelayRebalanceUptoRebalanceTimeout: rebalance timeout = 2 ×
        // the delay; members keep arriving, the join completes once the timeout is used up.
        let (cfg, mut g) = empty_group(3_000, 6_000);
        join_new(&mut g, &cfg, 0, 1);
        join_new(&mut g, &cfg, 0, 2);
        assert!(check_at(&mut g, &cfg, 3_000).is_empty());
        join_new(&mut g, &cfg, 3_001, 3);
        assert_eq!(check_at(&mut g, &cfg, 6_000), [1, 1, 1]);
    }

    #[test]
    fn a_group_that_was_stable_once_does_not_wait_when_a_member_joins() {
        // Only an Empty group gets the InitialDelayedJoin (GroupCoordinator#prepareRebalance).
        let mut cfg = cfg();
        cfg.broker.group_initial_rebalance_delay_ms = Some(3_000);
        let (mut g, _) = stable_group();
        assert!(
            join_new(&mut g, &cfg, 10, 2).is_empty(),
            "waits for c1 to rejoin"
        );
        assert!(g.initial_delay.is_none());
    }

    /// A subscription to `t` with nothing owned.
    fn sub(member_id: String) -> MemberSubscription {
        MemberSubscription {
            member_id,
            topics: vec!["t".into()],
            owned: vec![],
            generation: -1,
        }
    }

    fn responses(out: &Out) -> Vec<Message> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { msg, .. } => Some(msg.clone()),
                _ => None,
            })
            .collect()
    }

    /// Join + sync + store a one-member group; returns (coordinator, member id).
    fn stable_group() -> (GroupCoordinator, String) {
        let cfg = cfg();
        let mut g = GroupCoordinator::new(1);
        g.activate(0, &ReplicaLog::new());
        let mut out = Out::default();
        g.join(
            0,
            &cfg,
            1,
            NodeId::consumer(1),
            1,
            sub(String::new()),
            &mut out,
        );
        let Some(Message::JoinGroupResponse { result: Ok(j), .. }) = responses(&out).pop() else {
            panic!("join answered at once: {:?}", out.effects)
        };
        assert_eq!(
            j.generation, 1,
            "testGenerationIdIncrementsOnRebalance: first join"
        );
        let a = vec![(
            j.member_id.clone(),
            vec![TopicPartition {
                topic: 0,
                partition: 0,
            }],
        )];
        let mut out = Out::default();
        assert_eq!(
            g.sync(
                1,
                &cfg,
                1,
                NodeId::consumer(1),
                2,
                1,
                &j.member_id,
                a,
                &mut out
            ),
            Some(1)
        );
        assert!(
            responses(&out).is_empty(),
            "the sync waits for the group record"
        );
        g.stored(0);
        let mut out = Out::default();
        g.on_high_watermark(1, &cfg, 1, &mut out);
        assert_eq!(g.state, GroupState::Stable);
        assert!(matches!(
            responses(&out)[0],
            Message::SyncGroupResponse { result: Ok(_), .. }
        ));
        (g, j.member_id)
    }

    #[test]
    fn offsets_records_round_trip() {
        let tp = TopicPartition {
            topic: 3,
            partition: 63,
        };
        for r in [
            OffsetsRecord::Commit { tp, offset: 0 },
            OffsetsRecord::Commit {
                tp,
                offset: MAX_COMMIT_OFFSET,
            },
            OffsetsRecord::Group { generation: 7 },
            OffsetsRecord::Member {
                consumer: 16,
                counter: 12_345,
            },
        ] {
            let id = r.encode().unwrap();
            assert!(id >= INTERNAL);
            assert_eq!(OffsetsRecord::decode(id), Some(r));
        }
        assert_eq!(
            OffsetsRecord::Commit {
                tp,
                offset: MAX_COMMIT_OFFSET + 1
            }
            .encode(),
            None
        );
        assert_eq!(
            OffsetsRecord::decode(5),
            None,
            "ledger ids are not offsets records"
        );
    }

    #[test]
    fn the_last_commit_below_the_end_wins_and_generations_are_reloaded() {
        let tp = TopicPartition {
            topic: 0,
            partition: 0,
        };
        let mut log = ReplicaLog::new();
        let none = crate::log::ProducerFields::NONE;
        for r in [
            OffsetsRecord::Commit { tp, offset: 3 },
            OffsetsRecord::Group { generation: 4 },
            OffsetsRecord::Commit { tp, offset: 5 },
        ] {
            log.append_as_leader(0, r.encode().unwrap(), none);
        }
        assert_eq!(committed_offsets(&log, 2).get(&tp), Some(&3));
        assert_eq!(committed_offsets(&log, 3).get(&tp), Some(&5));
        let mut g = GroupCoordinator::new(2);
        g.activate(0, &log);
        assert_eq!(
            g.generation, 4,
            "a new coordinator continues the stored generation"
        );
        assert_eq!(g.state, GroupState::Empty, "generation 4 had no members");
        // A generation with members: the new coordinator knows them and is Stable.
        for r in [
            OffsetsRecord::Group { generation: 5 },
            OffsetsRecord::Member {
                consumer: 1,
                counter: 7,
            },
            OffsetsRecord::Member {
                consumer: 2,
                counter: 9,
            },
        ] {
            log.append_as_leader(0, r.encode().unwrap(), none);
        }
        let mut g = GroupCoordinator::new(2);
        g.activate(100, &log);
        assert_eq!((g.generation, g.state), (5, GroupState::Stable));
        assert_eq!(g.members.keys().collect::<Vec<_>>(), ["c1-7", "c2-9"]);
        assert_eq!(g.validate_commit(5, "c2-9"), Ok(()));
        assert_eq!(g.heartbeat(200, 5, "c1-7"), None);
        assert_eq!(g.group_records().len(), 3);
        // The assignment is not stored: a SyncGroup makes the members rebalance.
        let cfg = cfg();
        let mut out = Out::default();
        g.sync(
            300,
            &cfg,
            2,
            NodeId::consumer(1),
            1,
            5,
            "c1-7",
            vec![],
            &mut out,
        );
        assert!(matches!(
            responses(&out)[0],
            Message::SyncGroupResponse {
                result: Err(ErrorCode::RebalanceInProgress),
                ..
            }
        ));
        assert_eq!(g.state, GroupState::PreparingRebalance);
    }

    #[test]
    fn commit_fencing_follows_validate_offset_commit() {
        // S36: standalone commits are accepted by an Empty group; otherwise member and generation
        // must match, and CompletingRebalance answers REBALANCE_IN_PROGRESS.
        let g0 = GroupCoordinator::new(1);
        assert_eq!(g0.validate_commit(-1, ""), Ok(()));
        let (mut g, m) = stable_group();
        assert_eq!(g.validate_commit(1, &m), Ok(()));
        assert_eq!(g.validate_commit(2, &m), Err(ErrorCode::IllegalGeneration));
        assert_eq!(
            g.validate_commit(1, "nobody"),
            Err(ErrorCode::UnknownMemberId)
        );
        // The member rejoins: generation 2 starts at once (it is the only member).
        let cfg = cfg();
        let mut out = Out::default();
        g.join(5, &cfg, 1, NodeId::consumer(1), 3, sub(m.clone()), &mut out);
        assert_eq!(
            g.generation, 2,
            "testGenerationIdIncrementsOnRebalance: rejoin"
        );
        assert_eq!(g.state, GroupState::CompletingRebalance);
        // testCommitOffsetInCompletingRebalance
        assert_eq!(
            g.validate_commit(2, &m),
            Err(ErrorCode::RebalanceInProgress)
        );
        assert_eq!(g.validate_commit(1, &m), Err(ErrorCode::IllegalGeneration));
    }

    #[test]
    fn an_expired_session_removes_the_member() {
        // GroupCoordinatorTest.testSessionTimeout: after the session timeout the heartbeat
        // answers UNKNOWN_MEMBER_ID and the group is Empty in the next generation.
        let cfg = cfg();
        let (mut g, m) = stable_group();
        assert_eq!(g.heartbeat(100, 1, &m), None);
        let mut out = Out::default();
        g.check(100 + cfg.consumer.session_timeout_ms - 1, &cfg, 1, &mut out);
        assert!(g.members.contains_key(&m));
        g.check(
            100 + cfg.consumer.session_timeout_ms + 100,
            &cfg,
            1,
            &mut out,
        );
        assert_eq!(g.heartbeat(50_000, 1, &m), Some(ErrorCode::UnknownMemberId));
        assert_eq!(g.state, GroupState::Empty);
        assert_eq!(g.generation, 2);
    }

    #[test]
    fn a_second_member_waits_for_the_first_to_rejoin() {
        let cfg = cfg();
        let (mut g, m1) = stable_group();
        let mut out = Out::default();
        g.join(
            10,
            &cfg,
            1,
            NodeId::consumer(2),
            9,
            sub(String::new()),
            &mut out,
        );
        assert_eq!(g.state, GroupState::PreparingRebalance);
        assert!(responses(&out).is_empty(), "c2's join is parked");
        assert_eq!(
            g.heartbeat(20, 1, &m1),
            Some(ErrorCode::RebalanceInProgress)
        );
        let mut out = Out::default();
        g.join(
            30,
            &cfg,
            1,
            NodeId::consumer(1),
            10,
            sub(m1.clone()),
            &mut out,
        );
        let joins = responses(&out);
        assert_eq!(joins.len(), 2);
        assert_eq!(g.generation, 2);
        let leader_members = joins.iter().find_map(|r| match r {
            Message::JoinGroupResponse { result: Ok(j), .. } if j.member_id == m1 => {
                Some(j.members.len())
            }
            _ => None,
        });
        assert_eq!(
            leader_members,
            Some(2),
            "the leader (first member) sees every subscription"
        );
    }

    #[test]
    fn a_rebalance_timeout_drops_members_that_did_not_rejoin() {
        let cfg = cfg();
        let (mut g, m1) = stable_group();
        let mut out = Out::default();
        g.join(
            10,
            &cfg,
            1,
            NodeId::consumer(2),
            9,
            sub(String::new()),
            &mut out,
        );
        // c1 keeps heartbeating but never rejoins (it is stuck in processing).
        let deadline = 10 + cfg.consumer.max_poll_interval_ms;
        assert_eq!(g.rebalance_deadline, Some(deadline));
        g.heartbeat(deadline - 1, 1, &m1);
        g.check(deadline - 1, &cfg, 1, &mut out);
        assert!(g.members.contains_key(&m1));
        g.check(deadline, &cfg, 1, &mut out);
        assert!(!g.members.contains_key(&m1));
        assert_eq!(g.state, GroupState::CompletingRebalance);
        assert_eq!(g.members.len(), 1);
    }
}

//! User inputs: [`Cluster::apply`] runs a [`Command`] after [`Cluster::check`] has validated it
//! against the current state in plain words; the command's text for the event log.

use super::*;

impl Cluster {
    /// Applies a user command at the current virtual time.
    pub fn apply(&mut self, cmd: Command) -> Result<(), CommandError> {
        let result = self.apply_command(cmd);
        self.pipeline_upkeep();
        result
    }

    fn apply_command(&mut self, cmd: Command) -> Result<(), CommandError> {
        self.check(&cmd)?;
        self.step += 1;
        // Formatted only when the event log is kept (the checker runs without it).
        self.log(EventKind::Command, None, None, None, || command_text(&cmd));
        if self.recording {
            self.history.push(Input::Command(cmd.clone()));
        }
        let cfg = self.cfg.clone();
        match cmd {
            Command::Produce {
                producer,
                topic,
                partition,
                key,
                value,
                acks,
            } => {
                let tp = self.resolve_tp(producer, topic.as_deref(), partition, key.as_deref())?;
                let acks = acks.unwrap_or(cfg.acks());
                let (stamp, now) = (self.stamp(), self.now);
                let id = self.ledger.produce(producer, tp, key, value, acks, stamp);
                let mut out = Out::default();
                self.producers[producer as usize - 1].send(now, &cfg, id, tp, acks, &mut out);
                self.process(NodeId::Producer(producer), out);
            }
            Command::Transaction { producer, call } => {
                let mut out = Out::default();
                let now = self.now;
                let result = self.producers[producer as usize - 1].txn_call(
                    now,
                    &cfg,
                    call.call(),
                    &mut out,
                );
                self.process(NodeId::Producer(producer), out);
                result.map_err(|r| CommandError(r.0))?;
            }
            Command::UncleanLeaderElection { enable } => {
                self.alter_unclean_leader_election(enable);
            }
            Command::AutoProduce {
                producer,
                interval_ms,
                topic,
                acks,
            } => {
                let node = NodeId::Producer(producer);
                if interval_ms == 0 {
                    self.auto.remove(&producer);
                    self.cancel_timer(node, TimerKind::AutoProduce);
                } else {
                    let topic = match topic {
                        Some(t) => self.topic_index(&t)?,
                        None => 0,
                    };
                    let sent = self.auto.get(&producer).map_or(0, |a| a.sent);
                    self.auto.insert(
                        producer,
                        AutoProduce {
                            interval: interval_ms,
                            topic,
                            acks,
                            sent,
                        },
                    );
                    self.set_timer(node, TimerKind::AutoProduce, self.now + interval_ms);
                }
            }
            Command::Crash {
                broker,
                lose_unflushed,
            } => {
                if lose_unflushed {
                    let slot = self.brokers.get_mut(&broker).expect("checked");
                    let mut lost_any = false;
                    for p in slot.broker.partitions.values_mut() {
                        lost_any |= !p.log.lose_unflushed().is_empty();
                    }
                    if lost_any {
                        self.monitor.on_lossy_crash();
                    }
                }
                self.stop_broker(broker, BrokerStatus::Crashed);
            }
            Command::Shutdown { broker } => {
                let mut out = Out::default();
                self.brokers
                    .get_mut(&broker)
                    .expect("checked")
                    .broker
                    .begin_shutdown(self.now, &cfg, &mut out);
                self.process(NodeId::Broker(broker), out);
            }
            Command::Restart { broker } => {
                let slot = self.brokers.get_mut(&broker).expect("checked");
                let incarnation = slot.broker.incarnation + 1;
                let disk = slot.broker.disk();
                slot.broker = Broker::start(broker, incarnation, disk, &self.assignment);
                slot.status = BrokerStatus::Up;
                let mut out = Out::default();
                slot.broker.on_start(self.now, &cfg, &mut out);
                self.log_at(EventKind::Restart, NodeId::Broker(broker), || {
                    format!("b{broker} started again from its disk")
                });
                self.process(NodeId::Broker(broker), out);
            }
            Command::Pause { node } => {
                self.pause_node(node);
                // A pipeline instance is one process: its producer stops with its consumer.
                if let Some(p) = self.pipeline_producer_of(node) {
                    self.pause_node(NodeId::Producer(p));
                }
            }
            Command::Resume { node } => {
                // Its overdue events were parked, in order: they fire next.
                self.unpause_node(node);
                if let Some(p) = self.pipeline_producer_of(node) {
                    self.unpause_node(NodeId::Producer(p));
                }
            }
            Command::Isolate { node } => {
                for other in self.all_nodes() {
                    if other != node {
                        self.cuts.insert((node, other));
                        self.cuts.insert((other, node));
                    }
                }
            }
            Command::Cut { from, to, both } => {
                self.cuts.insert((from, to));
                if both {
                    self.cuts.insert((to, from));
                }
            }
            Command::Heal { node } => match node {
                None => {
                    self.cuts.clear();
                    self.slow.clear();
                }
                Some(n) => {
                    self.cuts.retain(|(a, b)| *a != n && *b != n);
                    self.slow.retain(|(a, b), _| *a != n && *b != n);
                }
            },
            Command::Slow {
                from,
                to,
                extra_ms,
                both,
            } => {
                for link in [(from, to), (to, from)]
                    .into_iter()
                    .take(if both { 2 } else { 1 })
                {
                    if extra_ms == 0 {
                        self.slow.remove(&link);
                    } else {
                        self.slow.insert(link, extra_ms);
                    }
                }
            }
            Command::Drop { message } => {
                let key = self
                    .all_pending()
                    .find(|(_, p)| matches!(p, Pending::Deliver(e) if e.id == message))
                    .map(|(k, _)| *k)
                    .expect("checked");
                if let Some(Pending::Deliver(e)) = self.unschedule(&key) {
                    self.log_wire(EventKind::Drop, (e.from, e.to, e.id), &e.msg, || {
                        format!("{} dropped by the user", e.msg.kind())
                    });
                }
            }
            Command::AddConsumer => {
                let id = self.start_consumer(None);
                self.pipeline_added(id);
                self.log_at(EventKind::Restart, NodeId::consumer(id), || {
                    format!("c{id} starts and joins group {}", cfg.consumer.group_id)
                });
            }
            Command::RemoveConsumer { consumer } => {
                let node = NodeId::consumer(consumer);
                let mut out = Out::default();
                let slot = &mut self.consumers[consumer as usize - 1];
                slot.consumer.close(self.now, &cfg, &mut out);
                self.process(node, out);
                self.stop_client(node);
                self.consumers[consumer as usize - 1].status = BrokerStatus::Stopped;
                self.pipeline_crashed(consumer);
            }
            Command::CrashConsumer { consumer } => {
                let node = NodeId::consumer(consumer);
                self.stop_client(node);
                self.consumers[consumer as usize - 1].status = BrokerStatus::Crashed;
                self.pipeline_crashed(consumer);
                self.log_at(EventKind::Crash, node, || {
                    format!("c{consumer} crashed: records being processed are abandoned")
                });
            }
            Command::RestartConsumer { consumer } => {
                self.pipeline_restarted(consumer);
                self.start_consumer(Some(consumer));
                self.log_at(EventKind::Restart, NodeId::consumer(consumer), || {
                    format!("c{consumer} started again: it resumes from the committed offsets")
                });
            }
            Command::CommitMode { consumer, mode } => {
                self.consumers[consumer as usize - 1].consumer.mode = mode;
            }
            Command::IsolationLevel { consumer, level } => {
                self.consumers[consumer as usize - 1].consumer.isolation = level;
                if level == IsolationLevel::ReadUncommitted {
                    // R6.7: a read_uncommitted consumer may process aborted data.
                    self.monitor.on_read_uncommitted();
                }
            }
            Command::DeleteRecords {
                topic,
                partition,
                offset,
            } => {
                let (tp, leader) = self.delete_records_target(topic.as_deref(), partition)?;
                let mut out = Out::default();
                let now = self.now;
                let slot = self.brokers.get_mut(&leader).expect("checked");
                let result = slot.broker.delete_records(now, &cfg, tp, offset, &mut out);
                self.process(NodeId::Broker(leader), out);
                if let Err(e) = result {
                    let hw = self.brokers[&leader].broker.partitions[&tp]
                        .log
                        .high_watermark();
                    return Err(CommandError(format!(
                        "DeleteRecords to offset {offset} on b{leader}: {e:?} (the offset must be -1 or between 0 and the HW {hw})"
                    )));
                }
            }
            Command::Flush { broker } => {
                for p in self
                    .brokers
                    .get_mut(&broker)
                    .expect("checked")
                    .broker
                    .partitions
                    .values_mut()
                {
                    p.log.flush();
                }
            }
        }
        Ok(())
    }

    pub(super) fn all_nodes(&self) -> Vec<NodeId> {
        let mut v = vec![NodeId::Controller];
        v.extend(self.brokers.keys().map(|b| NodeId::Broker(*b)));
        v.extend((1..=self.producers.len() as u32).map(NodeId::Producer));
        v.extend((1..=self.consumers.len() as u32).map(NodeId::consumer));
        v
    }

    pub(super) fn node_exists(&self, n: NodeId) -> bool {
        match n {
            NodeId::Controller => true,
            NodeId::Broker(b) => self.brokers.contains_key(&b),
            NodeId::Producer(p) => p >= 1 && p as usize <= self.producers.len(),
            NodeId::Consumer(c) => c >= 1 && c as usize <= self.consumers.len(),
        }
    }

    /// Stops a process (client or broker): its timers are cancelled, messages to it are lost.
    pub(super) fn stop_client(&mut self, node: NodeId) {
        // One pass over the timers and one over each queue, rather than a search and a shift of
        // both per timer (a crash is one of the checker's moves). Every timer entry has its event
        // in one of the queues, and no other timer event is pending there: the node's timer
        // events are exactly its entries' events.
        let mut count = 0;
        self.timers.retain(|k, _| {
            let mine = k.node == node;
            count += usize::from(mine);
            !mine
        });
        if count > 0 {
            let before = self.queue.len() + self.parked.len();
            let other = |p: &Pending| !matches!(p, Pending::Timer { node: n, .. } if *n == node);
            self.queue.retain(|_, p| other(p));
            self.parked.retain(|_, p| other(p));
            debug_assert_eq!(before - self.queue.len() - self.parked.len(), count);
        }
        self.unpause_node(node);
    }

    /// The partition a DeleteRecords names and its current leader: the running broker that leads
    /// it with the highest leader epoch.
    fn delete_records_target(
        &self,
        topic: Option<&str>,
        partition: u32,
    ) -> Result<(TopicPartition, BrokerId), CommandError> {
        let ti = match topic {
            Some(t) => self.topic_index(t)?,
            None => 0,
        };
        let t = &self.cfg.topics[ti as usize];
        if partition >= t.partitions {
            return Err(CommandError(format!(
                "topic {} has no partition {partition} (it has {})",
                t.name, t.partitions
            )));
        }
        let tp = TopicPartition {
            topic: ti,
            partition: partition as u16,
        };
        self.brokers
            .iter()
            .filter(|(_, s)| s.status == BrokerStatus::Up)
            .filter_map(|(b, s)| s.broker.partitions.get(&tp).map(|p| (*b, p)))
            .filter(|(_, p)| p.is_leader())
            .max_by_key(|(_, p)| p.leader_epoch)
            .map(|(b, _)| (tp, b))
            .ok_or_else(|| {
                CommandError(format!(
                    "{}-{partition} has no running leader to delete records on",
                    t.name
                ))
            })
    }

    pub(super) fn topic_index(&self, topic: &str) -> Result<u16, CommandError> {
        self.cfg
            .topics
            .iter()
            .position(|t| t.name == topic)
            .map(|i| i as u16)
            .ok_or_else(|| CommandError(format!("unknown topic {topic:?}")))
    }

    pub(super) fn resolve_tp(
        &mut self,
        producer: u32,
        topic: Option<&str>,
        partition: Option<u32>,
        key: Option<&str>,
    ) -> Result<TopicPartition, CommandError> {
        let ti = match topic {
            Some(t) => self.topic_index(t)?,
            None => 0,
        };
        self.resolve_partition(producer, ti, partition, key)
    }

    /// The partition a record for topic number `ti` goes to: the one asked for, the key's
    /// (`partitioner.rs`) or, for keyless records, the producer's next one in turn.
    fn resolve_partition(
        &mut self,
        producer: u32,
        ti: u16,
        partition: Option<u32>,
        key: Option<&str>,
    ) -> Result<TopicPartition, CommandError> {
        let n = self.cfg.topics[ti as usize].partitions;
        let p = match (partition, key) {
            (Some(p), _) if p < n => p,
            (Some(p), _) => {
                return Err(CommandError(format!(
                    "topic {} has no partition {p} (it has {n})",
                    self.cfg.topics[ti as usize].name
                )))
            }
            (None, Some(k)) => partition_for_key(k.as_bytes(), n),
            (None, None) => {
                let c = self.keyless.entry(producer).or_insert(0);
                let p = *c % n;
                *c += 1;
                p
            }
        };
        Ok(TopicPartition {
            topic: ti,
            partition: p as u16,
        })
    }

    /// `unclean.leader.election.enable` changes on the controller (which may elect at once); once
    /// it is on, the promises that assume clean elections are void for the rest of the run (the
    /// monitor's promises are those of the configuration with it switched on).
    fn alter_unclean_leader_election(&mut self, enable: bool) {
        let cfg = self.cfg.clone();
        if enable {
            let mut unclean = (*cfg).clone();
            unclean.broker.unclean_leader_election_enable = Some(true);
            let promised = Monitor::new(&unclean);
            for s in &mut self.monitor.statuses {
                s.promised &= promised.status(s.id).is_some_and(|p| p.promised);
            }
        }
        let mut out = Out::default();
        self.controller
            .alter_unclean_leader_election(enable, &cfg, &mut out);
        self.process(NodeId::Controller, out);
    }

    pub(super) fn auto_produce(&mut self, producer: u32) {
        let Some(a) = self.auto.get_mut(&producer) else {
            return;
        };
        a.sent += 1;
        let (interval, topic, acks, n) = (a.interval, a.topic, a.acks, a.sent);
        let cfg = self.cfg.clone();
        if let Ok(tp) = self.resolve_partition(producer, topic, None, None) {
            let acks = acks.unwrap_or(cfg.acks());
            let value = auto_value(producer, n);
            let (stamp, now) = (self.stamp(), self.now);
            let id = self.ledger.produce(producer, tp, None, value, acks, stamp);
            let mut out = Out::default();
            self.producers[producer as usize - 1].send(now, &cfg, id, tp, acks, &mut out);
            self.process(NodeId::Producer(producer), out);
        }
        self.set_timer(
            NodeId::Producer(producer),
            TimerKind::AutoProduce,
            self.now + interval,
        );
    }

    pub(super) fn stop_broker(&mut self, b: BrokerId, status: BrokerStatus) {
        let node = NodeId::Broker(b);
        self.stop_client(node);
        if let Some(s) = self.brokers.get_mut(&b) {
            s.status = status;
        }
        if status == BrokerStatus::Crashed {
            self.log_at(EventKind::Crash, node, || format!("b{b} crashed"));
        }
    }

    /// Validates a command against the current state, in plain words.
    /// Whether `cmd` would be accepted now, without applying it (everything [`Cluster::apply`]
    /// refuses, it refuses first).
    pub fn check_command(&self, cmd: &Command) -> Result<(), CommandError> {
        self.check(cmd)
    }

    pub(super) fn check(&self, cmd: &Command) -> Result<(), CommandError> {
        let err = |m: String| Err(CommandError(m));
        let broker_known = |b: &BrokerId| -> Result<&BrokerSlot, CommandError> {
            self.brokers.get(b).map(|s| &**s).ok_or_else(|| {
                CommandError(format!(
                    "there is no broker {b} (brokers are 1..={})",
                    self.cfg.brokers
                ))
            })
        };
        let producer_known = |p: u32| -> Result<(), CommandError> {
            if p >= 1 && p <= self.cfg.producers {
                Ok(())
            } else {
                Err(CommandError(format!(
                    "there is no producer {p} (producers are 1..={})",
                    self.cfg.producers
                )))
            }
        };
        let node_known = |n: &NodeId| -> Result<(), CommandError> {
            if self.node_exists(*n) {
                Ok(())
            } else {
                Err(CommandError(format!("there is no node {n}")))
            }
        };
        match cmd {
            Command::Produce {
                producer,
                topic,
                partition,
                ..
            } => {
                producer_known(*producer)?;
                self.producers[*producer as usize - 1]
                    .check_txn_send()
                    .map_err(|r| CommandError(r.0))?;
                if let Some(t) = topic {
                    let ti = self.topic_index(t)?;
                    if let Some(p) = partition {
                        let n = self.cfg.topics[ti as usize].partitions;
                        if *p >= n {
                            return err(format!("topic {t} has no partition {p} (it has {n})"));
                        }
                    }
                } else if let Some(p) = partition {
                    let n = self.cfg.topics[0].partitions;
                    if *p >= n {
                        return err(format!(
                            "topic {} has no partition {p} (it has {n})",
                            self.cfg.topics[0].name
                        ));
                    }
                }
                Ok(())
            }
            Command::Transaction { producer, call } => {
                producer_known(*producer)?;
                let p = &self.producers[*producer as usize - 1];
                p.check_txn_call(call.call()).map_err(|r| CommandError(r.0))
            }
            Command::UncleanLeaderElection { enable } => {
                if self.controller.unclean_leader_election_enable(&self.cfg) == *enable {
                    return err(format!(
                        "unclean.leader.election.enable is already {enable}"
                    ));
                }
                if self.paused.contains(&NodeId::Controller) {
                    return err(
                        "the controller is paused: it takes no configuration change until it is resumed"
                            .into(),
                    );
                }
                Ok(())
            }
            Command::AutoProduce {
                producer, topic, ..
            } => {
                producer_known(*producer)?;
                if self.cfg.transactional() {
                    return err("auto-produce is not transactional: send records one by one inside a transaction".into());
                }
                if let Some(t) = topic {
                    self.topic_index(t)?;
                }
                if let Command::AutoProduce { interval_ms, .. } = cmd {
                    if *interval_ms > MAX_DURATION_MS {
                        return err(format!(
                            "interval_ms must be at most one day ({MAX_DURATION_MS} ms)"
                        ));
                    }
                }
                Ok(())
            }
            Command::Crash { broker, .. } | Command::Shutdown { broker } => {
                let s = broker_known(broker)?;
                if s.status != BrokerStatus::Up {
                    return err(format!("broker {broker} is not running"));
                }
                if matches!(cmd, Command::Shutdown { .. }) && s.broker.shutting_down {
                    return err(format!("broker {broker} is already shutting down"));
                }
                Ok(())
            }
            Command::Restart { broker } => {
                let s = broker_known(broker)?;
                if s.status == BrokerStatus::Up {
                    return err(format!("broker {broker} is already running"));
                }
                Ok(())
            }
            Command::Pause { node } => {
                node_known(node)?;
                if self.paused.contains(node) {
                    return err(format!("{node} is already paused"));
                }
                if let NodeId::Broker(b) = node {
                    if self.brokers[b].status != BrokerStatus::Up {
                        return err(format!("broker {b} is not running"));
                    }
                }
                Ok(())
            }
            Command::Resume { node } => {
                node_known(node)?;
                if !self.paused.contains(node) {
                    return err(format!("{node} is not paused"));
                }
                Ok(())
            }
            Command::Isolate { node } => node_known(node),
            Command::Cut { from, to, .. } | Command::Slow { from, to, .. } => {
                node_known(from)?;
                node_known(to)?;
                if from == to {
                    return err("a link needs two different nodes".into());
                }
                if let Command::Slow { extra_ms, .. } = cmd {
                    if *extra_ms > MAX_DURATION_MS {
                        return err(format!(
                            "extra_ms must be at most one day ({MAX_DURATION_MS} ms)"
                        ));
                    }
                }
                Ok(())
            }
            Command::Heal { node } => node.as_ref().map_or(Ok(()), node_known),
            Command::Drop { message } => {
                if self.in_flight().any(|e| e.id == *message) {
                    Ok(())
                } else {
                    err(format!("message {message} is not in flight"))
                }
            }
            Command::DeleteRecords {
                topic,
                partition,
                offset,
            } => {
                if *offset < -1 {
                    return err(format!(
                        "DeleteRecords offset {offset} is invalid: use -1 (the HW) or an offset from 0"
                    ));
                }
                self.delete_records_target(topic.as_deref(), *partition)?;
                Ok(())
            }
            Command::Flush { broker } => {
                let s = broker_known(broker)?;
                if s.status != BrokerStatus::Up {
                    return err(format!("broker {broker} is not running"));
                }
                Ok(())
            }
            Command::AddConsumer => {
                if self.cfg.consumers == 0 {
                    return err(
                        "this run has no consumer group (set consumers = 1 or more in the configuration)"
                            .into(),
                    );
                }
                if self.consumers.len() >= 16 {
                    return err("at most 16 consumers".into());
                }
                Ok(())
            }
            Command::RemoveConsumer { consumer }
            | Command::CrashConsumer { consumer }
            | Command::RestartConsumer { consumer }
            | Command::CommitMode { consumer, .. }
            | Command::IsolationLevel { consumer, .. } => {
                let Some(s) = self.consumer(*consumer) else {
                    return err(format!(
                        "there is no consumer c{consumer} (consumers are c1..=c{})",
                        self.consumers.len()
                    ));
                };
                let up = s.status == BrokerStatus::Up;
                match cmd {
                    Command::RestartConsumer { .. } if up => {
                        err(format!("consumer c{consumer} is already running"))
                    }
                    Command::RestartConsumer { .. } => Ok(()),
                    Command::CommitMode { .. } => Ok(()),
                    Command::IsolationLevel { level, .. } => {
                        if self.cfg.pipeline.as_ref().is_some_and(|p| p.exactly_once()) {
                            err("an exactly_once_v2 pipeline reads read_committed (Kafka Streams sets it)".into())
                        } else if s.consumer.isolation == *level {
                            err(format!("c{consumer} already reads {}", level.name()))
                        } else {
                            Ok(())
                        }
                    }
                    _ if !up => err(format!("consumer c{consumer} is not running")),
                    _ => Ok(()),
                }
            }
        }
    }
}

/// Human text for a command, for the event log.
pub fn command_text(cmd: &Command) -> String {
    match cmd {
        Command::Produce {
            producer,
            key,
            value,
            acks,
            partition,
            ..
        } => {
            let mut s = format!("p{producer}.send({value}");
            if let Some(k) = key {
                s.push_str(&format!(", key={k}"));
            }
            if let Some(p) = partition {
                s.push_str(&format!(", partition={p}"));
            }
            if let Some(a) = acks {
                s.push_str(&format!(", acks={}", a.as_str()));
            }
            s.push(')');
            s
        }
        Command::Transaction { producer, call } => format!("p{producer}.{}", call.method()),
        Command::UncleanLeaderElection { enable } => {
            format!("admin.incrementalAlterConfigs(unclean.leader.election.enable={enable})")
        }
        Command::AutoProduce {
            producer,
            interval_ms,
            ..
        } if *interval_ms == 0 => format!("p{producer} stops auto-producing"),
        Command::AutoProduce {
            producer,
            interval_ms,
            ..
        } => format!("p{producer} sends a record every {interval_ms} ms"),
        Command::Crash {
            broker,
            lose_unflushed: true,
        } => format!("power failure on b{broker}: unflushed records are lost"),
        Command::Crash { broker, .. } => format!("kill -9 b{broker}"),
        Command::Shutdown { broker } => format!("controlled shutdown of b{broker}"),
        Command::Restart { broker } => format!("restart b{broker}"),
        Command::Pause { node } => format!("pause {node}"),
        Command::Resume { node } => format!("resume {node}"),
        Command::Isolate { node } => format!("isolate {node} from the network"),
        Command::Cut {
            from,
            to,
            both: true,
        } => format!("cut the link {from} ↔ {to}"),
        Command::Cut { from, to, .. } => format!("cut the link {from} → {to}"),
        Command::Heal { node: None } => "heal the network".into(),
        Command::Heal { node: Some(n) } => format!("heal the links of {n}"),
        Command::Slow {
            from, to, extra_ms, ..
        } => format!("slow the link {from} → {to} by {extra_ms} ms"),
        Command::Drop { message } => format!("drop message {message}"),
        Command::Flush { broker } => format!("flush b{broker}'s log to disk"),
        Command::DeleteRecords {
            topic,
            partition,
            offset,
        } => {
            let t = topic.as_deref().map_or(String::new(), |t| format!("{t}-"));
            let to = if *offset == -1 {
                "the HW".to_string()
            } else {
                format!("offset {offset}")
            };
            format!("admin.deleteRecords({t}p{partition} before {to})")
        }
        Command::AddConsumer => "add a consumer to the group".into(),
        Command::RemoveConsumer { consumer } => {
            format!("c{consumer}.close(): leave the group")
        }
        Command::CrashConsumer { consumer } => format!("kill -9 c{consumer}"),
        Command::RestartConsumer { consumer } => format!("restart c{consumer}"),
        Command::CommitMode { consumer, mode } => {
            format!("c{consumer} commits {}", commit_mode_text(*mode))
        }
        Command::IsolationLevel { consumer, level } => {
            format!("c{consumer} isolation.level = {}", level.name())
        }
    }
}

fn commit_mode_text(mode: CommitMode) -> &'static str {
    match mode {
        CommitMode::Auto => "automatically (enable.auto.commit)",
        CommitMode::AfterProcessing => "after processing (at-least-once)",
        CommitMode::BeforeProcessing => "before processing (at-most-once)",
    }
}

/// An auto-produced record's value, `p<producer>-<n>`: written digit by digit, as the busiest
/// workloads make one per record and `format!` cost more than the rest of the send.
fn auto_value(producer: u32, n: u64) -> String {
    let mut s = String::with_capacity(24);
    s.push('p');
    push_decimal(&mut s, u64::from(producer));
    s.push('-');
    push_decimal(&mut s, n);
    s
}

fn push_decimal(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::auto_value;

    #[test]
    fn auto_values_read_as_format_writes_them() {
        for (p, n) in [
            (1, 0),
            (1, 1),
            (3, 9),
            (12, 10),
            (u32::MAX, u64::MAX),
            (7, 1_000_000),
        ] {
            assert_eq!(auto_value(p, n), format!("p{p}-{n}"));
        }
    }
}

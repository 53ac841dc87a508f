//! The pipeline's instances at work (`crate::pipeline`): what each instance's consumer
//! processed goes out through its producer, and each processed batch is committed — in a
//! transaction with its offsets (`exactly_once_v2`, R6.8) or by a flush and then an offset
//! commit (`at_least_once`). Runs after every step; a run without `[pipeline]` skips it.

use super::*;
use crate::consumer::AppDone;
use crate::pipeline::{transform, AppInstance, AppPhase, ProcessedBatch};
use crate::producer_txn::{TxnCall, TxnOffsets};
use crate::txn::client::ClientTxnState;

/// Request ids of a restarted instance's producer start here times its incarnation, so that an
/// answer to the crashed incarnation never matches a new request.
const INCARNATION_REQUEST_IDS: u64 = 1 << 40;

impl Cluster {
    /// The pipeline's instances (empty without `[pipeline]`).
    pub fn pipeline_instances(&self) -> &[AppInstance] {
        &self.apps
    }

    /// The instance whose consumer is `consumer`.
    fn app_of_consumer(&self, consumer: u32) -> Option<usize> {
        self.apps.iter().position(|a| a.consumer == consumer)
    }

    /// Whether `producer` belongs to an instance that is down (its messages are lost).
    pub(super) fn pipeline_producer_down(&self, producer: u32) -> bool {
        self.apps
            .iter()
            .any(|a| a.producer == producer && a.phase == AppPhase::Down)
    }

    /// A pipeline instance's consumer processed `record`: its output waits to be sent, and with
    /// `external_write` the external system gets it now (outside any transaction).
    pub(super) fn pipeline_processed(&mut self, consumer: u32, record: crate::log::RecordId) {
        let Some(i) = self.app_of_consumer(consumer) else {
            return;
        };
        if matches!(self.apps[i].phase, AppPhase::Down | AppPhase::Fenced) {
            return;
        }
        self.apps[i].to_send.push(record);
        if self.cfg.pipeline.as_ref().is_some_and(|p| p.external_write) {
            let times = self.ledger.on_external_write(record);
            let value = self.value_of(record);
            self.log_at(EventKind::Consume, NodeId::consumer(consumer), || {
                if times > 1 {
                    format!("wrote {value} to the external system AGAIN: {times} times")
                } else {
                    format!("wrote {value} to the external system")
                }
            });
        }
    }

    /// An output record of `producer` failed for good.
    pub(super) fn pipeline_send_failed(&mut self, producer: u32) {
        if let Some(a) = self.apps.iter_mut().find(|a| a.producer == producer) {
            a.send_failed = true;
        }
    }

    /// A pipeline instance's consumer finished a batch: the application commits it.
    pub(super) fn pipeline_batch(&mut self, consumer: u32, batch: ProcessedBatch) {
        if let Some(i) = self.app_of_consumer(consumer) {
            self.apps[i].batch = Some(batch);
        }
    }

    /// The producer of the pipeline instance whose consumer is `node`.
    pub(super) fn pipeline_producer_of(&self, node: NodeId) -> Option<u32> {
        let c = node.as_consumer()?;
        self.apps
            .iter()
            .find(|a| a.consumer == c)
            .map(|a| a.producer)
    }

    /// A consumer was added to a pipeline run: a new instance, with a new producer.
    pub(super) fn pipeline_added(&mut self, consumer: u32) {
        let Some(pl) = self.cfg.pipeline.clone() else {
            return;
        };
        if self.app_of_consumer(consumer).is_some() {
            return;
        }
        let id = self.producers.len() as u32 + 1;
        let mut app = AppInstance::new(consumer, 0, pl.exactly_once());
        app.producer = id;
        let producer = self.new_pipeline_producer(id);
        self.producers.push(producer);
        self.apps.push(app);
    }

    /// An instance's process died (its consumer crashed): its producer dies with it.
    pub(super) fn pipeline_crashed(&mut self, consumer: u32) {
        let Some(i) = self.app_of_consumer(consumer) else {
            return;
        };
        let p = self.apps[i].producer;
        self.stop_client(NodeId::Producer(p));
        let app = &mut self.apps[i];
        app.phase = AppPhase::Down;
        app.to_send.clear();
        app.batch = None;
    }

    /// An instance starts again: a new producer (initTransactions again under exactly-once,
    /// which bumps the epoch and fences whatever the old incarnation left open).
    pub(super) fn pipeline_restarted(&mut self, consumer: u32) {
        let Some(i) = self.app_of_consumer(consumer) else {
            return;
        };
        let eos = self.cfg.pipeline.as_ref().is_some_and(|p| p.exactly_once());
        let p = self.apps[i].producer;
        let incarnation = self.apps[i].incarnation + 1;
        let mut fresh = self.new_pipeline_producer(p);
        fresh.next_request_id = u64::from(incarnation) * INCARNATION_REQUEST_IDS;
        // A new idempotent producer gets a new producer id (InitProducerId without a
        // transactional id allocates one), so the brokers do not take its sequences for
        // retries of the old one's. A transactional producer's id comes from its coordinator.
        fresh.producer_id += 1000 * i64::from(incarnation);
        self.producers[p as usize - 1] = fresh;
        let app = &mut self.apps[i];
        app.incarnation = incarnation;
        app.phase = if eos {
            AppPhase::Starting
        } else {
            AppPhase::Running
        };
    }

    /// A producer of a pipeline instance, with the run's metadata.
    pub(super) fn new_pipeline_producer(&self, id: u32) -> Producer {
        let metadata = self.controller.client_metadata();
        let tid = self
            .cfg
            .pipeline
            .as_ref()
            .filter(|p| p.exactly_once())
            .map(|p| p.transactional_id());
        Producer::with_transactional_id(id, metadata, tid)
    }

    /// Moves every instance as far as it can go now.
    pub(super) fn pipeline_upkeep(&mut self) {
        if self.apps.is_empty() {
            return;
        }
        for i in 0..self.apps.len() {
            // Each move changes the phase or empties a queue: a handful at most.
            for _ in 0..8 {
                if !self.app_step(i) {
                    break;
                }
            }
        }
    }

    /// One move of instance `i`; false when it has to wait.
    fn app_step(&mut self, i: usize) -> bool {
        let Some(pl) = self.cfg.pipeline.clone() else {
            return false;
        };
        let eos = pl.exactly_once();
        let (c, p, phase) = (
            self.apps[i].consumer,
            self.apps[i].producer,
            self.apps[i].phase,
        );
        if matches!(phase, AppPhase::Down | AppPhase::Fenced) {
            return false;
        }
        let state = self.producers[p as usize - 1].txn.as_ref().map(|t| t.state);
        if eos && state == Some(ClientTxnState::FatalError) {
            // ProducerFencedException: a newer instance owns the transactional id; this one
            // must close its producer (here the instance stops).
            self.apps[i].phase = AppPhase::Fenced;
            self.apps[i].to_send.clear();
            self.apps[i].batch = None;
            let node = NodeId::consumer(c);
            self.stop_client(node);
            self.consumers[c as usize - 1].status = BrokerStatus::Stopped;
            self.log_at(EventKind::Transaction, node, || {
                format!("c{c}/p{p}: the producer was fenced by a newer instance with the same transactional.id; this instance stops")
            });
            return true;
        }
        match phase {
            AppPhase::Starting => match state {
                Some(ClientTxnState::Uninitialized) => self.app_call(p, TxnCall::Init),
                Some(ClientTxnState::Ready) => {
                    self.apps[i].phase = AppPhase::Running;
                    true
                }
                _ => false,
            },
            AppPhase::Running => {
                if eos && state == Some(ClientTxnState::AbortableError) {
                    return self.app_abort(i);
                }
                if !self.apps[i].to_send.is_empty() || self.apps[i].batch.is_some() {
                    if eos && state == Some(ClientTxnState::Ready) {
                        return self.app_call(p, TxnCall::Begin);
                    }
                    if eos && state != Some(ClientTxnState::InTransaction) {
                        return false;
                    }
                }
                if !self.apps[i].to_send.is_empty() {
                    self.app_send(i);
                    return true;
                }
                let Some(batch) = self.apps[i].batch.clone() else {
                    return false;
                };
                if eos {
                    let offsets = TxnOffsets {
                        offsets: batch.offsets,
                        generation: batch.generation,
                        member_id: batch.member_id,
                    };
                    let now = self.now;
                    let cfg = self.cfg.clone();
                    let mut out = Out::default();
                    let pr = &mut self.producers[p as usize - 1];
                    let sent = pr.send_offsets_to_transaction(now, &cfg, offsets, &mut out);
                    self.process(NodeId::Producer(p), out);
                    if sent.is_err() {
                        return false;
                    }
                    self.apps[i].phase = AppPhase::Committing;
                    self.app_call(p, TxnCall::Commit);
                } else {
                    self.apps[i].phase = AppPhase::Flushing;
                }
                true
            }
            AppPhase::Flushing => {
                let pr = &self.producers[p as usize - 1];
                if pr.queued().next().is_some() || pr.has_in_flight() {
                    return false;
                }
                if self.apps[i].send_failed {
                    // An output is missing: committing the offsets would lose its input.
                    self.apps[i].aborts += 1;
                    self.app_done(i, AppDone::Aborted);
                } else {
                    self.apps[i].commits += 1;
                    self.app_done(i, AppDone::Flushed);
                }
                true
            }
            AppPhase::Committing => match state {
                Some(ClientTxnState::Ready) => {
                    let offsets = self.apps[i]
                        .batch
                        .as_ref()
                        .map(|b| b.offsets.clone())
                        .unwrap_or_default();
                    let at = self.stamp();
                    for (tp, o) in &offsets {
                        self.ledger.on_group_commit(*tp, *o, at);
                    }
                    self.apps[i].commits += 1;
                    self.app_done(i, AppDone::Committed(offsets));
                    true
                }
                Some(ClientTxnState::AbortableError) => self.app_abort(i),
                _ => false,
            },
            AppPhase::Aborting => match state {
                Some(ClientTxnState::Ready) => {
                    self.apps[i].aborts += 1;
                    self.app_done(i, AppDone::Aborted);
                    true
                }
                _ => false,
            },
            AppPhase::Down | AppPhase::Fenced => false,
        }
    }

    /// The instance's batch is finished: the consumer goes on.
    fn app_done(&mut self, i: usize, done: AppDone) {
        let c = self.apps[i].consumer;
        self.apps[i].phase = AppPhase::Running;
        self.apps[i].batch = None;
        self.apps[i].send_failed = false;
        let now = self.now;
        let cfg = self.cfg.clone();
        let mut out = Out::default();
        self.consumers[c as usize - 1]
            .consumer
            .app_done(now, &cfg, done, &mut out);
        self.process(NodeId::consumer(c), out);
    }

    /// abortTransaction(): the outputs not sent are dropped; the batch is read again.
    fn app_abort(&mut self, i: usize) -> bool {
        let p = self.apps[i].producer;
        self.apps[i].to_send.clear();
        self.apps[i].phase = AppPhase::Aborting;
        self.app_call(p, TxnCall::Abort)
    }

    /// The application calls `call` on the instance's producer.
    fn app_call(&mut self, p: u32, call: TxnCall) -> bool {
        let now = self.now;
        let cfg = self.cfg.clone();
        let mut out = Out::default();
        let ok = self.producers[p as usize - 1]
            .txn_call(now, &cfg, call, &mut out)
            .is_ok();
        self.process(NodeId::Producer(p), out);
        ok
    }

    /// Sends the outputs of the processed records: one output record each, to the output
    /// topic, linked to its input in the ledger.
    fn app_send(&mut self, i: usize) {
        let Some(pl) = self.cfg.pipeline.clone() else {
            return;
        };
        let p = self.apps[i].producer;
        let cfg = self.cfg.clone();
        let acks = cfg.acks();
        for input in std::mem::take(&mut self.apps[i].to_send) {
            let Some(e) = self.ledger.get(input) else {
                continue;
            };
            let (key, value, tp) = (e.key.clone(), transform(&e.value), e.tp);
            let out_tp = pl.output_partition(&cfg, tp);
            let at = self.stamp();
            let id = self
                .ledger
                .produce_output(p, out_tp, key, value, acks, input, at);
            let mut out = Out::default();
            self.producers[p as usize - 1].send(self.now, &cfg, id, out_tp, acks, &mut out);
            self.process(NodeId::Producer(p), out);
        }
    }
}

//! Produce-to-acknowledgement latency per `acks` setting (the read model's `AckLatency`): one row
//! per setting that sent a record, with its percentiles and a histogram on a shared scale, so
//! acks=0, 1 and all can be compared in one run. Shown next to the HW and LEO plot.

use std::rc::Rc;

use highwater_core::read_model::latency::BUCKET_EDGES_MS;
use highwater_core::read_model::{AckLatency, AckLatencyGroup};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LatencyProps {
    pub latency: Rc<AckLatency>,
}

const BAR_W: f64 = 14.0;
const GAP: f64 = 2.0;
const BARS_H: f64 = 28.0;

/// A bucket's label: "≤ 5 ms", or "> 10 s" for the last.
fn bucket_label(i: usize) -> String {
    let ms = |v: u64| {
        if v >= 1_000 {
            format!("{} s", v / 1_000)
        } else {
            format!("{v} ms")
        }
    };
    match BUCKET_EDGES_MS.get(i) {
        Some(edge) => format!("≤ {}", ms(*edge)),
        None => format!("> {}", ms(BUCKET_EDGES_MS[BUCKET_EDGES_MS.len() - 1])),
    }
}

fn histogram(g: &AckLatencyGroup, top: u32) -> Html {
    let n = g.histogram.len() as f64;
    let width = n * (BAR_W + GAP);
    let bars = g.histogram.iter().enumerate().map(|(i, count)| {
        let h = if *count == 0 {
            0.0
        } else {
            (f64::from(*count) / f64::from(top.max(1)) * BARS_H).max(2.0)
        };
        let x = i as f64 * (BAR_W + GAP);
        html! {
            <g>
                <title>{ format!("{}: {count}", bucket_label(i)) }</title>
                <rect class="lat-slot" x={x.to_string()} y="0" width={BAR_W.to_string()} height={BARS_H.to_string()} />
                <rect class="lat-bar" x={x.to_string()} y={(BARS_H - h).to_string()}
                      width={BAR_W.to_string()} height={h.to_string()} />
            </g>
        }
    });
    html! {
        <svg class="lat-hist" viewBox={format!("0 0 {width} {BARS_H}")} width={width.to_string()}
             height={BARS_H.to_string()} role="img"
             aria-label={format!("histogram of acks={} latencies", g.acks.as_str())}>
            { for bars }
        </svg>
    }
}

fn row(g: &AckLatencyGroup, top: u32) -> Html {
    let ms = |v: Option<u64>| v.map_or("—".to_string(), |v| v.to_string());
    let mut extra = Vec::new();
    if g.waiting > 0 {
        extra.push(format!("{} waiting", g.waiting));
    }
    if g.failed > 0 {
        extra.push(format!("{} failed", g.failed));
    }
    html! {
        <tr data-acks={g.acks.as_str()}>
            <th scope="row">{ format!("acks={}", g.acks.as_str()) }</th>
            <td>{ g.acked }</td>
            <td>{ ms(g.p50_ms) }</td>
            <td>{ ms(g.p95_ms) }</td>
            <td>{ ms(g.max_ms) }</td>
            <td>{ histogram(g, top) }
                if !extra.is_empty() { <span class="panel-note lat-extra">{ extra.join(" · ") }</span> }
            </td>
        </tr>
    }
}

#[function_component(LatencyPanel)]
pub fn latency_panel(props: &LatencyProps) -> Html {
    let groups = &props.latency.groups;
    let top = groups
        .iter()
        .flat_map(|g| g.histogram.iter().copied())
        .max()
        .unwrap_or(0);
    html! {
        <section class="panel latency-panel" aria-labelledby="latency-title">
            <div class="panel-head">
                <h2 id="latency-title">{ "Acknowledgement latency" }</h2>
                <span class="panel-note">{ "send() → ack, virtual ms" }</span>
            </div>
            <div class="panel-body">
                if groups.is_empty() {
                    <p class="panel-note">{ "No record sent yet. Records produced with different acks (the Produce panel's acks choice) are compared here." }</p>
                } else {
                    <table class="latency-table">
                        <thead><tr>
                            <th scope="col">{ "acks" }</th><th scope="col">{ "acked" }</th>
                            <th scope="col">{ "p50" }</th><th scope="col">{ "p95" }</th>
                            <th scope="col">{ "max" }</th>
                            <th scope="col" title={format!("{} … {}", bucket_label(0), bucket_label(BUCKET_EDGES_MS.len()))}>{ "0 ms … 10 s" }</th>
                        </tr></thead>
                        <tbody>{ for groups.iter().map(|g| row(g, top)) }</tbody>
                    </table>
                }
            </div>
        </section>
    }
}

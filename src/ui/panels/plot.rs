//! A small plot of each replica's HW (dashed) and LEO (solid) over the last seconds of virtual
//! time, for one partition, from samples the reducer takes as the run advances.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::format::{fmt, seconds};
use crate::ui::state::Dispatch;
use crate::ui::state::{Msg, Samples};
use crate::ui::view::Topology;

/// Virtual milliseconds shown.
pub const SPAN_MS: u64 = 20_000;

#[derive(Properties)]
pub struct PlotProps {
    pub samples: Rc<RefCell<Samples>>,
    /// Redraws only when this changes (the samples are shared and mutable).
    pub version: u64,
    pub step: u64,
    pub time: u64,
    pub part: usize,
    pub topology: Rc<Topology>,
    pub dispatch: Dispatch,
}

impl PartialEq for PlotProps {
    fn eq(&self, o: &Self) -> bool {
        self.version == o.version
            && self.part == o.part
            && Rc::ptr_eq(&self.samples, &o.samples)
            && Rc::ptr_eq(&self.topology, &o.topology)
    }
}

const W: f64 = 320.0;
const H: f64 = 120.0;
const LEFT: f64 = 30.0;
const BOTTOM: f64 = 16.0;

#[function_component(Plot)]
pub fn plot(props: &PlotProps) -> Html {
    let s = props.samples.borrow();
    let t1 = props.time.max(1);
    let t0 = t1.saturating_sub(SPAN_MS);
    let first = s.points.partition_point(|p| p.time < t0).saturating_sub(1);
    let last = s.points.partition_point(|p| p.step <= props.step);
    let pts = if first < last {
        &s.points[first..last]
    } else {
        &[][..]
    };
    let cols: Vec<(usize, u32)> = s
        .keys
        .iter()
        .enumerate()
        .filter(|(_, (_, part))| *part == props.part)
        .map(|(i, (b, _))| (i, *b))
        .collect();
    let vmax = pts
        .iter()
        .flat_map(|p| cols.iter().map(move |(i, _)| p.vals[*i].1))
        .max()
        .unwrap_or(0)
        .max(4);
    let vmin = pts
        .iter()
        .flat_map(|p| cols.iter().map(move |(i, _)| p.vals[*i].0))
        .min()
        .unwrap_or(0)
        .min(vmax - 4)
        .max(0);
    let x = |t: u64| LEFT + (t.max(t0) - t0) as f64 / (t1 - t0).max(1) as f64 * (W - LEFT - 4.0);
    let y =
        |v: i64| 4.0 + (1.0 - (v - vmin) as f64 / (vmax - vmin).max(1) as f64) * (H - BOTTOM - 8.0);
    let line = |col: usize, hw: bool| -> String {
        let mut out = String::new();
        let mut prev: Option<f64> = None;
        for p in pts {
            let v = if hw { p.vals[col].0 } else { p.vals[col].1 };
            let (px, py) = (x(p.time), y(v));
            if let Some(py0) = prev {
                out.push_str(&format!(" {},{}", fmt(px), fmt(py0)));
            }
            out.push_str(&format!(" {},{}", fmt(px), fmt(py)));
            prev = Some(py);
        }
        if let Some(py) = prev {
            out.push_str(&format!(" {},{}", fmt(x(t1)), fmt(py)));
        }
        out
    };
    let series = cols.iter().enumerate().map(|(k, (col, b))| {
        let off = k as f64 * 1.2; // separate equal lines a little
        html! {
            <g class={format!("series b{}", (b - 1) % 7 + 1)} transform={format!("translate(0 {})", fmt(off))}>
                <polyline class="leo-line" points={line(*col, false)} />
                <polyline class="hw-line" points={line(*col, true)} />
            </g>
        }
    });
    let on_part = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                d.dispatch(Msg::PlotPartition(sel.value().parse().unwrap_or(0)));
            }
        })
    };
    html! {
        <section class="panel plot" aria-labelledby="plot-title">
            <div class="panel-head">
                <h2 id="plot-title">{ "HW and LEO" }</h2>
                <label class="panel-note">{ "partition " }
                    <select onchange={on_part} aria-label="Partition to plot">
                        { for props.topology.partitions.iter().enumerate().map(|(i, p)| html! {
                            <option value={i.to_string()} selected={i == props.part}>{ p.label.clone() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="panel-body">
                <svg class="plot-svg" viewBox={format!("0 0 {W} {H}")} role="img"
                     aria-label={format!("High watermark and log end offset of each replica over the last {} seconds", SPAN_MS / 1000)}>
                    <line class="axis" x1={fmt(LEFT)} x2={fmt(W - 4.0)} y1={fmt(H - BOTTOM)} y2={fmt(H - BOTTOM)} />
                    <line class="axis" x1={fmt(LEFT)} x2={fmt(LEFT)} y1="4" y2={fmt(H - BOTTOM)} />
                    <text class="tick" x={fmt(LEFT - 4.0)} y="10" text-anchor="end">{ vmax }</text>
                    <text class="tick" x={fmt(LEFT - 4.0)} y={fmt(H - BOTTOM)} text-anchor="end">{ vmin }</text>
                    <text class="tick" x={fmt(LEFT)} y={fmt(H - 3.0)}>{ seconds(t0) }</text>
                    <text class="tick" x={fmt(W - 4.0)} y={fmt(H - 3.0)} text-anchor="end">{ seconds(t1) }</text>
                    { for series }
                </svg>
                <ul class="plot-legend">
                    { for cols.iter().map(|(_, b)| html! {
                        <li class={format!("b{}", (b - 1) % 7 + 1)}>
                            <svg width="30" height="8" aria-hidden="true"><line x1="0" x2="14" y1="4" y2="4" class="leo-line" /><line x1="16" x2="30" y1="4" y2="4" class="hw-line" /></svg>
                            { format!("b{b}") }
                        </li>
                    }) }
                    <li class="muted">{ "solid LEO · dashed HW" }</li>
                </ul>
            </div>
        </section>
    }
}

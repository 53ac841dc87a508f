//! One replica's row in a broker box: leader crown, partition name, leader epoch, ISR membership,
//! and the log strip — offset cells coloured by the leader epoch that wrote them, solid below the
//! high watermark (committed) and faded above it, the HW line, the LEO tick, and on a follower the
//! leader's HW (dotted) so that the follower's lag is visible.

use std::rc::Rc;

use yew::prelude::*;

use super::layout::Layout;
use super::{epoch_class, CROWN};
use crate::ui::view::{BrokerView, ReplicaRole, ReplicaView, Topology};

#[derive(Properties)]
pub struct StripProps {
    pub broker: Rc<BrokerView>,
    pub index: usize,
    pub layout: Rc<Layout>,
    pub topology: Rc<Topology>,
}

impl StripProps {
    fn replica(&self) -> &ReplicaView {
        &self.broker.replicas[self.index]
    }
}

impl PartialEq for StripProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.layout, &o.layout)
            && Rc::ptr_eq(&self.topology, &o.topology)
            && self.broker.status == o.broker.status
            && self.broker.id == o.broker.id
            && self.replica() == o.replica()
    }
}

#[function_component(LogStrip)]
pub fn log_strip(props: &StripProps) -> Html {
    let l = &*props.layout;
    let r = props.replica();
    let label = props
        .topology
        .partitions
        .get(r.part)
        .map_or("?", |p| p.label.as_str());
    let y = l.header_h + props.index as f64 * l.row_h;
    let first = l.first_offset(r.win_hi);
    let cy = 6.0;
    let ch = l.cell_h;
    let leader = r.role == ReplicaRole::Leader;

    // Cells sit at fixed positions (offset × pitch) inside a group that the window shifts, so
    // when records are appended only the group's transform and the new cells change.
    let pitch = l.pitch;
    // No transform per cell: every SVG transform is a node of the compositor's property trees
    // (and its own paint chunk), which the browser walks on every frame the page repaints.
    let (cell_w, cell_h) = (fmt(l.cell_w), fmt(ch));
    let label_y = fmt(ch / 2.0 + 3.5);
    let cells = r.cells.iter().filter(|c| c.offset >= first).map(|c| {
        let committed = c.offset < r.hw;
        let class = classes!(
            "cell",
            epoch_class(c.epoch),
            if committed { "committed" } else { "uncommitted" },
            c.lost.then_some("lost"),
            c.duplicated.then_some("dup"),
        );
        let x = c.offset as f64 * pitch;
        html! {
            <g key={c.offset} class={class} data-offset={c.offset.to_string()}>
                <rect x={fmt(x)} width={cell_w.clone()} height={cell_h.clone()} rx="2" />
                <text x={fmt(x + l.cell_w / 2.0)} y={label_y.clone()} class="cell-label">{ c.label.clone() }</text>
                if c.lost {
                    <path class="lost-mark" d={format!(
                        "M{a} 3L{b} {h}M{b} 3L{a} {h}",
                        a = fmt(x + 3.0),
                        b = fmt(x + l.cell_w - 3.0),
                        h = fmt(ch - 3.0)
                    )} />
                }
            </g>
        }
    });
    let cells_shift = format!(
        "translate({} {})",
        fmt(l.label_w - first as f64 * pitch),
        fmt(cy)
    );

    let clamp_x = |o: i64| l.cell_x(o.max(first), r.win_hi) - 1.0;
    let hw_x = clamp_x(r.hw);
    let leo_x = clamp_x(r.leo);
    let more_left = r.log_start < first && r.leo > 0;
    let unflushed_from = r.flushed.max(first);
    let figures = if l.compact {
        format!("{}/{}", r.hw, r.leo)
    } else {
        format!("HW {} · LEO {}", r.hw, r.leo)
    };
    let role = match r.role {
        ReplicaRole::Leader => format!("leader in epoch {}", r.leader_epoch),
        ReplicaRole::Follower => format!("follower in epoch {}", r.leader_epoch),
        ReplicaRole::None => "no role (broker down or partition offline)".to_string(),
    };
    let shown: Vec<&str> = r
        .cells
        .iter()
        .filter(|c| c.offset >= first)
        .map(|c| c.value.as_str())
        .collect();
    let role_title = format!(
        "{label}: {role}; HW {}, LEO {}, flushed to {}; offsets {}–{}: {}",
        r.hw,
        r.leo,
        r.flushed,
        first,
        r.win_hi - 1,
        shown.join(", ")
    );
    let isr_title = if r.in_isr {
        "in the ISR (controller's view)"
    } else {
        "not in the ISR (controller's view)"
    };
    let isr_x = l.label_w - 17.0;

    html! {
        <g class={classes!("replica", r.role.as_str())} transform={format!("translate(0 {})", fmt(y))}
           data-partition={label.to_string()} data-role={r.role.as_str()}
           data-epoch={r.leader_epoch.to_string()} data-hw={r.hw.to_string()} data-leo={r.leo.to_string()}
           data-in-isr={r.in_isr.to_string()}
           data-log={r.cells.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(",")}>
            <title>{ role_title.clone() }</title>
            if leader {
                <path class="crown" d={CROWN} transform={format!("translate(8 {})", fmt(cy + 3.0))} />
            }
            <text class="part-label" x="25" y={fmt(cy + 13.0)}>{ label.to_string() }</text>
            <text class="epoch-label" x={fmt(if l.compact { 25.0 } else { 53.0 })} y={fmt(if l.compact { cy + 23.0 } else { cy + 13.0 })}>
                { format!("e{}", r.leader_epoch.max(0)) }
            </text>
            <circle class={classes!("isr-dot", if r.in_isr { "in" } else { "out" })} cx={fmt(isr_x)} cy={fmt(cy + ch / 2.0)} r="4.5">
                <title>{ isr_title }</title>
            </circle>
            if more_left {
                <text class="more-left" x={fmt(l.label_w - 3.0)} y={fmt(cy + 13.0)} text-anchor="end">{ "‹" }</text>
            }
            <rect class="strip-bg" x={fmt(l.label_w - 1.0)} y={fmt(cy - 1.0)}
                  width={fmt(l.cols as f64 * l.pitch)} height={fmt(ch + 2.0)} rx="3" />
            <g class="cells" transform={cells_shift}>{ for cells }</g>
            if unflushed_from < r.leo {
                <line class="unflushed-mark" x1={fmt(clamp_x(unflushed_from) + 3.0)} x2={fmt(leo_x - 2.0)}
                      y1={fmt(cy + ch + 2.0)} y2={fmt(cy + ch + 2.0)} />
            }
            if let Some(lhw) = r.leader_hw.filter(|h| *h != r.hw && *h >= first && r.role == ReplicaRole::Follower) {
                <line class="leader-hw" x1={fmt(clamp_x(lhw))} x2={fmt(clamp_x(lhw))} y1={fmt(cy - 3.0)} y2={fmt(cy + ch + 3.0)}>
                    <title>{ format!("the leader's HW: {lhw}") }</title>
                </line>
            }
            <line class="hw" x1={fmt(hw_x)} x2={fmt(hw_x)} y1={fmt(cy - 4.0)} y2={fmt(cy + ch + 4.0)}>
                <title>{ format!("high watermark {}: offsets below it are committed", r.hw) }</title>
            </line>
            <path class="leo" d={format!("M{} {}l4.5 5.5h-9z", fmt(leo_x), fmt(cy + ch + 1.0))}>
                <title>{ format!("log end offset {}: the next record goes here", r.leo) }</title>
            </path>
            <text class="figures" x={fmt(l.strip_end() + 8.0)} y={fmt(cy + 13.0)}>{ figures }</text>
        </g>
    }
}

/// Coordinates with one decimal at most (short attributes, stable diffs). Integer arithmetic:
/// it keeps float formatting out of the bundle.
pub fn fmt(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`fmt`] writes it (for path data built in one string).
pub fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write;
    let tenths = (v * 10.0).round() as i64;
    let (sign, t) = if tenths < 0 {
        ("-", -tenths)
    } else {
        ("", tenths)
    };
    let _ = if t % 10 == 0 {
        write!(out, "{sign}{}", t / 10)
    } else {
        write!(out, "{sign}{}.{}", t / 10, t % 10)
    };
}

/// A percentage with three decimals, for CSS.
pub fn pct(part: u64, whole: u64) -> String {
    let milli = part.saturating_mul(100_000) / whole.max(1);
    format!("{}.{:03}%", milli / 1000, milli % 1000)
}

/// Milliseconds as seconds with one decimal: `1234` → `1.2 s`.
pub fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, ms % 1000 / 100)
}

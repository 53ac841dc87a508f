//! One replica's row in a broker box: leader crown, partition name, leader epoch, ISR membership,
//! and the log strip — offset cells coloured by the leader epoch that wrote them, solid below the
//! high watermark (committed) and faded above it, the HW line, the LEO tick, and on a follower the
//! leader's HW (dotted) so that the follower's lag is visible.

use std::rc::Rc;

use yew::prelude::*;

use super::layout::{Layout, NAME_X};
use super::marks::{epoch_class, CROWN};
use super::names;
use crate::ui::format::{fmt, push_num};
use crate::ui::view::{BrokerView, CellTxn, ReplicaRole, ReplicaView, Topology};

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

    let cells = cells_view(l, r, first, cy);
    let clamp_x = |o: i64| l.cell_x(o.max(first), r.win_hi) - 1.0;
    let hw_x = clamp_x(r.hw);
    let leo_x = clamp_x(r.leo);
    // R6.6: the LSO, drawn only where it holds read_committed readers back from the HW.
    let lso = r.last_stable_offset;
    let lso_x = (lso < r.hw && lso >= first).then(|| clamp_x(lso));
    let more_left = r.log_start_offset < first && r.leo > 0;
    let unflushed_from = r.flushed_offset.max(first);
    // Compact: the same words on two lines (no bare "0/1").
    let figures = if l.compact {
        html! {
            <text class="figures" x={fmt(l.strip_end() + 6.0)} y={fmt(cy + 7.0)}>
                <tspan>{ format!("HW {}", r.hw) }</tspan>
                <tspan x={fmt(l.strip_end() + 6.0)} dy="11">{ format!("LEO {}", r.leo) }</tspan>
            </text>
        }
    } else {
        html! {
            <text class="figures" x={fmt(l.strip_end() + 8.0)} y={fmt(cy + 13.0)}>{ format!("HW {} · LEO {}", r.hw, r.leo) }</text>
        }
    };
    let role = match r.role {
        ReplicaRole::Leader => format!("leader in leader epoch {}", r.leader_epoch),
        ReplicaRole::Follower => format!("follower in leader epoch {}", r.leader_epoch),
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
        r.flushed_offset,
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
    let epoch_x = if l.epoch_under {
        NAME_X
    } else {
        NAME_X + l.name_w + 6.0
    };

    html! {
        <g class={classes!("replica", r.role.as_str())} transform={format!("translate(0 {})", fmt(y))}
           data-partition={label.to_string()} data-role={r.role.as_str()}
           data-epoch={r.leader_epoch.to_string()} data-hw={r.hw.to_string()} data-leo={r.leo.to_string()} data-log-start={r.log_start_offset.to_string()} data-lso={lso.to_string()}
           data-in-isr={r.in_isr.to_string()}
           data-log={r.cells.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(",")}>
            <title>{ role_title.clone() }</title>
            if leader {
                <path class="crown" d={CROWN} transform={format!("translate(8 {})", fmt(cy + 3.0))} />
            }
            <text class="part-label" x={fmt(NAME_X)} y={fmt(cy + 13.0)}>{ names::fit(label, l.name_w, names::part_label_advance).into_owned() }</text>
            <text class="epoch-label" x={fmt(epoch_x)} y={fmt(if l.epoch_under { cy + 23.0 } else { cy + 13.0 })}>
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
            { cells }
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
            if let Some(x) = lso_x {
                <path class="lso" d={format!("M{} {}l4 -5h-8z", fmt(x), fmt(cy - 1.0))}>
                    <title>{ format!("last stable offset {lso}: a read_committed consumer reads only below it (an open transaction starts here)") }</title>
                </path>
            }
            <path class="leo" d={format!("M{} {}l4.5 5.5h-9z", fmt(leo_x), fmt(cy + ch + 1.0))}>
                <title>{ format!("log end offset {}: the next record goes here", r.leo) }</title>
            </path>
            { figures }
        </g>
    }
}

/// How a cell looks: the classes it shares with others drawn as one path.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Look {
    epoch: i32,
    committed: bool,
    lost: bool,
    duplicated: bool,
    txn: CellTxn,
}

/// Width of a cell label's character: the labels are monospace (0.6 em of the CSS font size,
/// 11.5 units wide and 10.5 compact), each character centred at its own x, so that all labels
/// of a strip are a few `<text>`s.
fn label_advance(compact: bool) -> f64 {
    if compact {
        0.6 * 10.5
    } else {
        0.6 * 11.5
    }
}

/// The text drawn in a cell: the core's short label, or — when that label only cuts the value
/// short ("fir" of "first") — its first two characters and an ellipsis, so that an abbreviation
/// never reads as a whole value (the row's tooltip has the full values).
pub fn cell_text(label: &str, value: &str) -> String {
    let n = label.chars().count();
    if value.chars().count() > n && value.starts_with(label) && n >= 2 {
        let mut t: String = label.chars().take(n - 1).collect();
        t.push('…');
        t
    } else {
        label.to_string()
    }
}

/// The strip's cells as a few paths and texts: one path per look (epoch colour × committed ×
/// lost × duplicate) holding all its cells' rounded rectangles, one path of lost-record crosses,
/// and the labels of the committed, the uncommitted and the lost cells with a position per
/// character (a lost cell's label has a halo over its cross, so that it stays readable).
struct CellsDrawing {
    paths: Vec<(Look, String)>,
    crosses: String,
    /// `[committed, uncommitted, lost]`: the characters' x positions, and the characters.
    xs: [String; 3],
    text: [String; 3],
    label_y: f64,
}

fn draw_cells(l: &Layout, r: &ReplicaView, first: i64, cy: f64) -> CellsDrawing {
    let (w, h) = (l.cell_w, l.cell_h);
    // A rounded rectangle (corner radius 2) after its top-left corner's "M x+2 y".
    let rest = {
        let (iw, ih) = (fmt(w - 4.0), fmt(h - 4.0));
        format!("h{iw}a2 2 0 0 1 2 2v{ih}a2 2 0 0 1-2 2h-{iw}a2 2 0 0 1-2-2v-{ih}a2 2 0 0 1 2-2z")
    };
    let mut out = CellsDrawing {
        // A strip shows a few looks at most: a short list beats a map.
        paths: Vec::new(),
        crosses: String::new(),
        xs: [String::new(), String::new(), String::new()],
        text: [String::new(), String::new(), String::new()],
        label_y: cy + h / 2.0 + 3.5,
    };
    for c in r.cells.iter().filter(|c| c.offset >= first) {
        let x = l.cell_x(c.offset, r.win_hi);
        let committed = c.offset < r.hw;
        let look = Look {
            epoch: c.epoch.rem_euclid(8),
            committed,
            lost: c.lost,
            duplicated: c.duplicated,
            txn: c.txn,
        };
        let i = match out.paths.iter().position(|(k, _)| *k == look) {
            Some(i) => i,
            None => {
                out.paths.push((look, String::new()));
                out.paths.len() - 1
            }
        };
        let d = &mut out.paths[i].1;
        d.push('M');
        push_num(d, x + 2.0);
        d.push(' ');
        push_num(d, cy);
        d.push_str(&rest);
        if c.lost {
            let (a, b) = (x + 3.0, x + w - 3.0);
            let (t, u) = (cy + 3.0, cy + h - 3.0);
            for (cmd, p, q) in [('M', a, t), ('L', b, u), ('M', b, t), ('L', a, u)] {
                out.crosses.push(cmd);
                push_num(&mut out.crosses, p);
                out.crosses.push(' ');
                push_num(&mut out.crosses, q);
            }
        }
        let k = if c.lost { 2 } else { usize::from(!committed) };
        let text = cell_text(&c.label, &c.value);
        let n = text.chars().count();
        for (i, ch) in text.chars().enumerate() {
            if !out.xs[k].is_empty() {
                out.xs[k].push(' ');
            }
            let dx = (i as f64 - (n as f64 - 1.0) / 2.0) * label_advance(l.compact);
            push_num(&mut out.xs[k], x + w / 2.0 + dx);
            out.text[k].push(ch);
        }
    }
    out
}

/// The strip's cells in a handful of elements, however many records it shows ([`draw_cells`]).
fn cells_view(l: &Layout, r: &ReplicaView, first: i64, cy: f64) -> Html {
    let CellsDrawing {
        paths,
        crosses,
        xs: [x0, x1, x2],
        text: [t0, t1, t2],
        label_y,
    } = draw_cells(l, r, first, cy);
    let y = fmt(label_y);
    html! {
        <g class="cells">
            { for paths.into_iter().map(|(k, d)| html! {
                <path class={classes!(
                    "cell",
                    epoch_class(k.epoch),
                    if k.committed { "committed" } else { "uncommitted" },
                    k.lost.then_some("lost"),
                    k.duplicated.then_some("dup"),
                    match k.txn {
                        CellTxn::Plain => None,
                        CellTxn::Data => Some("txn"),
                        CellTxn::Aborted => Some("aborted"),
                        CellTxn::Marker => Some("marker"),
                    },
                )} {d} />
            }) }
            if !crosses.is_empty() {
                <path class="lost-mark" d={crosses} />
            }
            <text class="cell-label committed" x={x0} y={y.clone()}>{ t0 }</text>
            <text class="cell-label uncommitted" x={x1} y={y.clone()}>{ t1 }</text>
            <text class="cell-label lost" x={x2} {y}>{ t2 }</text>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use highwater_core::cluster::Cluster;

    use super::*;
    use crate::ui::state::default_config;
    use crate::ui::view::Cell;

    fn cell(offset: i64, epoch: i32, label: &str, lost: bool) -> Cell {
        Cell {
            offset,
            epoch,
            id: offset as u32,
            label: label.into(),
            value: label.into(),
            lost,
            duplicated: false,
            txn: CellTxn::Plain,
        }
    }

    #[test]
    fn cells_of_one_look_share_a_path_and_labels_share_a_text() {
        let c = Cluster::new(default_config(), 1).expect("the default config is valid");
        let l = Layout::new(&Topology::build(&c), false);
        // The first replica of the default run, given a made-up log.
        let mut summary = c.replica_summaries(1).remove(0);
        summary.role = ReplicaRole::Leader;
        (summary.leader_epoch, summary.leo, summary.hw) = (1, 4, 2);
        (summary.log_start_offset, summary.flushed_offset) = (0, 4);
        let r = ReplicaView {
            part: 0,
            summary,
            cells: vec![
                cell(0, 0, "7", false),
                cell(1, 0, "12", false),
                cell(2, 1, "x", true),
                cell(3, 9, "y", false),
            ],
            win_hi: 4,
            in_isr: true,
            leader_hw: None,
        };
        let d = draw_cells(&l, &r, 0, 6.0);
        let looks: Vec<(i32, bool, bool, usize)> = d
            .paths
            .iter()
            .map(|(k, p)| (k.epoch, k.committed, k.lost, p.matches('M').count()))
            .collect();
        // Offsets 0 and 1 (epoch 0, below the HW) in one path; epoch 9 is colour 1.
        assert_eq!(
            looks,
            [
                (0, true, false, 2),
                (1, false, true, 1),
                (1, false, false, 1)
            ]
        );
        assert_eq!(d.paths[0].1.matches('z').count(), 2);
        // One cross (two strokes) for the lost record.
        assert_eq!(d.crosses.matches('M').count(), 2);
        // The lost record's label is drawn apart, over its cross.
        assert_eq!(
            d.text,
            ["712".to_string(), "y".to_string(), "x".to_string()]
        );
        // "12" is centred on its cell: its characters lie half an advance either side.
        let xs: Vec<f64> = d.xs[0]
            .split(' ')
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        let mid = l.cell_x(1, 4) + l.cell_w / 2.0;
        assert_eq!(xs.len(), 3);
        let adv = label_advance(false);
        assert!((xs[1] - (mid - adv / 2.0)).abs() < 0.06, "{xs:?}");
        assert!((xs[2] - (mid + adv / 2.0)).abs() < 0.06, "{xs:?}");
    }

    #[test]
    fn a_cut_short_label_shows_an_ellipsis() {
        // The core's label keeps 3 characters: "first" would read "fir".
        assert_eq!(cell_text("fir", "first"), "fi…");
        assert_eq!(cell_text("sec", "second"), "se…");
        // Whole values and labels that are not a prefix (the number of "p1-12") stay.
        assert_eq!(cell_text("a", "a"), "a");
        assert_eq!(cell_text("abc", "abc"), "abc");
        assert_eq!(cell_text("12", "p1-12"), "12");
    }
}

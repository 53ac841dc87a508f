//! The diagram's drawing as SVG markup in one string: the panel sets it as the content of its
//! `<svg>` at once, so a redraw replaces one node's children instead of diffing hundreds of
//! elements (and the bundle carries a few string writers instead of an element tree per item).
//! Every arrow and mark is a focusable `role="button"` whose `<title>` (its fields) is its
//! accessible name and tooltip, with its step in `data-seek`; a lane's name carries `data-lane`
//! (its index).

use crate::types::{Millis, NodeId};

use super::layout::{Arrow, Diagram, End, Lane, Mark, WireGroup, BODY, GUTTER, HEAD};

/// Appends `v` with one decimal at most (short attributes, stable diffs). Integer arithmetic:
/// it keeps float formatting out of the page's bundle.
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

/// Arrows get a label when there are at most this many.
pub const LABELS_UP_TO: usize = 60;

/// The markup inside the `<svg>`: grid and times, lanes, the current step, arrows, marks.
pub fn markup(d: &Diagram, step: u64) -> String {
    let mut s = String::with_capacity(300 * (d.arrows.len() + d.marks.len() + d.lanes.len() + 8));
    s.push_str(r#"<g class="st-grid" aria-hidden="true">"#);
    for (t, y) in ticks(d) {
        line(&mut s, "", (GUTTER - 4.0, y), (d.width, y));
        s.push_str("<text");
        num_attr(&mut s, "x", GUTTER - 6.0);
        num_attr(&mut s, "y", y + 4.0);
        s.push_str(r#" text-anchor="end">"#);
        s.push_str(&t.to_string());
        s.push_str("</text>");
    }
    s.push_str("</g>");
    for (i, l) in d.lanes.iter().enumerate() {
        lane(&mut s, i, l);
    }
    line(&mut s, "st-now", (0.0, d.now_y), (d.width, d.now_y));
    s.push_str(r#"<text class="st-now-label" text-anchor="end""#);
    num_attr(&mut s, "x", d.width - 2.0);
    num_attr(&mut s, "y", d.now_y - 4.0);
    s.push('>');
    s.push_str(&format!("event {step}</text>"));
    let labels = d.arrows.len() <= LABELS_UP_TO;
    for a in &d.arrows {
        arrow(&mut s, a, labels);
    }
    for m in &d.marks {
        mark(&mut s, m);
    }
    s
}

/// Times of the grid lines: five per window, on round numbers.
pub fn ticks(d: &Diagram) -> Vec<(Millis, f64)> {
    let w = d.window;
    let step = ((w.end - w.start) / 5).max(1);
    let first = w.start.div_ceil(step) * step;
    (0..6)
        .map(|i| first + i * step)
        .filter(|&t| t <= w.end)
        .map(|t| (t, w.y(t)))
        .collect()
}

fn num_attr(s: &mut String, name: &str, v: f64) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    push_num(s, v);
    s.push('"');
}

/// `text` with the five XML specials escaped.
fn esc(s: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
}

fn line(s: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
    s.push_str("<line");
    if !class.is_empty() {
        s.push_str(&format!(" class=\"{class}\""));
    }
    num_attr(s, "x1", x1);
    num_attr(s, "y1", y1);
    num_attr(s, "x2", x2);
    num_attr(s, "y2", y2);
    s.push_str("/>");
}

/// Path data: `cmds[i]` then point `i`.
fn path(cmds: &str, points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (c, &(x, y)) in cmds.chars().zip(points) {
        d.push(c);
        push_num(&mut d, x);
        d.push(' ');
        push_num(&mut d, y);
    }
    d
}

/// An item's opening tag: focusable, with its seek target and `extra` attributes (its name is
/// its `<title>`, written by [`close_item`]).
fn open_item(s: &mut String, class: &str, seek: u64, extra: &str) {
    s.push_str(&format!(
        "<g class=\"{class}\" tabindex=\"0\" role=\"button\" data-seek=\"{seek}\"{extra}>"
    ));
}

fn close_item(s: &mut String, desc: &str) {
    s.push_str("<title>");
    esc(s, desc);
    s.push_str("</title></g>");
}

fn lane(s: &mut String, i: usize, l: &Lane) {
    let name = match l.node {
        NodeId::Controller => "ctrl".to_string(),
        n => n.to_string(),
    };
    let (class, verb, text) = match (l.collapsed, l.coordinator) {
        (true, _) => (" collapsed", "Expand", name.chars().take(2).collect()),
        (false, true) => ("", "Collapse", format!("{name} ◆")),
        (false, false) => ("", "Collapse", name),
    };
    s.push_str(&format!("<g class=\"st-lane{class}\">"));
    line(s, "st-lane-line", (l.x, HEAD), (l.x, HEAD + BODY));
    s.push_str(&format!(
        "<text class=\"st-lane-name\" y=\"19\" text-anchor=\"middle\" tabindex=\"0\" role=\"button\" \
         data-lane=\"{i}\" aria-pressed=\"{}\" aria-label=\"{verb} lane {}\"",
        l.collapsed, l.node
    ));
    num_attr(s, "x", l.x);
    s.push('>');
    s.push_str(&text);
    if l.coordinator {
        s.push_str(&format!("<title>{}: the group coordinator</title>", l.node));
    }
    s.push_str("</text></g>");
}

fn arrow(s: &mut String, a: &Arrow, label: bool) {
    let (dx, dy) = (a.x1 - a.x0, a.y1 - a.y0);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let (x, y) = (a.x1, a.y1);
    let (end, tip) = match a.end {
        End::Dropped => (
            "dropped",
            path(
                "MLML",
                &[
                    (x - 5.0, y - 5.0),
                    (x + 5.0, y + 5.0),
                    (x + 5.0, y - 5.0),
                    (x - 5.0, y + 5.0),
                ],
            ),
        ),
        e => {
            let (bx, by) = (x - ux * 8.0, y - uy * 8.0);
            let mut d = path(
                "MLL",
                &[
                    (x, y),
                    (bx - uy * 4.0, by + ux * 4.0),
                    (bx + uy * 4.0, by - ux * 4.0),
                ],
            );
            d.push('Z');
            let class = if e == End::InFlight {
                "flying"
            } else {
                "delivered"
            };
            (class, d)
        }
    };
    let desc = a.describe();
    let class = format!("st-arrow {} {end}", WireGroup::of(a.kind).class());
    let extra = format!(" data-kind=\"{}\" data-id=\"{}\"", a.kind.name(), a.id);
    open_item(s, &class, a.seek, &extra);
    line(s, "st-hit", (a.x0, a.y0), (x, y));
    line(s, "", (a.x0, a.y0), (x, y));
    s.push_str(&format!("<path class=\"st-tip\" d=\"{tip}\"/>"));
    // Responses are left unlabelled: their label depends on an error code the log does not type.
    if label && a.kind.label(false) == a.kind.label(true) {
        s.push_str(r#"<text class="st-label" text-anchor="middle""#);
        num_attr(s, "x", (a.x0 + x) / 2.0);
        num_attr(s, "y", (a.y0 + y) / 2.0 - 3.0);
        s.push('>');
        esc(s, a.kind.label(false));
        s.push_str("</text>");
    }
    close_item(s, &desc);
}

fn mark(s: &mut String, m: &Mark) {
    let desc = m.describe();
    open_item(s, &format!("st-mark {}", m.kind.name()), m.step, "");
    s.push_str(r#"<circle class="st-hit" r="8""#);
    num_attr(s, "cx", m.x);
    num_attr(s, "cy", m.y);
    s.push_str(r#"/><text text-anchor="middle""#);
    num_attr(s, "x", m.x);
    num_attr(s, "y", m.y + 4.5);
    s.push('>');
    s.push_str(m.kind.glyph());
    s.push_str("</text>");
    close_item(s, &desc);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, EventKind};
    use crate::read_model::MessageKind;
    use crate::spacetime::layout::{lane_order, layout, Feed, Options};

    #[test]
    fn items_are_focusable_buttons_with_escaped_names() {
        let e = |step, kind, text: &str| Event {
            step,
            time: step * 10,
            kind,
            node: Some(NodeId::Broker(1)),
            peer: Some(NodeId::Producer(1)),
            message: (kind == EventKind::Deliver).then_some(3),
            heartbeat: false,
            message_kind: (kind == EventKind::Deliver).then_some(MessageKind::ProduceResponse),
            moment: None,
            text: text.into(),
        };
        let feed = Feed {
            step: 9,
            time: 100,
            events: vec![
                e(2, EventKind::Deliver, "ProduceResponse p0 offset 1"),
                e(4, EventKind::Crash, "crashed <power & \"disk\">"),
            ],
            in_flight: vec![],
        };
        let order = lane_order(&[1], &[1], &[]);
        let d = layout(&feed, &order, Some(1), &Options::default());
        let m = markup(&d, 9);
        assert!(
            m.contains(
                r#"class="st-arrow w-produce delivered" tabindex="0" role="button" data-seek="2""#
            ),
            "{m}"
        );
        assert!(m.contains(r#"data-seek="2" data-kind="ProduceResponse" data-id="3""#));
        assert!(m.contains("crashed &lt;power &amp; &quot;disk&quot;&gt;"));
        assert!(!m.contains("<power"));
        assert!(m.contains(r#"data-seek="4""#));
        assert!(m.contains(">b1 ◆<title>b1: the group coordinator</title>"));
        assert!(m.contains("event 9</text>"));
        assert_eq!(m.matches("<g ").count(), m.matches("</g>").count());
    }
}

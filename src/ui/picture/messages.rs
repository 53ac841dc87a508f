//! Messages in flight, each drawn at the fraction of its flight that virtual time has covered:
//! `u = (vt − sent_at) / (deliver_at − sent_at)` along its link. This is the only part of the
//! picture that redraws on every animation frame, so it is drawn with a fixed handful of
//! elements whatever the number of messages: one `<path>` per kind holding every pill (or
//! heartbeat dot) of that kind, the selected and the enabled pills' rings as two more paths, and
//! all tags as positioned `<tspan>`s of one `<text>`. No element moves, none is created or
//! removed while messages come and go: only the paths' `d` and the tags change. A click is
//! matched to the topmost pill under the pointer (`hit`).
//!
//! Each pill carries an arrowhead pointing the way it travels. The message under the pointer,
//! or else the selected one, is *followed*: its whole route is drawn from sender to receiver with
//! an arrowhead at the receiver, a caption says what it is (`b2 → b1 · Fetch t-0@4 e0`), and the
//! other messages fade, so one message can be followed on a busy picture.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::layout::{Layout, Pt};
use super::tag::KINDS;
use crate::ui::anim::{use_frames, Frames};
use crate::ui::format::{fmt, push_num};
use crate::ui::state::Dispatch;
use crate::ui::state::{Msg, Playhead, Selection};
use crate::ui::view::MsgView;

/// Most messages drawn at once.
pub const MAX_DRAWN: usize = 80;

/// Half the width and height of a pill (32 × 17, fully rounded ends: room for a three-letter tag
/// at 11.5 units); a heartbeat's radius.
const PILL_W2: f64 = 16.0;
const PILL_H2: f64 = 8.5;
const DOT_R: f64 = 3.0;

/// Appends a pill centred on `p` to a path.
pub fn pill(d: &mut String, p: Pt) {
    d.push('M');
    push_num(d, p.x - (PILL_W2 - PILL_H2));
    d.push(' ');
    push_num(d, p.y - PILL_H2);
    d.push_str("h15a8.5 8.5 0 0 1 0 17h-15a8.5 8.5 0 0 1 0-17z");
}

/// Appends an arrowhead just ahead of the pill centred on `p`, pointing along the unit vector
/// `dir` (the message's direction of travel).
fn arrow(d: &mut String, p: Pt, dir: Pt) {
    // Where the ray from the centre along `dir` leaves the pill's box.
    let edge = match (dir.x.abs(), dir.y.abs()) {
        (x, y) if x < 1e-6 => PILL_H2 / y.max(1e-6),
        (x, y) if y < 1e-6 => PILL_W2 / x,
        (x, y) => (PILL_W2 / x).min(PILL_H2 / y),
    };
    triangle(d, p, dir, edge + 0.5, 6.0, 4.5);
}

/// Appends a triangle pointing along `dir`, its base `from` units ahead of `p`, `len` long and
/// `half` wide on each side.
fn triangle(d: &mut String, p: Pt, dir: Pt, from: f64, len: f64, half: f64) {
    let n = Pt {
        x: -dir.y,
        y: dir.x,
    };
    let base = Pt {
        x: p.x + dir.x * from,
        y: p.y + dir.y * from,
    };
    let corners = [
        (base.x + n.x * half, base.y + n.y * half),
        (base.x + dir.x * len, base.y + dir.y * len),
        (base.x - n.x * half, base.y - n.y * half),
    ];
    for (i, (x, y)) in corners.into_iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        push_num(d, x);
        d.push(' ');
        push_num(d, y);
    }
    d.push('z');
}

/// The followed message: its route, where it is, and what it is.
struct Followed {
    id: u64,
    route: String,
    head: String,
    pill: String,
    kind: &'static str,
    at: Pt,
    tag: String,
    caption: String,
}

/// Appends a heartbeat dot centred on `p` to a path.
fn dot(d: &mut String, p: Pt) {
    d.push('M');
    push_num(d, p.x - DOT_R);
    d.push(' ');
    push_num(d, p.y);
    d.push_str("a3 3 0 1 0 6 0a3 3 0 1 0-6 0z");
}

/// A drawn message, for matching clicks.
#[derive(Clone, Copy)]
struct Drawn {
    id: u64,
    at: Pt,
    heartbeat: bool,
}

/// The topmost drawn message under the point `p` (picture coordinates).
fn hit(drawn: &[Drawn], p: Pt) -> Option<u64> {
    // Drawn later is drawn on top, except that every heartbeat lies under every pill.
    let inside = |m: &&Drawn| {
        let (dx, dy) = ((p.x - m.at.x).abs(), (p.y - m.at.y).abs());
        if m.heartbeat {
            dx * dx + dy * dy <= (DOT_R + 1.5) * (DOT_R + 1.5)
        } else {
            dx <= PILL_W2 && dy <= PILL_H2
        }
    };
    let pills = drawn.iter().rev().filter(|m| !m.heartbeat);
    let dots = drawn.iter().rev().filter(|m| m.heartbeat);
    pills.chain(dots).find(inside).map(|m| m.id)
}

/// The point of the picture under a click: the layer's `<svg>` shows the `width × height`
/// view box scaled to fit, centred horizontally and top-aligned (`xMidYMin meet`).
fn picture_point(e: &MouseEvent, width: f64, height: f64) -> Option<Pt> {
    // The clicked pill's `<svg>` (Yew delegates events: `current_target` is not the layer).
    let pill = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let svg = pill.closest("svg").ok()??;
    let r = svg.get_bounding_client_rect();
    let scale = (r.width() / width).min(r.height() / height);
    if scale <= 0.0 {
        return None;
    }
    let left = r.left() + (r.width() - width * scale) / 2.0;
    Some(Pt {
        x: (f64::from(e.client_x()) - left) / scale,
        y: (f64::from(e.client_y()) - r.top()) / scale,
    })
}

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    /// The messages in flight in the page's view (while playing, [`Playhead::live`] may hold
    /// newer ones: those are drawn).
    pub messages: Rc<Vec<MsgView>>,
    pub layout: Rc<Layout>,
    /// Display time (virtual ms), read on every animation frame of `frames`.
    pub playhead: Rc<Playhead>,
    pub frames: Rc<Frames>,
    pub show_heartbeats: bool,
    pub selected: Option<u64>,
    /// Manual mode: the messages that may be delivered next.
    pub enabled: Rc<Vec<u64>>,
    pub dispatch: Dispatch,
}

#[function_component(Messages)]
pub fn messages(props: &MessagesProps) -> Html {
    use_frames(&props.frames);
    let vt = props.playhead.vt();
    // Between two refreshes of the page, the frames' newer view is on the playhead.
    let live = props.playhead.live();
    let in_flight = live.as_ref().map_or(&props.messages, |v| &v.messages);
    // The layer's corner specks (see below), written once per layout, not on every frame.
    let frame_d: Rc<AttrValue> = use_memo(props.layout.clone(), |l| {
        let mut d = String::from("M0 0h.01v.01zM");
        push_num(&mut d, l.width);
        d.push(' ');
        push_num(&mut d, l.height);
        d.push_str("h-.01v-.01z");
        AttrValue::from(d)
    });
    let l = &*props.layout;
    let drawn_ref: Rc<RefCell<Vec<Drawn>>> = use_mut_ref(Vec::new);
    // The message under the pointer gets a ring (the pills share one path: CSS :hover cannot).
    let hovered = use_state_eq(|| None::<u64>);
    let mut drawn = Vec::with_capacity(MAX_DRAWN);
    let mut paths: [String; KINDS.len()] = Default::default();
    let (mut enabled, mut selected, mut hover) = (String::new(), None, None);
    let mut tags = Vec::with_capacity(MAX_DRAWN);
    // Hovering previews a message; otherwise the selected one is followed.
    let (mut by_hover, mut by_selection) = (None, None);
    let shown = in_flight
        .iter()
        .filter(|m| props.show_heartbeats || !m.heartbeat)
        // Beyond this many, pills only pile up on each other: the busiest runs draw the first.
        .take(MAX_DRAWN);
    for m in shown {
        let span = m.deliver_at.saturating_sub(m.sent_at) as f64;
        let u = if span <= 0.0 {
            1.0
        } else {
            ((vt - m.sent_at as f64) / span).clamp(0.0, 1.0)
        };
        let Some((p, dir)) = l.message_pose(m.from, m.to, u) else {
            continue;
        };
        let k = m.look.index();
        if *hovered == Some(m.id) {
            by_hover = follow_message(l, m, p, dir);
        } else if props.selected == Some(m.id) {
            by_selection = follow_message(l, m, p, dir);
        }
        if m.heartbeat {
            dot(&mut paths[k], p);
        } else {
            pill(&mut paths[k], p);
            arrow(&mut paths[k], p, dir);
            if props.enabled.contains(&m.id) {
                pill(&mut enabled, p);
            }
            let ring = || {
                let mut d = String::new();
                pill(&mut d, p);
                d
            };
            if props.selected == Some(m.id) {
                selected = Some(ring());
            }
            if *hovered == Some(m.id) {
                hover = Some(ring());
            }
            tags.push((p, badge_text(m)));
        }
        drawn.push(Drawn {
            id: m.id,
            at: p,
            heartbeat: m.heartbeat,
        });
    }
    let ids = drawn.iter().fold(String::new(), |mut s, m| {
        if !s.is_empty() {
            s.push(' ');
        }
        let _ = write!(s, "{}", m.id);
        s
    });
    *drawn_ref.borrow_mut() = drawn;

    // One click handler for the whole layer (not one per message): the message is the topmost
    // pill under the pointer, from the positions of the last drawing.
    let onclick = {
        let (drawn, d) = (drawn_ref.clone(), props.dispatch.clone());
        let (width, height) = (l.width, l.height);
        Callback::from(move |e: MouseEvent| {
            let id = picture_point(&e, width, height).and_then(|p| hit(&drawn.borrow(), p));
            if let Some(id) = id {
                e.stop_propagation();
                d.dispatch(Msg::Select(Selection::Message(id)));
            }
        })
    };
    let onmousemove = {
        let (drawn, hovered) = (drawn_ref.clone(), hovered.clone());
        let (width, height) = (l.width, l.height);
        Callback::from(move |e: MouseEvent| {
            hovered.set(picture_point(&e, width, height).and_then(|p| hit(&drawn.borrow(), p)));
        })
    };
    let onmouseleave = {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| hovered.set(None))
    };
    // The tags lie above every pill: a tag whose centre a later pill covers would show through
    // it, over that pill's own tag. Skip it.
    let mut kept: Vec<(Pt, Cow<str>)> = Vec::with_capacity(tags.len());
    for (p, text) in tags.into_iter().rev() {
        let covered = kept
            .iter()
            .any(|(q, _)| (p.x - q.x).abs() < PILL_W2 && (p.y - q.y).abs() < PILL_H2);
        if !covered {
            kept.push((p, text));
        }
    }
    let tspans = kept.into_iter().rev().map(|(p, text)| {
        let mut x = String::new();
        push_num(&mut x, p.x);
        let mut y = String::new();
        push_num(&mut y, p.y + 4.0);
        html! { <tspan {x} {y}>{ text.into_owned() }</tspan> }
    });
    let followed = by_hover.or(by_selection);
    let following = followed.is_some().then_some("following");
    let data_follow = followed.as_ref().map(|f| f.id.to_string());
    let caption_anchor = |p: Pt| {
        // Toward the picture's middle, so that the caption stays inside it.
        if p.x > l.width / 2.0 {
            ("end", (p.x + PILL_W2).min(l.width - 4.0))
        } else {
            ("start", (p.x - PILL_W2).max(4.0))
        }
    };
    html! {
        <g class={classes!("messages", following)} data-msg-ids={ids} data-follow={data_follow} {onclick} {onmousemove} {onmouseleave}>
            // Two invisible specks at the layer's corners (a hundredth of a unit wide): the
            // layer's painted bounds stay the same however the messages move, so the browser
            // repaints it in place instead of recomputing the page's compositing layers on every
            // frame (−60 % of that step's time in the default run).
            <path class="msg-frame" d={(*frame_d).clone()} />
            if let Some(f) = &followed {
                <path class="msg-route" d={f.route.clone()} />
                <path class="msg-route-head" d={f.head.clone()} />
            }
            { for KINDS.iter().zip(paths).map(|(k, d)| html! { <path class={classes!("msg", *k)} {d} /> }) }
            <path class="msg-ring enabled" d={enabled} />
            if let Some(d) = hover {
                <path class="msg-ring hover" {d} />
            }
            if let Some(d) = selected {
                <path class="msg-ring selected" {d} />
            }
            <text class="msg-tags">{ for tspans }</text>
            if let Some(f) = followed {
                <path class={classes!("msg", f.kind, "focus")} d={f.pill} />
                if !f.tag.is_empty() {
                    <text class="msg-tags focus" x={fmt(f.at.x)} y={fmt(f.at.y + 4.0)}>{ f.tag }</text>
                }
                <text class="msg-caption" text-anchor={caption_anchor(f.at).0}
                      x={fmt(caption_anchor(f.at).1)} y={fmt(f.at.y - PILL_H2 - 6.0)}>{ f.caption }</text>
            }
        </g>
    }
}

/// What following message `m`, drawn at `p` heading `dir`, adds to the layer.
fn follow_message(l: &Layout, m: &MsgView, p: Pt, dir: Pt) -> Option<Followed> {
    let path = l.link(m.from, m.to)?;
    // The route's end at the receiver, and the direction it enters it.
    let forward = m.from <= m.to;
    let (end, t) = if forward {
        (path.at(1.0), path.tangent(1.0))
    } else {
        let t = path.tangent(0.0);
        (path.at(0.0), Pt { x: -t.x, y: -t.y })
    };
    let mut head = String::new();
    triangle(&mut head, end, t, -9.0, 9.0, 5.0);
    let mut pill_d = String::new();
    if m.heartbeat {
        dot(&mut pill_d, p);
    } else {
        pill(&mut pill_d, p);
        arrow(&mut pill_d, p, dir);
    }
    Some(Followed {
        id: m.id,
        route: path.d(),
        head,
        pill: pill_d,
        kind: KINDS[m.look.index()],
        at: p,
        tag: if m.heartbeat {
            String::new()
        } else {
            badge_text(m).into_owned()
        },
        caption: format!("{} → {} · {}", m.from, m.to, m.summary),
    })
}

/// A badge's text: an idempotent producer's Produce request shows its sequence number (`s0`,
/// KIP-98), every other message its kind's short label.
fn badge_text(m: &MsgView) -> Cow<'_, str> {
    match m.sequence {
        Some(s) => Cow::Owned(format!("s{s}")),
        None => Cow::Borrowed(m.label.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(id: u64, x: f64, y: f64, heartbeat: bool) -> Drawn {
        Drawn {
            id,
            at: Pt { x, y },
            heartbeat,
        }
    }

    #[test]
    fn a_click_selects_the_topmost_pill_under_it() {
        let drawn = [
            at(1, 100.0, 100.0, false),
            at(2, 110.0, 100.0, false),
            at(3, 300.0, 50.0, true),
            at(4, 302.0, 50.0, false),
        ];
        // Both pills 1 and 2 cover x = 105: the later one is on top.
        assert_eq!(hit(&drawn, Pt { x: 105.0, y: 104.0 }), Some(2));
        assert_eq!(hit(&drawn, Pt { x: 88.0, y: 100.0 }), Some(1));
        // Pills cover heartbeats, whatever the order.
        assert_eq!(hit(&drawn, Pt { x: 300.0, y: 50.0 }), Some(4));
        // Just below the pills.
        let below = 100.0 + PILL_H2 + 1.0;
        assert_eq!(hit(&drawn, Pt { x: 100.0, y: below }), None);
        assert_eq!(
            hit(
                &drawn,
                Pt {
                    x: 100.0,
                    y: below - 2.0
                }
            ),
            Some(2)
        );
        assert_eq!(
            hit(&[at(3, 300.0, 50.0, true)], Pt { x: 303.0, y: 52.0 }),
            Some(3)
        );
    }
}

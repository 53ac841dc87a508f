//! Modal dialogs: the frame (focus, Escape, backdrop), help, and share.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::download;
use super::export::{ExportFile, ExportKind};
use super::keyboard::HELP;
use super::picture_export::picture_file;
use super::state::Dispatch;
use super::state::{Dialog, Msg};

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub dispatch: Dispatch,
    #[prop_or_default]
    pub wide: bool,
    pub children: Html,
}

#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            // Remember what had the focus, to give it back on close (an HTML control or an SVG
            // node of the picture).
            let opener = document
                .as_ref()
                .and_then(|d| d.active_element())
                .filter(|e| !e.tag_name().eq_ignore_ascii_case("body"));
            // Focus the first field (or the close button) so keyboard users land inside.
            if let Some(el) = node.cast::<web_sys::Element>() {
                let target = el
                    .query_selector("input, select, textarea, .modal-body button")
                    .ok()
                    .flatten()
                    .or_else(|| el.query_selector("button").ok().flatten());
                if let Some(h) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = h.focus();
                }
            }
            move || {
                if let Some(o) = opener.filter(|o| o.is_connected()) {
                    super::widgets::focus(&o);
                }
            }
        });
    }
    // Tab cycles inside the dialog.
    let on_keydown = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(el) = node.cast::<web_sys::Element>() else {
                return;
            };
            let Ok(list) = el.query_selector_all(
                "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, [href]",
            ) else {
                return;
            };
            if list.length() == 0 {
                return;
            }
            let first = list.item(0);
            let last = list.item(list.length() - 1);
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .map(web_sys::Node::from);
            let wrap_to = if e.shift_key() && active == first {
                last
            } else if !e.shift_key() && active == last {
                first
            } else {
                None
            };
            if let Some(h) = wrap_to.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                e.prevent_default();
                let _ = h.focus();
            }
        })
    };
    let close = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Open(Dialog::None)))
    };
    let on_backdrop = {
        let d = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let on_self = match (e.target(), e.current_target()) {
                (Some(t), Some(c)) => t == c,
                _ => false,
            };
            if on_self {
                d.dispatch(Msg::Open(Dialog::None));
            }
        })
    };
    let title_id = format!("{}-title", props.id);
    html! {
        <div class="modal-backdrop" onclick={on_backdrop}>
            <div ref={node} id={props.id.clone()} class={classes!("modal", props.wide.then_some("wide"))}
                 role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} onkeydown={on_keydown}>
                <div class="modal-head">
                    <h2 id={title_id}>{ props.title.clone() }</h2>
                    <button type="button" class="ghost-btn" aria-label="Close" onclick={close}>{ "✕" }</button>
                </div>
                <div class="modal-body">{ props.children.clone() }</div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Dispatch,
}

#[function_component(HelpDialog)]
pub fn help_dialog(props: &HelpProps) -> Html {
    html! {
        <Modal id="help" title="Help" dispatch={props.dispatch.clone()}>
            <p>
                { "Highwater simulates Kafka's partition replication. A producer sends records to each \
                   partition's leader; followers fetch them; the leader's high watermark (HW) moves once \
                   every in-sync replica has a record, and only then is it committed. Crash, pause or cut \
                   off brokers and watch what survives." }
            </p>
            <h3>{ "Names" }</h3>
            <dl class="names">
                <dt>{ "t-0, t-1" }</dt><dd>{ "partitions: topic t, partition 0 and 1 (p1, p2 are producers; c1, c2 consumers)" }</dd>
                <dt>{ "a, p1-3" }</dt><dd>{ "a record, by its value: the same name in the log strips, the event log and the ledger" }</dd>
                <dt>{ "leader epoch (e2)" }</dt>
                <dd>{ "a partition's leadership number: the controller raises it with every new leader of that                     partition, and each record keeps the leader epoch it was written in (its colour). Followers                     use it to find where their log diverges (KIP-101, KIP-279)." }</dd>
                <dt>{ "broker epoch" }</dt>
                <dd>{ "a broker's registration number: the controller gives a new one each time the broker                     registers (a restart), one per broker, unrelated to any partition (KIP-380)." }</dd>
                <dt>{ "event 68 · Step 6 of 6" }</dt>
                <dd>{ "“event” counts what the simulator fired since the start of the run (the timeline, the                     event log); a tutorial's “Step k of n” counts the chapter's narrated steps." }</dd>
                <dt>{ "sent → · ← delivered" }</dt>
                <dd>{ "in the event log, “b1 → b2 sent” is a message leaving b1; “b2 ← b1 delivered” is the                     same message arriving at b2; “dropped” is one lost on the way." }</dd>
            </dl>
            <h3>{ "Keyboard shortcuts" }</h3>
            <table class="keys">
                <tbody>
                    { for HELP.iter().map(|(k, what)| html! {
                        <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr>
                    }) }
                </tbody>
            </table>
            <h3>{ "Time" }</h3>
            <p>{ "Speed is simulated milliseconds per real millisecond, from 0.1× to 100×: at 1× the \
                simulation runs in real time; at 0.1× a 20 ms network hop takes 200 ms to watch. With “skip \
                quiet gaps”, stretches with nothing but timers pending pass ten times faster." }</p>
            <p>{ "Back, the timeline and the times in the event log go back in time exactly (click an \
                event's time to see the cluster at that event). Any action taken in the past forks the \
                timeline: the recorded future is discarded. The address bar always holds the run up to \
                the current step, so a reload or a shared link restores this exact state." }</p>
            <h3>{ "Manual mode" }</h3>
            <p>{ "Instead of playing in time order, choose which enabled event happens next: deliver the \
                first message of any link, or fire any timer." }</p>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub url: AttrValue,
    /// The file of a kind for the current step (written by the core).
    pub export: Callback<ExportKind, Result<ExportFile, String>>,
    pub dispatch: Dispatch,
}

/// The downloads: kind, button text, what it is.
const DOWNLOADS: [(ExportKind, &str, &str); 4] = [
    (
        ExportKind::Scenario,
        "Scenario .toml",
        "replays with highwater run, expecting the state now",
    ),
    (
        ExportKind::RunJson,
        "Run .json",
        "config, seed and inputs (Simulation.fromFragment's run)",
    ),
    (
        ExportKind::DiagramSvg,
        "Diagram .svg",
        "the space-time diagram at this step",
    ),
    (
        ExportKind::DiagramPng,
        "Diagram .png",
        "the same, as an image",
    ),
];

/// The picture's downloads: as PNG, button text, what it is.
const PICTURES: [(bool, &str, &str); 2] = [
    (false, "Picture .svg", "the cluster as drawn now"),
    (true, "Picture .png", "the same, as an image"),
];

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let status = use_state(|| None::<&'static str>);
    let input = use_node_ref();
    let copy = {
        let (url, status, input) = (props.url.to_string(), status.clone(), input.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                i.select();
            }
            let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                status.set(Some("Select the link and copy it."));
                return;
            };
            let promise = clipboard.write_text(&url);
            let (ok, err) = (status.clone(), status.clone());
            let on_ok = Closure::once(move |_: JsValue| ok.set(Some("Copied to the clipboard.")));
            let on_err = Closure::once(move |_: JsValue| {
                err.set(Some(
                    "The browser refused; the link is selected — copy it with Ctrl+C.",
                ))
            });
            let _ = promise.then2(&on_ok, &on_err);
            on_ok.forget();
            on_err.forget();
        })
    };
    let saved = use_state(|| None::<String>);
    let download = |kind: ExportKind| {
        let (export, saved) = (props.export.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| {
            let result = export.emit(kind).and_then(|f| {
                download::save(&f)?;
                Ok(f.name)
            });
            saved.set(Some(saved_text(result)));
        })
    };
    let picture = |png: bool| {
        let saved = saved.clone();
        Callback::from(move |_: MouseEvent| {
            let result = picture_file(png).and_then(|f| {
                download::save(&f)?;
                Ok(f.name)
            });
            saved.set(Some(saved_text(result)));
        })
    };
    html! {
        <Modal id="share" title="Share / Export" dispatch={props.dispatch.clone()}>
            <p>{ "This link holds the configuration, the seed and every input up to the current step: \
                  opening it replays the run to exactly this state." }</p>
            <div class="share-row">
                <input ref={input} type="text" readonly=true value={props.url.clone()} aria-label="Link to this run" />
                <button type="button" class="primary" onclick={copy}>{ "Copy" }</button>
            </div>
            if let Some(s) = *status { <p role="status">{ s }</p> }
            <h3>{ "Export" }</h3>
            <ul class="export-list">
                { for DOWNLOADS.iter().map(|&(kind, label, what)| html! {
                    <li>
                        <button type="button" onclick={download(kind)}>{ label }</button>
                        <span class="export-what">{ what }</span>
                    </li>
                }) }
                { for PICTURES.iter().map(|&(png, label, what)| html! {
                    <li>
                        <button type="button" onclick={picture(png)}>{ label }</button>
                        <span class="export-what">{ what }</span>
                    </li>
                }) }
            </ul>
            if let Some(s) = &*saved { <p role="status" class="export-status">{ s.clone() }</p> }
        </Modal>
    }
}

/// What the dialog says after a download.
fn saved_text(result: Result<String, String>) -> String {
    match result {
        Ok(name) => format!("Saved {name}."),
        Err(e) => format!("Cannot export: {e}"),
    }
}

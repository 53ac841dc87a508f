//! Modal dialogs: the frame (focus, Escape, backdrop), help, and share.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::download;
use super::export::{ExportFile, ExportKind};
use super::fetched_html::use_fetched_html;
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

/// The help: its text is fetched the first time it opens (`help_html.rs`, `fetched_html.rs`).
#[function_component(HelpDialog)]
pub fn help_dialog(props: &HelpProps) -> Html {
    let body = use_fetched_html(crate::help_html::FILE, true);
    html! {
        <Modal id="help" title="Help" dispatch={props.dispatch.clone()}>
            { body.view("Loading the help…", "The help could not be loaded") }
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

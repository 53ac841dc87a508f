//! The page skeleton: header, toolbar, cluster picture and side panels.
//!
//! Placeholders only for now: the buttons are disabled and the panels are empty until the
//! simulator is wired in through a reducer.

use yew::prelude::*;

/// Title shown in the page header.
pub const TITLE: &str = "Highwater — Kafka replication playground";

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="app">
            <header class="app-header">
                <h1>{ TITLE }</h1>
                <Toolbar />
            </header>
            <section class="cluster" aria-label="Cluster">
                <svg class="cluster-svg" viewBox="0 0 800 400" role="img"
                     aria-label="Cluster picture" preserveAspectRatio="xMidYMid meet" />
            </section>
            <aside class="panels">
                <Panel title="Event log" class="event-log" />
                <Panel title="Ledger" class="ledger" />
                <Panel title="Invariants" class="invariants" />
            </aside>
        </div>
    }
}

#[function_component(Toolbar)]
fn toolbar() -> Html {
    html! {
        <nav class="toolbar" aria-label="Playback">
            <button type="button" disabled=true title="Play">
                <Icon path="M4 2.5v11l9-5.5z" />{ "Play" }
            </button>
            <button type="button" disabled=true title="Step">
                <Icon path="M2 2.5v11l8-5.5zM11 2.5h2.5v11H11z" />{ "Step" }
            </button>
            <button type="button" disabled=true title="Back">
                <Icon path="M2.5 2.5H5v11H2.5zM14 2.5v11l-8-5.5z" />{ "Back" }
            </button>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
struct IconProps {
    /// SVG path data in a 16×16 box.
    path: AttrValue,
}

/// A small inline icon (inline SVG: no icon font, no glyphs missing from the system fonts).
#[function_component(Icon)]
fn icon(props: &IconProps) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={props.path.clone()} fill="currentColor" />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    title: AttrValue,
    class: AttrValue,
}

#[function_component(Panel)]
fn panel(props: &PanelProps) -> Html {
    html! {
        <section class={classes!("panel", props.class.to_string())} aria-label={props.title.clone()}>
            <h2>{ props.title.clone() }</h2>
            <div class="panel-body">
                <p class="empty">{ "Nothing yet." }</p>
            </div>
        </section>
    }
}

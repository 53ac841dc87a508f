//! The tutorial panel (narration, step k of n, previous / next, a dot per step, off-script
//! notice), the chapter index, and the highlight of the element a step points at.

use std::rc::Rc;

use yew::prelude::*;

use super::link::Link;
use super::{summary, TutorialMsg, TutorialView};
use crate::catalog;
use crate::ui::state::Dispatch;
use crate::ui::state::Msg;

fn send(d: &Dispatch, m: TutorialMsg) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_: MouseEvent| d.dispatch(Msg::Tutorial(m.clone())))
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub view: Rc<TutorialView>,
    pub dispatch: Dispatch,
    /// Embedded: no chapter index or close button.
    #[prop_or_default]
    pub embed: bool,
}

/// Narration of the current step with the controls to move through the chapter.
#[function_component(TutorialPanel)]
pub fn tutorial_panel(props: &PanelProps) -> Html {
    let v = &props.view;
    let d = &props.dispatch;
    let n = v.len();
    let dots = v.steps.iter().enumerate().map(|(i, st)| {
        let k = i + 1;
        let current = k == v.position;
        html! {
            <li key={k}>
                <button type="button" class={classes!("tut-dot", current.then_some("current"), (k < v.position).then_some("done"))}
                        aria-label={format!("Go to step {k}: {}", st.title)}
                        title={format!("{k}. {}", st.title)}
                        aria-current={current.then_some("step")}
                        onclick={send(d, TutorialMsg::Go(k))}>{ k.to_string() }</button>
            </li>
        }
    });
    let off_script = v.off_script.then(|| {
        let at = if v.position == 0 {
            "the introduction".to_string()
        } else {
            format!("step {}", v.position)
        };
        html! {
            <div class="tut-off" role="status">
                <p>{ format!("You are off-script: you changed the run after {at}. The narration below describes the script, not what you see now.") }</p>
                <button type="button" class="primary" onclick={send(d, TutorialMsg::BackToScript)}>{ format!("Back to the script ({at})") }</button>
            </div>
        }
    });
    let failures = (!v.failures.is_empty()).then(|| {
        html! {
            <div class="tut-fail" role="alert">
                <p>{ "The simulator did not do what this step's narration says — these expectations do not hold:" }</p>
                <ul>{ for v.failures.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
            </div>
        }
    });
    let error = v.error.as_ref().map(|e| {
        html! { <div class="tut-fail" role="alert"><p>{ format!("This step could not be played: {e}") }</p></div> }
    });
    let paragraphs = v
        .note
        .split("\n\n")
        .map(|p| html! { <p>{ p.replace("\\\n", "").replace('\n', " ") }</p> });
    let highlight = v
        .highlight
        .as_ref()
        .filter(|_| !v.off_script)
        .map(|sel| html! { <style>{ highlight_css(sel) }</style> });
    html! {
        <section class={classes!("panel", "tutorial-panel", v.off_script.then_some("is-off"))}
                 aria-labelledby="tut-chapter" data-position={v.position.to_string()}>
            { for highlight }
            <div class="panel-head tut-head">
                <h2 id="tut-chapter">{ v.name.clone() }</h2>
                if !props.embed {
                    <div class="tut-head-buttons">
                        <button type="button" class="link-btn" onclick={send(d, TutorialMsg::ToggleIndex)}>{ "All chapters" }</button>
                        <button type="button" class="ghost-btn" aria-label="Close the tutorial" title="Close the tutorial"
                                onclick={send(d, TutorialMsg::Close)}>{ "✕" }</button>
                    </div>
                }
            </div>
            <div class="panel-body">
                <p class="tut-counter" aria-live="polite">{ v.counter() }</p>
                { for off_script }
                <h3 class="tut-title">{ v.title.clone() }</h3>
                <div class="tut-note">{ for paragraphs }</div>
                { for failures }
                { for error }
                <div class="tut-nav">
                    <button type="button" disabled={v.position == 0} onclick={send(d, TutorialMsg::Prev)}
                            aria-label="Previous step">{ "◀ Previous" }</button>
                    <button type="button" class="primary" disabled={v.position >= n && !v.off_script}
                            onclick={send(d, TutorialMsg::Next)} aria-label="Next step">
                        { if v.position == 0 { "Start ▶" } else { "Next ▶" } }
                    </button>
                </div>
                <nav aria-label="Steps of this chapter">
                    <ol class="tut-dots">
                        <li key={0}>
                            <button type="button" class={classes!("tut-dot", "intro", (v.position == 0).then_some("current"))}
                                    aria-label="Go to the introduction" title="Introduction"
                                    aria-current={(v.position == 0).then_some("step")}
                                    onclick={send(d, TutorialMsg::Go(0))}>{ "i" }</button>
                        </li>
                        { for dots }
                    </ol>
                </nav>
                if !props.embed && !v.source.is_empty() {
                    <p class="tut-source muted">{ format!("Source: {}", v.source) }</p>
                }
            </div>
        </section>
    }
}

/// The rule that makes the highlighted element stand out (the picture itself is untouched).
pub fn highlight_css(selector: &str) -> String {
    format!(
        "{selector} {{ filter: drop-shadow(0 0 3px var(--tut-highlight)) drop-shadow(0 0 2px var(--tut-highlight)); }}\n\
         {selector} > rect.box {{ stroke: var(--tut-highlight); stroke-width: 3px; }}"
    )
}

#[derive(Properties, PartialEq)]
pub struct IndexProps {
    /// The chapter open now, if any.
    pub current: Option<AttrValue>,
    pub dispatch: Dispatch,
}

/// The list of chapters, each with a one-line summary.
#[function_component(TutorialIndex)]
pub fn tutorial_index(props: &IndexProps) -> Html {
    let d = &props.dispatch;
    let items = catalog::tutorials().map(|e| {
        let summary = e
            .scenario()
            .map(|s| summary(&s.description))
            .unwrap_or_default();
        let current = props.current.as_deref() == Some(e.id);
        html! {
            <li key={e.id} class={classes!(current.then_some("current"))}>
                <button type="button" class="link-btn tut-chapter" data-id={e.id}
                        aria-current={current.then_some("page")}
                        onclick={send(d, TutorialMsg::Open(Link::tutorial(e.id, 0)))}>{ e.name }</button>
                <p class="muted">{ summary }</p>
            </li>
        }
    });
    html! {
        <section class="panel tutorial-index" aria-labelledby="tut-index-title">
            <div class="panel-head tut-head">
                <h2 id="tut-index-title">{ "Tutorials" }</h2>
                <button type="button" class="ghost-btn" aria-label="Close the list of chapters" title="Close"
                        onclick={send(d, TutorialMsg::ToggleIndex)}>{ "✕" }</button>
            </div>
            <div class="panel-body">
                <p class="muted">{ "Short chapters, one idea each, in the order a learner meets them. Every sentence of the narration is checked against the simulator." }</p>
                <ol class="tut-chapters">{ for items }</ol>
            </div>
        </section>
    }
}

//! The tutorial panel (narration, step k of n, previous / next, a dot per step, off-script
//! notice), the chapter index, and the highlight of the element a step points at.

use std::rc::Rc;

use highwater_core::scenario::Found;
use web_sys::Worker;
use yew::prelude::*;

use super::link::{source_parts, Link, LinkKind, SourcePart, RULES_PAGE};
use super::{StepSearch, TutorialMsg, TutorialView};
use crate::article_html;
use crate::catalog;
use crate::search::protocol::FromWorker;
use crate::ui::fetched_html::FetchedDetails;
use crate::ui::search_worker::{Live, Spare};
use crate::ui::state::Dispatch;
use crate::ui::state::{Dialog, Msg};
use crate::ui::storage;

fn send(d: &Dispatch, m: TutorialMsg) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_: MouseEvent| d.dispatch(Msg::Tutorial(m.clone())))
}

/// Runs a step's search in a search worker: its progress lines go to `progress`, its answer (or
/// its failure) comes back as [`TutorialMsg::Searched`]. `None` (after sending the failure) when
/// no worker starts.
fn run_step_search(
    request: StepSearch,
    d: Dispatch,
    progress: Callback<String>,
    spare: Option<Spare>,
) -> Option<Live> {
    let text = request.request.to_string();
    let send = move |result: Result<Found, String>| {
        d.dispatch(Msg::Tutorial(TutorialMsg::Searched(
            request.clone(),
            result,
        )))
    };
    let on_message = {
        let send = send.clone();
        move |w: &Worker, m: Result<FromWorker, String>| {
            let result = match m {
                Ok(FromWorker::Progress(line)) => return progress.emit(line),
                Ok(FromWorker::Stepped(found)) => Ok(*found),
                Ok(FromWorker::Refused(e)) | Err(e) => Err(e),
                Ok(other) => Err(format!("unexpected answer: {other:?}")),
            };
            w.terminate();
            send(result);
        }
    };
    let fail = send.clone();
    let on_error = move || fail(Err("its worker failed to load or ran out of memory".into()));
    let live = Spare::take_or_start(spare)
        .map(|(worker, ready)| Live::run(worker, ready, text, on_message, on_error));
    if live.is_none() {
        send(Err("this browser could not start a Web Worker".into()));
    }
    live
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
    // While the step plays its messages: say so, with a way to jump to its end.
    let playing = v.playing.then(|| {
        html! {
            <div class="tut-playing" role="status">
                <p><strong>{ format!("Playing step {}… ", v.position) }</strong>{ "watch the messages travel." }</p>
                <button type="button" class="link-btn tut-skip" onclick={send(d, TutorialMsg::Skip)}
                        aria-label="Skip to the end of this step" title="Skip to the end of this step (Next or → does too)">{ "Skip" }</button>
            </div>
        }
    });
    let failures = (!v.failures.is_empty() && !v.playing).then(|| {
        html! {
            <div class="tut-fail" role="alert">
                <p>{ "The simulator did not do what this step's narration says — these expectations do not hold:" }</p>
                <ul>{ for v.failures.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
            </div>
        }
    });
    // The running step search's progress line (`states · depth · … · s`), kept here: it changes
    // a few times a second and concerns this box alone.
    let progress = use_state(|| None::<String>);
    // A worker loaded while a search step lies ahead, so that step need not wait for it.
    let spare = use_mut_ref(|| None::<Spare>);
    {
        // A step's search runs in the search worker while "Searching…" shows; moving elsewhere
        // meanwhile (a new `searching`, or none) terminates it.
        let (d, progress, spare) = (d.clone(), progress.clone(), spare.clone());
        use_effect_with(v.searching.clone(), move |request| {
            progress.set(None);
            let line = Callback::from(move |l| progress.set(Some(l)));
            let live = request
                .clone()
                .map(|r| run_step_search(r, d, line, spare.borrow_mut().take()));
            move || drop(live)
        });
    }
    {
        // After the effect above, so that a search starting now takes the spare first.
        let spare = spare.clone();
        use_effect_with(v.search_ahead && v.searching.is_none(), move |wanted| {
            if *wanted && spare.borrow().is_none() {
                *spare.borrow_mut() = Spare::start();
            }
            move || {
                if let Some(s) = spare.borrow_mut().take() {
                    s.end();
                }
            }
        });
    }
    let searching = v.searching.as_ref().map(|_| {
        html! {
            <div class="tut-search" role="status" aria-busy="true">
                <p><strong>{ "Searching… " }</strong>{ "the counterexample search is trying every schedule within this step's bounds, in the background." }</p>
                if let Some(line) = &*progress {
                    <p class="tut-search-progress">{ line.clone() }</p>
                }
            </div>
        }
    });
    let search = v
        .search
        .as_ref()
        .filter(|_| v.searching.is_none())
        .map(|s| {
            html! {
                <div class="tut-search" role="status">
                    <p><strong>{ "The search " }</strong>{ s.clone() }{ "." }</p>
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
    let focus = v.focus.filter(|_| !v.off_script);
    super::focus::use_panel_focus(focus, v.hash());
    let focus_style = focus
        .map(|p| html! { <style data-focus-panel={p.name()}>{ super::focus::css(p) }</style> });
    html! {
        <section class={classes!("panel", "tutorial-panel", v.off_script.then_some("is-off"))}
                 aria-labelledby="tut-chapter" data-position={v.position.to_string()}
                 data-playing={v.playing.then_some("true")}>
            { for highlight }
            { for focus_style }
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
                { for playing }
                { for searching }
                { for search }
                { for failures }
                { for error }
                <div class="tut-nav">
                    <button type="button" disabled={v.position == 0} onclick={send(d, TutorialMsg::Prev)}
                            aria-label="Previous step">{ "◀ Previous" }</button>
                    <button type="button" class="primary" disabled={v.position >= n && !v.off_script && !v.playing}
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
                if !props.embed && v.position >= n && !v.off_script && !v.playing && v.link.kind == LinkKind::Tutorial {
                    { next_chapter(&v.link.id, d) }
                }
                if !props.embed && !v.source.is_empty() {
                    <p class="tut-source muted">{ "Source: " }{ source_line(&v.source) }</p>
                }
            </div>
        </section>
    }
}

/// The end of a chapter: what comes next (the following chapter, or the list after the last).
fn next_chapter(id: &str, d: &Dispatch) -> Html {
    let next = catalog::tutorials().skip_while(|e| e.id != id).nth(1);
    match next {
        Some(e) => html! {
            <div class="tut-end">
                <p>{ "You reached the end of this chapter." }</p>
                <button type="button" class="primary tut-next-chapter" title={e.name}
                        onclick={send(d, TutorialMsg::Open(Link::tutorial(e.id, 0)))}>
                    { "Next chapter →" }
                </button>
                <span class="tut-next-name muted">{ e.name }</span>
            </div>
        },
        None => html! {
            <div class="tut-end">
                <p>{ "That was the last chapter. The playground is yours: crash brokers, cut links, change the configuration." }</p>
                <button type="button" class="tut-next-chapter" onclick={send(d, TutorialMsg::ToggleIndex)}>
                    { "All chapters" }
                </button>
            </div>
        },
    }
}

/// A source line with its rule numbers linked to the rules reference (`docs/RULES.md`), where
/// the numbers of `KAFKA-SEMANTICS.md` resolve.
fn source_line(source: &str) -> Html {
    let parts = source_parts(source).into_iter().map(|p| match p {
        SourcePart::Text(t) => match t.strip_prefix("KAFKA-SEMANTICS.md") {
            Some(rest) => html! {
                <><a href={RULES_PAGE} target="_blank" rel="noopener"
                     title="The rules reference (docs/RULES.md), where these numbers resolve">{ "KAFKA-SEMANTICS.md" }</a>{ rest.to_string() }</>
            },
            None => html! { { t } },
        },
        SourcePart::Rule(r) => html! {
            <a href={SourcePart::href(&r)} target="_blank" rel="noopener"
               title={format!("{r} in the rules reference")}>{ r }</a>
        },
    });
    html! { <>{ for parts }</> }
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
    /// The chapter whose file is being fetched, if any.
    #[prop_or_default]
    pub loading: Option<AttrValue>,
    pub dispatch: Dispatch,
}

/// The list of chapters, each with a one-line summary.
#[function_component(TutorialIndex)]
pub fn tutorial_index(props: &IndexProps) -> Html {
    let d = &props.dispatch;
    // Read when the list opens (a chapter is marked finished by the page, see `page.rs`).
    let done = use_memo((), |_| storage::load_progress());
    let total = catalog::tutorials().count();
    let finished = catalog::tutorials()
        .filter(|e| done.iter().any(|id| id == e.id))
        .count();
    let items = catalog::tutorials().map(|e| {
        let current = props.current.as_deref() == Some(e.id);
        let is_done = done.iter().any(|id| id == e.id);
        let loading = props.loading.as_deref() == Some(e.id);
        html! {
            <li key={e.id} class={classes!(current.then_some("current"), is_done.then_some("done"))}>
                <button type="button" class="link-btn tut-chapter" data-id={e.id}
                        aria-current={current.then_some("page")}
                        onclick={send(d, TutorialMsg::Open(Link::tutorial(e.id, 0)))}>{ e.name }</button>
                if is_done {
                    <span class="tut-done" title="You reached this chapter's last step">{ "✓ done" }</span>
                }
                if loading {
                    <span class="tut-loading" role="status">{ "Loading…" }</span>
                }
                <p class="muted">{ e.summary }</p>
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
                <p class="tut-progress" aria-live="polite">
                    { format!("{finished} of {total} chapters done") }
                    <progress max={total.to_string()} value={finished.to_string()} aria-label="Chapters done"></progress>
                </p>
                { article_note() }
                <p class="tut-summary">
                    <button type="button" class="link-btn" onclick={open_summary(d)}>{ SUMMARY_TITLE }</button>
                    { ": one table of configurations, each cell linked to the chapter or scenario that shows it." }
                </p>
                <ol class="tut-chapters">{ for items }</ol>
            </div>
        </section>
    }
}

/// The summary's title, as its buttons say it.
pub const SUMMARY_TITLE: &str = "What loses, duplicates or reorders what";

/// Opens the summary (`ui/summary.rs`).
pub fn open_summary(d: &Dispatch) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_: MouseEvent| d.dispatch(Msg::Open(Dialog::Summary)))
}

/// The source article, named, with what it claims and where the chapters check it (its
/// paragraphs fetched when first opened: `article_html.rs`).
fn article_note() -> Html {
    html! {
        <FetchedDetails class="tut-article" summary="The article the chapters test: “Kafka's message delivery guarantees and consistency”" file={article_html::FILE}
                        loading="Loading the note…" failed="The note could not be loaded" />
    }
}

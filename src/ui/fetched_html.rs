//! Static HTML the page fetches from `catalog/` the first time it is shown, so its text is not in
//! the page's wasm: the summary's table (`summary_table.rs`), the legend (`legend_html.rs`), the
//! help (`help_html.rs`) and the chapter index's note on the article (`article_html.rs`), written
//! by `build.rs`. A fetched file is kept for the rest of the visit.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::catalog_fetch::fetch_text;

/// A file's state in a component.
#[derive(Clone, PartialEq)]
pub enum Fetched {
    /// Not asked for yet, or on its way.
    Loading,
    /// Its HTML.
    Ready(Rc<str>),
    /// Why it did not come ("HTTP 404", "the network request failed").
    Failed(String),
}

thread_local! {
    /// Files fetched so far, by name.
    static KEPT: RefCell<Vec<(&'static str, Rc<str>)>> = const { RefCell::new(Vec::new()) };
}

fn kept(file: &str) -> Option<Rc<str>> {
    KEPT.with(|k| {
        k.borrow()
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, t)| t.clone())
    })
}

/// `catalog/<file>`'s HTML, fetched once `wanted` is true (at once if it was fetched before).
#[hook]
pub fn use_fetched_html(file: &'static str, wanted: bool) -> Fetched {
    let state = use_state(|| kept(file).map_or(Fetched::Loading, Fetched::Ready));
    {
        let state = state.clone();
        use_effect_with(wanted, move |&wanted| {
            if wanted && *state == Fetched::Loading {
                wasm_bindgen_futures::spawn_local(async move {
                    let url = crate::catalog::file_url(file);
                    state.set(match fetch_text(&url).await {
                        Ok(text) => {
                            KEPT.with(|k| k.borrow_mut().push((file, text.clone())));
                            Fetched::Ready(text)
                        }
                        Err(e) => Fetched::Failed(e),
                    });
                });
            }
        });
    }
    (*state).clone()
}

impl Fetched {
    /// The HTML, or a line saying it is on its way (`loading`) or why it did not come
    /// (`failed`, followed by the reason).
    pub fn view(&self, loading: &'static str, failed: &'static str) -> Html {
        match self {
            Fetched::Loading => html! { <p class="muted" role="status">{ loading }</p> },
            Fetched::Ready(text) => Html::from_html_unchecked(AttrValue::from(text.clone())),
            Fetched::Failed(e) => {
                html! { <p class="muted" role="alert">{ format!("{failed} ({e}).") }</p> }
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct FetchedDetailsProps {
    /// The `<details>` element's class.
    pub class: &'static str,
    /// Its `<summary>` (always shown).
    pub summary: &'static str,
    /// The file under `catalog/` with its content.
    pub file: &'static str,
    /// The line shown while the file is on its way.
    pub loading: &'static str,
    /// The start of the line shown when it did not come.
    pub failed: &'static str,
}

/// A closed `<details>` whose content is fetched the first time it is opened.
#[function_component(FetchedDetails)]
pub fn fetched_details(props: &FetchedDetailsProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                open.set(details.has_attribute("open"));
            }
        })
    };
    let fetched = use_fetched_html(props.file, *open);
    let body = match fetched {
        Fetched::Loading if !*open => Html::default(),
        fetched => fetched.view(props.loading, props.failed),
    };
    html! {
        <details class={props.class} {ontoggle}>
            <summary>{ props.summary }</summary>
            { body }
        </details>
    }
}

//! Messages to the user (bad links, refused commands, forks), each dismissible.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Dispatch, Level, Msg, Notice};

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Rc<Vec<Notice>>,
    pub dispatch: Dispatch,
}

/// Messages to the user (bad links, refused commands, forks), each dismissible.
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    html! {
        <div class="notices" role="status" aria-live="polite">
            { for props.notices.iter().map(|n| {
                let (id, d) = (n.id, props.dispatch.clone());
                let class = match n.level {
                    Level::Info => "info",
                    Level::Warning => "warning",
                    Level::Error => "error",
                };
                html! {
                    <div key={n.id} class={classes!("notice", class)} data-topic={n.topic}>
                        <span>{ n.text.clone() }</span>
                        <button type="button" class="ghost-btn" aria-label="Dismiss this message"
                                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Dismiss(id)))}>{ "✕" }</button>
                    </div>
                }
            }) }
        </div>
    }
}

//! The first visit's welcome card: start the first chapter, or play freely. Answered once; the
//! answer is kept in `localStorage` (`storage::WELCOME_KEY`), and opening any chapter counts as
//! an answer (`page.rs`).

use yew::prelude::*;

use super::link::Link;
use super::panel::{open_summary, SUMMARY_TITLE};
use super::TutorialMsg;
use crate::catalog;
use crate::ui::state::{Dispatch, Msg};
use crate::ui::storage;

#[derive(Properties, PartialEq)]
pub struct WelcomeProps {
    pub dispatch: Dispatch,
}

/// A small dismissible card above the workspace; nothing once answered.
#[function_component(Welcome)]
pub fn welcome(props: &WelcomeProps) -> Html {
    let seen = use_state(storage::welcome_seen);
    if *seen {
        return html! {};
    }
    let dismiss = {
        let seen = seen.clone();
        Callback::from(move |_: MouseEvent| {
            storage::set_welcome_seen();
            seen.set(true);
        })
    };
    let first = catalog::tutorials().next();
    let start = first.map(|e| {
        let (d, seen) = (props.dispatch.clone(), seen.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            storage::set_welcome_seen();
            seen.set(true);
            d.dispatch(Msg::Tutorial(TutorialMsg::Open(Link::tutorial(e.id, 0))));
        });
        html! {
            <button type="button" class="primary" {onclick} title={e.name}>{ "Start the first chapter" }</button>
        }
    });
    html! {
        <section class="welcome" aria-labelledby="welcome-title">
            <div class="welcome-text">
                <h2 id="welcome-title">{ "Welcome to Highwater" }</h2>
                <p>{ "A Kafka cluster in your browser: watch records travel from a producer to a partition's \
                      leader and its followers, then crash brokers and see what survives. New to Kafka's \
                      replication? The chapters walk you through it one idea at a time." }</p>
                <p class="welcome-summary">{ "Or see it all at once: " }
                    <button type="button" class="link-btn" onclick={open_summary(&props.dispatch)}>{ SUMMARY_TITLE }</button>
                </p>
            </div>
            <div class="welcome-actions">
                { for start }
                <button type="button" onclick={dismiss.clone()}>{ "Play freely" }</button>
            </div>
            <button type="button" class="ghost-btn welcome-close" aria-label="Close the welcome" title="Close"
                    onclick={dismiss}>{ "✕" }</button>
        </section>
    }
}

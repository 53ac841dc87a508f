//! Events for the page that embeds this one: an embed opened with `?embed&host=<id>` (by the
//! `<highwater-playground>` element) posts to `window.parent` when its step changes and when an
//! invariant breaks, tagged with that id so that several embeds on one page do not mix. Only
//! changes are posted. The element turns them into DOM events (`highwater-step`,
//! `highwater-invariant-broken`).

use highwater_core::invariants::InvariantId;
use serde::Serialize;
use yew::prelude::*;

/// One message to the host page; its JSON is `{"type": "highwater:step", "id": …, …}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum HostEvent<'a> {
    /// The simulated step or the tutorial position changed.
    #[serde(rename = "highwater:step")]
    Step {
        id: &'a str,
        /// Events fired so far.
        step: u64,
        /// Virtual time in ms.
        time: u64,
        /// The tutorial position (0 = introduction, k = after step k), if a chapter or scenario
        /// is open and on its script.
        position: Option<usize>,
        /// The chapter's number of steps, if one is open.
        steps: Option<usize>,
    },
    /// An invariant that held before is broken now.
    #[serde(rename = "highwater:invariant-broken")]
    InvariantBroken {
        id: &'a str,
        /// Its plain-words name ([`InvariantId::name`]).
        name: &'static str,
        /// Whether Kafka promises it under this configuration.
        promised: bool,
        step: u64,
    },
}

impl HostEvent<'_> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Where the embed is now, as the host hears it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub step: u64,
    pub time: u64,
    pub position: Option<usize>,
    pub steps: Option<usize>,
}

/// The invariants broken in `now` that were not broken in `before` (a step back can mend one;
/// breaking it again is news again).
pub fn newly_broken(
    before: &[InvariantId],
    now: &[(InvariantId, bool)],
) -> Vec<(InvariantId, bool)> {
    now.iter()
        .filter(|(id, _)| !before.contains(id))
        .copied()
        .collect()
}

fn post(event: &HostEvent) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return; // not in a frame
    }
    let Ok(message) = js_sys::JSON::parse(&event.to_json()) else {
        return;
    };
    // The data is public (step numbers, invariant names); the element checks the sender.
    let _ = parent.post_message(&message, "*");
}

/// Posts the embed's position and newly broken invariants to the host page, if `host` is set.
/// `broken`: the invariants broken now, each with whether it is promised.
#[hook]
pub fn use_host_events(host: Option<String>, at: Position, broken: Vec<(InvariantId, bool)>) {
    let seen = use_mut_ref(Vec::<InvariantId>::new);
    {
        let host = host.clone();
        use_effect_with(at, move |at| {
            if let Some(id) = &host {
                post(&HostEvent::Step {
                    id,
                    step: at.step,
                    time: at.time,
                    position: at.position,
                    steps: at.steps,
                });
            }
        });
    }
    let step = at.step;
    use_effect_with(broken, move |broken| {
        let fresh = newly_broken(&seen.borrow(), broken);
        *seen.borrow_mut() = broken.iter().map(|(id, _)| *id).collect();
        if let Some(id) = &host {
            for (inv, promised) in fresh {
                post(&HostEvent::InvariantBroken {
                    id,
                    name: inv.name(),
                    promised,
                    step,
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_json_and_only_new_breaks_count() {
        let step = HostEvent::Step {
            id: "hw-1",
            step: 12,
            time: 340,
            position: Some(3),
            steps: Some(8),
        };
        assert_eq!(
            step.to_json(),
            r#"{"type":"highwater:step","id":"hw-1","step":12,"time":340,"position":3,"steps":8}"#
        );
        let broken = HostEvent::InvariantBroken {
            id: "hw-1",
            name: InvariantId::NoAckedLoss.name(),
            promised: false,
            step: 40,
        };
        assert!(broken
            .to_json()
            .starts_with(r#"{"type":"highwater:invariant-broken","id":"hw-1","name":"no acknowledged record lost""#));

        let acked = (InvariantId::NoAckedLoss, false);
        let committed = (InvariantId::NoCommittedLoss, true);
        assert_eq!(newly_broken(&[], &[acked]), vec![acked]);
        assert_eq!(
            newly_broken(&[InvariantId::NoAckedLoss], &[acked, committed]),
            vec![committed]
        );
        assert!(newly_broken(&[InvariantId::NoAckedLoss], &[acked]).is_empty());
    }
}

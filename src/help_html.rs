//! The help dialog's text as HTML. `build.rs` includes this file and writes it to
//! `target/catalog/help.html`, which the page fetches when the help is first opened
//! (`ui/dialogs.rs`): its words stay out of the page's wasm.

/// The file name under `catalog/` (next to the chapters' JSON).
pub const FILE: &str = "help.html";

/// The keyboard shortcuts (`ui/keyboard.rs` maps the keys), as the help lists them.
pub const SHORTCUTS: [(&str, &str); 7] = [
    ("Space", "play / pause"),
    ("→", "step forward one event (in a tutorial: its next step)"),
    (
        "←",
        "step back one event (in a tutorial: its previous step)",
    ),
    ("+", "faster"),
    ("−", "slower"),
    ("?", "this help"),
    ("Esc", "close a dialog / clear the selection"),
];

/// The names of the picture: (name, what it means).
const NAMES: [(&str, &str); 6] = [
    (
        "t-0, t-1",
        "partitions: topic t, partition 0 and 1 (p1, p2 are producers; c1, c2 consumers)",
    ),
    (
        "a, p1-3",
        "a record, by its value: the same name in the log strips, the event log and the ledger",
    ),
    (
        "leader epoch (e2)",
        "a partition's leadership number: the controller raises it with every new leader of that \
         partition, and each record keeps the leader epoch it was written in (its colour). \
         Followers use it to find where their log diverges (KIP-101, KIP-279).",
    ),
    (
        "broker epoch",
        "a broker's registration number: the controller gives a new one each time the broker \
         registers (a restart), one per broker, unrelated to any partition (KIP-380).",
    ),
    (
        "event 68 · Step 6 of 6",
        "“event” counts what the simulator fired since the start of the run (the timeline, the \
         event log); a tutorial's “Step k of n” counts the chapter's narrated steps.",
    ),
    (
        "sent → · ← delivered",
        "in the event log, “b1 → b2 sent” is a message leaving b1; “b2 ← b1 delivered” is the \
         same message arriving at b2; “dropped” is one lost on the way.",
    ),
];

const INTRO: &str = "Highwater simulates Kafka's partition replication. A producer sends records \
    to each partition's leader; followers fetch them; the leader's high watermark (HW) moves once \
    every in-sync replica has a record, and only then is it committed. Crash, pause or cut off \
    brokers and watch what survives.";

const TIME: [&str; 2] = [
    "Speed is simulated milliseconds per real millisecond, from 0.1× to 100×: at 1× the \
     simulation runs in real time; at 0.1× a 20 ms network hop takes 200 ms to watch. With “skip \
     quiet gaps”, stretches with nothing but timers pending pass ten times faster.",
    "Back, the timeline and the times in the event log go back in time exactly (click an event's \
     time to see the cluster at that event). Any action taken in the past forks the timeline: the \
     recorded future is discarded. The address bar always holds the run up to the current step, \
     so a reload or a shared link restores this exact state.",
];

const MANUAL: &str = "Instead of playing in time order, choose which enabled event happens \
    next: deliver the first message of any link, or fire any timer.";

/// The dialog's body (its frame and title are the page's).
pub fn help_html() -> String {
    let mut s = format!("<p>{INTRO}</p><h3>Names</h3><dl class=\"names\">");
    for (name, meaning) in NAMES {
        s.push_str(&format!("<dt>{name}</dt><dd>{meaning}</dd>"));
    }
    s.push_str("</dl><h3>Keyboard shortcuts</h3><table class=\"keys\"><tbody>");
    for (key, what) in SHORTCUTS {
        s.push_str(&format!(
            "<tr><td><kbd>{key}</kbd></td><td>{what}</td></tr>"
        ));
    }
    s.push_str("</tbody></table><h3>Time</h3>");
    for p in TIME {
        s.push_str(&format!("<p>{p}</p>"));
    }
    s.push_str(&format!("<h3>Manual mode</h3><p>{MANUAL}</p>"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_in_the_help() {
        let html = help_html();
        for (name, meaning) in NAMES {
            assert!(
                html.contains(&format!("<dt>{name}</dt><dd>{meaning}</dd>")),
                "{name}"
            );
        }
        for (key, what) in SHORTCUTS {
            assert!(
                html.contains(&format!("<kbd>{key}</kbd></td><td>{what}<")),
                "{key}"
            );
        }
        for text in [INTRO, TIME[0], TIME[1], MANUAL] {
            assert!(html.contains(text));
            // Plain text: nothing the browser would read as markup.
            assert!(
                !text.contains(['<', '>', '&']) && !text.contains("  "),
                "{text}"
            );
        }
        assert_eq!(html.matches("<h3>").count(), 4);
    }
}

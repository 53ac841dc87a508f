//! What an embed's query asks for besides `embed`: `host=<nonce>` (post step and invariant
//! events to the parent page under this id, see [`super::host`]), `theme=light|dark|auto`,
//! `controls=full|playback|none` and `view=picture|diagram|both`. The `<highwater-playground>` element (`www/highwater-element.js`)
//! writes them; anything else is ignored, and an unknown value falls back to the default.

use crate::ui::state::Theme;

/// How much of the embed's chrome is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Controls {
    /// The toolbar, the narration panel with its step buttons, "Open in the playground".
    #[default]
    Full,
    /// The toolbar (play, back, step, clock) and the picture; no narration panel.
    Playback,
    /// The picture only, as a figure.
    None,
}

/// What the embed draws: the cluster picture, the space-time diagram, or both (issue 13:
/// the diagram as a mode of the embed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmbedView {
    #[default]
    Picture,
    Diagram,
    Both,
}

impl EmbedView {
    /// Whether the cluster picture is drawn.
    pub fn picture(self) -> bool {
        self != EmbedView::Diagram
    }
    /// Whether the space-time diagram is drawn.
    pub fn diagram(self) -> bool {
        self != EmbedView::Picture
    }
}

/// An embed's options, read from its query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The id the host page's element gave this frame; events are posted only when set.
    pub host: Option<String>,
    /// `None`: the playground's own choice (follow `prefers-color-scheme`).
    pub theme: Option<Theme>,
    pub controls: Controls,
    pub view: EmbedView,
}

impl EmbedOptions {
    /// Reads `?embed&host=…&theme=…&controls=…` (with or without the `?`).
    pub fn parse(query: &str) -> EmbedOptions {
        let mut o = EmbedOptions::default();
        for part in query.trim_start_matches('?').split('&') {
            match part.split_once('=') {
                Some(("host", id)) if valid_host(id) => o.host = Some(id.to_string()),
                Some(("theme", t @ ("light" | "dark" | "auto"))) => o.theme = Some(Theme::parse(t)),
                Some(("controls", "full")) => o.controls = Controls::Full,
                Some(("controls", "playback")) => o.controls = Controls::Playback,
                Some(("controls", "none")) => o.controls = Controls::None,
                Some(("view", "picture")) => o.view = EmbedView::Picture,
                Some(("view", "diagram")) => o.view = EmbedView::Diagram,
                Some(("view", "both")) => o.view = EmbedView::Both,
                _ => {}
            }
        }
        o
    }
}

/// A host id is short and plain (the element makes `hw-` + random letters and digits).
fn valid_host(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_elements_query_and_ignores_the_rest() {
        let o = EmbedOptions::parse("?embed&host=hw-a1&theme=dark&controls=playback");
        assert_eq!(o.host.as_deref(), Some("hw-a1"));
        assert_eq!(o.theme, Some(Theme::Dark));
        assert_eq!(o.controls, Controls::Playback);
        assert_eq!(EmbedOptions::parse("?embed"), EmbedOptions::default());
        let odd = EmbedOptions::parse("embed=1&host=<x>&theme=blue&controls=some&x=y");
        assert_eq!(odd, EmbedOptions::default());
        assert_eq!(
            EmbedOptions::parse("controls=none").controls,
            Controls::None
        );
        assert_eq!(EmbedOptions::parse("theme=auto").theme, Some(Theme::Auto));
        let d = EmbedOptions::parse("?embed&view=diagram").view;
        assert!(d.diagram() && !d.picture());
        assert!(EmbedOptions::parse("view=both").view.picture());
        assert_eq!(EmbedOptions::parse("view=map").view, EmbedView::Picture);
    }
}

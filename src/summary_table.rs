//! The summary's table ("What loses, duplicates or reorders what", `highwater_core::guarantees`)
//! as HTML text. `build.rs` includes this file and writes the table to
//! `target/catalog/summary.html`, which the page fetches when the summary opens
//! (`ui/summary.rs`): the table's words and the code that would build it stay out of the page's
//! wasm. The markup is what the dialog drew with `html!` before: the same elements, classes and
//! attributes.

use highwater_core::guarantees::{Outcome, Shown, Verdict, ROWS};

/// The file name under `catalog/` (next to the chapters' JSON).
pub const FILE: &str = "summary.html";

/// The whole `<table class="summary-table">`.
pub fn table_html() -> String {
    let mut s = String::from(
        r#"<table class="summary-table"><thead><tr><th scope="col">Configuration</th>"#,
    );
    for o in Outcome::ALL {
        s.push_str(&format!(
            r#"<th scope="col" title="{}">{}</th>"#,
            escape(o.meaning()),
            escape(o.title())
        ));
    }
    s.push_str("</tr></thead><tbody>");
    for r in ROWS {
        s.push_str(&format!(
            r#"<tr><th scope="row">{}</th>"#,
            escape(r.setting.name())
        ));
        for o in Outcome::ALL {
            let c = r.cell(o);
            s.push_str(&format!(
                r#"<td class="{}" data-label="{}"><span class="verdict">{}</span> {}"#,
                verdict_class(c.verdict),
                escape(o.title()),
                escape(c.verdict.as_str()),
                escape(c.words)
            ));
            if let Some(shown) = c.shown {
                s.push(' ');
                s.push_str(&shown_link(shown));
            }
            s.push_str("</td>");
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Yes => "v-yes",
        Verdict::When => "v-when",
        Verdict::No => "v-no",
    }
}

/// A link to the step that shows a cell; the page opens it in place (`ui/summary.rs`), and the
/// `href` still works in a new tab.
fn shown_link(s: Shown) -> String {
    format!(
        r##"<a class="summary-link" href="#{}" data-id="{}">{}</a>"##,
        escape(&s.fragment()),
        escape(s.id()),
        escape(&s.label())
    )
}

/// `text` as HTML text or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_and_cell_is_in_the_table() {
        let html = table_html();
        assert_eq!(
            html.matches("<tr>").count(),
            ROWS.len() + 1,
            "head and one row each"
        );
        assert_eq!(
            html.matches("<td ").count(),
            ROWS.len() * Outcome::ALL.len()
        );
        for r in ROWS {
            assert!(html.contains(&escape(r.setting.name())), "{:?}", r.setting);
            for c in &r.cells {
                assert!(html.contains(&escape(c.words)), "{}", c.words);
                if let Some(s) = c.shown {
                    // `&` between the link's parameters as `&amp;`: the browser reads it back.
                    let link = format!(
                        r##"href="#{}" data-id="{}">{}</a>"##,
                        s.fragment().replace('&', "&amp;"),
                        s.id(),
                        s.label()
                    );
                    assert!(html.contains(&link), "{link}");
                }
            }
        }
        let links = ROWS
            .iter()
            .flat_map(|r| r.cells.iter())
            .filter(|c| c.shown.is_some());
        assert_eq!(
            html.matches(r#"<a class="summary-link""#).count(),
            links.count()
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
        let html = table_html();
        let text: String = html
            .split('<')
            .map(|t| t.split_once('>').map_or(t, |(_, x)| x))
            .collect();
        assert!(
            !text.contains('>') && !text.contains('"'),
            "no raw markup in text"
        );
    }
}

//! The note on the source article in the chapter index ("The article the chapters test") as
//! HTML. `build.rs` includes this file and writes the note to `target/catalog/article.html`,
//! which the page fetches when the note is first opened (`ui/tutorial/panel.rs`): its words stay
//! out of the page's wasm.

/// The file name under `catalog/` (next to the chapters' JSON).
pub const FILE: &str = "article.html";

/// The page that shows the repository's rules reference, `docs/RULES.md` (`www/rules.html`,
/// copied into `dist/` with the Markdown beside it).
pub const RULES_PAGE: &str = "rules.html";

/// The note's paragraphs.
pub fn article_html() -> String {
    format!(
        "<p>The chapters quote “the article”: <cite lang=\"zh\">Kafka的消息传递保证和一致性</cite> \
         (“Kafka's message delivery guarantees and consistency”), a Chinese blog post on how Kafka \
         avoids losing or repeating messages.</p>\
         <p>It claims that Kafka delivers at least once: a record is acknowledged only after every \
         in-sync replica has copied it, so nothing acknowledged is lost, though a retry may deliver \
         it twice and consumers must deduplicate. It describes the ISR as a quorum from which a new \
         leader is elected, and says that after a failover every follower truncates its log to the \
         high watermark and then copies the new leader.</p>\
         <p>Each chapter's introduction ends with “Article vs Kafka”, where the simulator shows the \
         claim holding or not: the leader writes before its followers copy (chapter 1), the ISR is \
         no majority quorum and acks=1 or min.insync.replicas=1 lose acknowledged records \
         (chapters 5 and 6), and truncating to the high watermark loses or forks data, which leader \
         epochs fixed (chapters 12 to 14). How each Kafka rule is sourced is in the \
         <a href=\"{RULES_PAGE}\" target=\"_blank\" rel=\"noopener\">rules reference</a>.</p>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_article_and_links_the_rules() {
        let html = article_html();
        assert_eq!(html.matches("<p>").count(), 3);
        assert!(html.contains("<cite lang=\"zh\">Kafka的消息传递保证和一致性</cite>"));
        assert!(html.contains(&format!("<a href=\"{RULES_PAGE}\" target=\"_blank\"")));
        assert!(!html.contains("  "), "one space between words");
    }
}

//! Kafka's rules for topic names (org.apache.kafka.common.internals.Topic#validate), with its
//! wording, so a name Kafka would refuse is refused here too.

/// Kafka's longest legal topic name (Topic.MAX_NAME_LENGTH): 249 characters.
pub const MAX_TOPIC_NAME_LENGTH: usize = 249;

/// Checks `name` as Kafka's `Topic.validate` does: not empty, not `.` or `..`, at most 249
/// characters, only ASCII letters, digits, `.`, `_` and `-`. The error is Kafka's message.
pub fn validate_topic_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Topic name is illegal, it can't be empty".into());
    }
    if name == "." || name == ".." {
        return Err("Topic name cannot be \".\" or \"..\"".into());
    }
    if name.chars().count() > MAX_TOPIC_NAME_LENGTH {
        return Err(format!(
            "Topic name is illegal, it can't be longer than {MAX_TOPIC_NAME_LENGTH} characters, topic name: {}…",
            name.chars().take(40).collect::<String>()
        ));
    }
    let legal = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if !name.chars().all(legal) {
        // The name is quoted with control characters escaped, so the message stays one line.
        return Err(format!(
            "Topic name {:?} is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'",
            name.chars().take(60).collect::<String>()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TopicTest#testInvalidTopicNames / #testTopicHasCollisionChars cases, in Kafka's terms.
    #[test]
    fn names_kafka_refuses_are_refused_with_its_words() {
        for ok in ["t", "orders.v2", "a_b-c", &"x".repeat(249)] {
            assert_eq!(validate_topic_name(ok), Ok(()), "{ok}");
        }
        let cases = [
            ("", "can't be empty"),
            (".", "cannot be \".\" or \"..\""),
            ("..", "cannot be \".\" or \"..\""),
            ("ab cd", "other than ASCII alphanumerics"),
            ("<img onerror=x>", "other than ASCII alphanumerics"),
            ("tópico", "other than ASCII alphanumerics"),
            ("a/b", "other than ASCII alphanumerics"),
        ];
        for (name, words) in cases {
            let e = validate_topic_name(name).unwrap_err();
            assert!(e.contains(words), "{name:?}: {e}");
        }
        let long = validate_topic_name(&"x".repeat(250)).unwrap_err();
        assert!(long.contains("longer than 249 characters"), "{long}");
    }
}

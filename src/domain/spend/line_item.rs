//! What a billed line item is about. Line items are free text
//! (`gpt-4o-mini-2024-07-18, cached input`, `whisper-1, audio`,
//! `priority | gpt-5, output, long context`, `realtime api |
//! gpt-4o-realtime-preview-2024-12-17 audio, input`, `web search tool
//! calls`, `Vector storage`), so they are read as a best effort:
//!
//! 1. A leading `<tier or product> | ` is dropped.
//! 2. Mentions of tool calls, sessions, an interpreter or storage make
//!    the line a tool or storage charge.
//! 3. Otherwise `<model>, ...` or `<model> <modality>, ...`, where the
//!    model is one word with a digit or hyphen in it, is a model's usage.
//! 4. A remaining mention of search is a tool charge; anything else is
//!    "other".

/// The kind of one billed line item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineKind {
    /// Usage of a model, which tokens (or images, characters, seconds)
    /// may explain if the model has a price.
    Model { model: String },
    /// Tool calls and sessions: web and file search, code interpreter.
    Tool,
    /// Storage, such as vector stores.
    Storage,
    /// Anything keymeter does not recognise.
    Other,
}

const TOOL_WORDS: &[&str] =
    &["tool call", "interpreter", "session", "container"];

/// Reads a billed line item.
pub fn classify(line_item: &str) -> LineKind {
    let text = line_item.trim();
    let text = text
        .rsplit_once(" | ")
        .map_or(text, |(_, rest)| rest)
        .trim();
    let lower = text.to_ascii_lowercase();
    if lower.contains("storage") {
        return LineKind::Storage;
    }
    if TOOL_WORDS.iter().any(|word| lower.contains(word)) {
        return LineKind::Tool;
    }
    if let Some(model) = model_of(text) {
        return LineKind::Model {
            model: model.to_owned(),
        };
    }
    if lower.contains("search") {
        return LineKind::Tool;
    }
    LineKind::Other
}

/// The model of `<model>, ...` or `<model> <modality>, ...`.
fn model_of(text: &str) -> Option<&str> {
    let (head, _) = text.split_once(',')?;
    let mut words = head.split_whitespace();
    let model = words.next()?;
    let modal = words.count() <= 1;
    let looks_like_a_model =
        model.bytes().any(|b| b.is_ascii_digit() || b == b'-');
    (modal && looks_like_a_model).then_some(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> LineKind {
        LineKind::Model { model: name.into() }
    }

    #[test]
    fn model_lines_name_their_model() {
        let cases = [
            (
                "gpt-4o-mini-2024-07-18, cached input",
                "gpt-4o-mini-2024-07-18",
            ),
            ("gpt-4.1-2025-04-14, output", "gpt-4.1-2025-04-14"),
            ("whisper-1, audio", "whisper-1"),
            ("priority | gpt-5, output, long context", "gpt-5"),
            (
                "realtime api | gpt-4o-realtime-preview audio, input",
                "gpt-4o-realtime-preview",
            ),
            ("gpt-4o-transcribe text, output", "gpt-4o-transcribe"),
            ("gpt-4o-search-preview, input", "gpt-4o-search-preview"),
            ("ft:gpt-4o-mini:acme::x1, input", "ft:gpt-4o-mini:acme::x1"),
            ("o3, output", "o3"),
        ];
        for (line, name) in cases {
            assert_eq!(classify(line), model(name), "{line}");
        }
    }

    #[test]
    fn tools_and_storage_are_told_apart() {
        assert_eq!(classify("web search tool calls"), LineKind::Tool);
        assert_eq!(classify("File search tool calls"), LineKind::Tool);
        assert_eq!(classify("gpt-4o, web search tool calls"), LineKind::Tool);
        assert_eq!(classify("Code Interpreter sessions"), LineKind::Tool);
        assert_eq!(classify("web search"), LineKind::Tool);
        assert_eq!(classify("Vector storage"), LineKind::Storage);
        assert_eq!(classify("File storage, per GB"), LineKind::Storage);
    }

    #[test]
    fn what_is_not_recognised_is_other() {
        for line in [
            "",
            "Assistants, retrieval",
            "Credit adjustment",
            "support plan fee",
        ] {
            assert_eq!(classify(line), LineKind::Other, "{line:?}");
        }
    }
}

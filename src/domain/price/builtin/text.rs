//! List prices of text models, including their fine-tuned variants.
//!
//! USD per 1M tokens: input, cached input (`-` for no cache discount),
//! output. Priority prices are those of OpenAI's Priority processing page;
//! models without one leave priority usage unpriced.

use super::{tokens, Spec};
use crate::domain::time::Date;

/// o3 became cheaper on this day.
const O3_CUT: Date = Date::new(2025, 6, 10);

pub(super) fn specs() -> Vec<Spec> {
    vec![
        // The GPT-5 family, newest first.
        tokens("gpt-5.5", "5", "0.50", "30").long_context(),
        tokens("gpt-5.5-pro", "30", "-", "180").long_context(),
        tokens("gpt-5.4", "2.50", "0.25", "15")
            .priority("5", "0.50", "30")
            .long_context(),
        tokens("gpt-5.4-mini", "0.75", "0.075", "4.50")
            .priority("1.50", "0.15", "9")
            .long_context(),
        tokens("gpt-5.4-nano", "0.20", "0.02", "1.25").long_context(),
        tokens("gpt-5.4-pro", "30", "-", "180").long_context(),
        tokens("gpt-5.2", "1.75", "0.175", "14").priority("3.50", "0.35", "28"),
        tokens("gpt-5.2-pro", "21", "-", "168"),
        tokens("gpt-5.1", "1.25", "0.125", "10").priority("2.50", "0.25", "20"),
        tokens("gpt-5.1-codex-mini", "0.25", "0.025", "2"),
        tokens("gpt-5", "1.25", "0.125", "10").priority("2.50", "0.25", "20"),
        tokens("gpt-5-mini", "0.25", "0.025", "2")
            .priority("0.45", "0.045", "3.60"),
        tokens("gpt-5-nano", "0.05", "0.005", "0.40"),
        tokens("gpt-5-pro", "15", "-", "120"),
        // GPT-4.1 and GPT-4o.
        tokens("gpt-4.1", "2", "0.50", "8").priority("3.50", "0.875", "14"),
        tokens("gpt-4.1-mini", "0.40", "0.10", "1.60")
            .priority("0.70", "0.175", "2.80"),
        tokens("gpt-4.1-nano", "0.10", "0.025", "0.40")
            .priority("0.20", "0.05", "0.80"),
        tokens("gpt-4o", "2.50", "1.25", "10").priority("4.25", "2.125", "17"),
        // The first GPT-4o snapshot kept its launch price.
        tokens("gpt-4o-2024-05-13", "5", "-", "15")
            .priority("8.75", "-", "26.25"),
        tokens("chatgpt-4o-latest", "5", "-", "15"),
        tokens("gpt-4o-mini", "0.15", "0.075", "0.60")
            .priority("0.25", "0.125", "1"),
        tokens("gpt-4o-search-preview", "2.50", "-", "10"),
        tokens("gpt-4o-mini-search-preview", "0.15", "-", "0.60"),
        tokens("gpt-4.5-preview", "75", "37.50", "150"),
        // Reasoning models.
        tokens("o1", "15", "7.50", "60"),
        tokens("o1-pro", "150", "-", "600"),
        tokens("o1-mini", "1.10", "0.55", "4.40"),
        tokens("o3", "10", "-", "40"),
        tokens("o3", "2", "0.50", "8")
            .from(O3_CUT)
            .priority("3.50", "0.875", "14"),
        tokens("o3-pro", "20", "-", "80"),
        tokens("o3-mini", "1.10", "0.55", "4.40"),
        tokens("o4-mini", "1.10", "0.275", "4.40").priority("2", "0.50", "8"),
        tokens("o3-deep-research", "10", "2.50", "40"),
        tokens("o4-mini-deep-research", "2", "0.50", "8"),
        tokens("codex-mini-latest", "1.50", "0.375", "6"),
        tokens("computer-use-preview", "3", "-", "12"),
        // Older models still seen in usage. Some old snapshots kept their
        // own price, so they are listed by exact name.
        tokens("gpt-4-turbo", "10", "-", "30"),
        tokens("gpt-4", "30", "-", "60"),
        tokens("gpt-4-32k", "60", "-", "120"),
        tokens("gpt-3.5-turbo", "0.50", "-", "1.50"),
        tokens("gpt-3.5-turbo-1106", "1", "-", "2"),
        tokens("gpt-3.5-turbo-0613", "1.50", "-", "2"),
        tokens("gpt-3.5-turbo-0301", "1.50", "-", "2"),
        tokens("gpt-3.5-turbo-16k-0613", "3", "-", "4"),
        tokens("gpt-3.5-turbo-instruct", "1.50", "-", "2"),
        tokens("davinci-002", "2", "-", "2"),
        tokens("babbage-002", "0.40", "-", "0.40"),
        // Inference on fine-tuned models, named `ft:<base>`.
        tokens("ft:gpt-4.1", "3", "0.75", "12"),
        tokens("ft:gpt-4.1-mini", "0.80", "0.20", "3.20"),
        tokens("ft:gpt-4.1-nano", "0.20", "0.05", "0.80"),
        tokens("ft:gpt-4o", "3.75", "1.875", "15"),
        tokens("ft:gpt-4o-mini", "0.30", "0.15", "1.20"),
        tokens("ft:gpt-3.5-turbo", "3", "-", "6"),
        tokens("ft:o4-mini", "4", "1", "16"),
        tokens("ft:davinci-002", "12", "-", "12"),
        tokens("ft:babbage-002", "1.60", "-", "1.60"),
    ]
}

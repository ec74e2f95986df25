//! The model breakdown: what each model used and cost over a range.

use std::collections::HashMap;

use super::filter::model_label;
use super::ledger::Ledger;
use super::rows::Row;
use super::source::Source;
use super::tally::{share, Tally};
use crate::domain::usage::UsageKind;

/// One model's line. Kinds whose rows name no model (vector storage,
/// tool calls) get a line of their own under the kind's label.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRow {
    /// The model name, or the kind's label: also the `Filter::model`
    /// value that selects this line's rows.
    pub label: String,
    /// Set when the line is a kind without a model.
    pub kind: Option<UsageKind>,
    pub tally: Tally,
    /// This line's part of all tokens of the range, 0.0 to 1.0.
    pub token_share: f64,
}

/// The lines of the rows `source` uses, most expensive first, then by
/// tokens and by name.
pub fn models(rows: &[Row], source: &Source) -> Vec<ModelRow> {
    models_of(&Ledger::of(rows, source, None))
}

/// The lines of the groups of `ledger` with usage on its days.
pub fn models_of(ledger: &Ledger) -> Vec<ModelRow> {
    let mut sums: HashMap<(&str, Option<UsageKind>), Tally> = HashMap::new();
    for group in ledger.groups() {
        if group.range.is_empty() {
            continue;
        }
        let record = group.record;
        // Kinds share no model names, but a kind without a model must
        // not merge with a model that happens to carry its label.
        let kind = record.model.is_none().then_some(record.kind);
        sums.entry((model_label(record), kind))
            .or_default()
            .merge(&group.range);
    }

    let all_tokens: u64 = sums.values().map(|t| t.tokens).sum();
    let mut lines: Vec<ModelRow> = sums
        .into_iter()
        .map(|((label, kind), tally)| ModelRow {
            label: label.to_owned(),
            kind,
            token_share: share(tally.tokens.into(), all_tokens.into()),
            tally,
        })
        .collect();
    lines.sort_by(|a, b| {
        b.tally
            .spend_order()
            .cmp(&a.tally.spend_order())
            .then_with(|| a.label.cmp(&b.label))
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{daily, priced, unpriced};
    use crate::domain::analytics::grid::Days;
    use crate::domain::demo::PREVIEW_MODEL;
    use crate::domain::time::Date;
    use crate::domain::zone::Zone;

    fn day() -> Date {
        Date::new(2026, 5, 4)
    }

    fn breakdown(
        records: &[crate::domain::usage::UsageRecord],
    ) -> Vec<ModelRow> {
        let rows = priced(records);
        let days = Days::new(day(), day());
        let source = Source::choose(&rows, &Zone::utc(), days);
        models(&rows, &source)
    }

    #[test]
    fn an_unpriced_model_shows_its_tokens_and_no_cost() {
        let start = day().to_unix();
        let lines =
            breakdown(&[daily(start, 1_000), unpriced(daily(start, 3_000))]);

        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].tally.tokens, 1_000, "priced sorts first");
        let preview = &lines[1];
        assert_eq!(preview.label, PREVIEW_MODEL);
        assert_eq!(preview.tally.tokens, 3_000);
        assert_eq!(preview.tally.unpriced_tokens, 3_000);
        assert_eq!(preview.tally.estimated(), None);
        assert_eq!(preview.token_share, 0.75);
    }

    #[test]
    fn rows_without_a_model_are_grouped_under_their_kind() {
        let start = day().to_unix();
        let mut storage = daily(start, 0);
        storage.kind = UsageKind::VectorStores;
        storage.model = None;
        storage.counts.update(|c| c.usage_bytes = 5_000);
        let mut search = storage.clone();
        search.kind = UsageKind::WebSearchCalls;
        search.counts.update(|c| c.calls = 3);

        let lines = breakdown(&[storage.clone(), storage, search]);

        let labels: Vec<&str> =
            lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels.len(), 2);
        assert!(labels.contains(&"Vector storage"));
        assert!(labels.contains(&"Web search"));
        assert!(lines.iter().all(|l| l.tally.estimated().is_none()));
    }
}

//! The analytics views as downloadable tables: the same numbers the page
//! shows, money exact, unpriced cost empty rather than zero.

use super::compare::{KeyLine, KeyRef};
use super::models::ModelRow;
use super::pattern::Pattern;
use super::tally::Tally;
use super::top::Consumer;
use crate::domain::export::{Cell, Table};

/// Cells shared by every table: tokens, requests, cost, unpriced tokens.
fn tally_cells(tally: &Tally) -> [Cell; 4] {
    [
        Cell::Count(tally.tokens),
        Cell::Count(tally.requests),
        tally.estimated().into(),
        Cell::Count(tally.unpriced_tokens),
    ]
}

/// A 0.0 to 1.0 share as a percentage with two decimals.
fn percent(share: f64) -> Cell {
    Cell::Decimal(format!("{:.2}", share * 100.0))
}

/// One row per model (or kind without a model).
pub fn models_table(rows: &[ModelRow]) -> Table {
    let mut table = Table::new(&[
        "model",
        "tokens",
        "requests",
        "estimated_cost_usd",
        "unpriced_tokens",
        "token_share_percent",
    ]);
    for row in rows {
        let mut cells = vec![Cell::from(row.label.as_str())];
        cells.extend(tally_cells(&row.tally));
        cells.push(percent(row.token_share));
        table.push(cells);
    }
    table
}

/// One row per local hour of the day, averaged per day.
pub fn pattern_table(pattern: &Pattern, zone: &str) -> Table {
    let mut table = Table::with_header(vec![
        format!("hour ({zone})"),
        "average_tokens_per_day".to_owned(),
        "average_requests_per_day".to_owned(),
        "average_estimated_cost_usd_per_day".to_owned(),
    ]);
    for hour in 0..pattern.hours.len() {
        table.push(vec![
            Cell::from(format!("{hour:02}").as_str()),
            Cell::Decimal(format!("{:.2}", pattern.tokens_per_day(hour))),
            Cell::Decimal(format!("{:.2}", pattern.requests_per_day(hour))),
            Cell::Money(pattern.cost_per_day(hour)),
        ]);
    }
    table
}

/// The comparison of API keys side by side.
pub fn comparison_table(lines: &[KeyLine]) -> Table {
    let mut table = Table::new(&[
        "key_id",
        "name",
        "project",
        "key",
        "tokens",
        "requests",
        "estimated_cost_usd",
        "unpriced_tokens",
        "cost_share_percent",
        "tokens_per_minute_last_24h",
        "estimated_usd_per_hour_last_24h",
    ]);
    for line in lines {
        let id = match &line.key {
            KeyRef::Key { key_id, .. } => key_id.as_str(),
            KeyRef::Unattributed => "",
        };
        let mut cells = vec![
            Cell::from(id),
            Cell::from(line.name.as_str()),
            Cell::from(line.project.as_str()),
            Cell::from(line.masked.as_str()),
        ];
        cells.extend(tally_cells(&line.tally));
        cells.push(percent(line.cost_share));
        cells.push(Cell::Decimal(format!(
            "{:.2}",
            line.burn.tokens_per_minute()
        )));
        cells.push(Cell::Money(line.burn.cost_per_hour()));
        table.push(cells);
    }
    table
}

/// Top consumers of one dimension (`what`: key, user, project, model).
pub fn consumers_table(what: &str, consumers: &[Consumer]) -> Table {
    let mut table = Table::with_header(vec![
        format!("{what}_id"),
        what.to_owned(),
        "tokens".to_owned(),
        "requests".to_owned(),
        "estimated_cost_usd".to_owned(),
        "unpriced_tokens".to_owned(),
    ]);
    for consumer in consumers {
        let mut cells = vec![
            Cell::from(consumer.id.as_deref().unwrap_or("")),
            Cell::from(consumer.label.as_str()),
        ];
        cells.extend(tally_cells(&consumer.tally));
        table.push(cells);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::export::Bom;
    use crate::domain::money::Usd;

    #[test]
    fn an_unpriced_model_has_tokens_and_an_empty_cost_never_zero() {
        let rows = [
            ModelRow {
                label: "gpt-7-preview-2027-02-01".into(),
                kind: None,
                tally: Tally {
                    tokens: 6_000,
                    requests: 3,
                    unpriced_tokens: 6_000,
                    unpriced_rows: 1,
                    ..Tally::default()
                },
                token_share: 0.6,
            },
            ModelRow {
                label: "=gpt-4o".into(),
                kind: None,
                tally: Tally {
                    tokens: 4_000,
                    requests: 2,
                    cost: Usd(10_000_000_000),
                    priced_rows: 1,
                    ..Tally::default()
                },
                token_share: 0.4,
            },
        ];
        let csv = models_table(&rows).to_csv(Bom::Without).expect("CSV");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "gpt-7-preview-2027-02-01,6000,3,,6000,60.00");
        assert_eq!(lines[2], "'=gpt-4o,4000,2,0.010000,0,40.00");
    }
}

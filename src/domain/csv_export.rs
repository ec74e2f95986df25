//! CSV files made from the tables keymeter shows (RFC 4180).
//!
//! Key names are chosen by whoever created the key, so a text cell that a
//! spreadsheet would run as a formula is written with a leading `'`.
//! Numbers are written as numbers and never altered.

use super::export::{Bom, Cell, Table};
use super::overview::{Overview, Totals};

/// Why a CSV file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("could not write the CSV file: {0}")]
    Write(#[from] csv::Error),
    #[error("the CSV file is not valid text")]
    Encoding,
}

/// Neutralizes a text cell that a spreadsheet would read as a formula.
pub fn safe_text(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

const OVERVIEW_HEADER: [&str; 13] = [
    "key_id",
    "name",
    "project",
    "key",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "estimated_cost_usd",
    "unpriced_tokens",
    "openai_name",
    "burn_usd_per_hour_24h",
    "burn_tokens_per_minute_24h",
];

/// The keys overview as a table: one line per key, then "Unattributed"
/// and "Total". A wholly unpriced line leaves its cost empty, never `0`.
pub fn overview_table(overview: &Overview) -> Table {
    let mut table = Table::new(&OVERVIEW_HEADER);
    for row in &overview.rows {
        let text = [row.key_id.as_str(), &row.name, &row.project, &row.masked];
        let extra = row.openai_name.as_deref().unwrap_or_default();
        table.push(line(text, &row.totals, extra));
    }
    if let Some(totals) = &overview.unattributed {
        table.push(line(["", "Unattributed", "", ""], totals, ""));
    }
    table.push(line(["", "Total", "", ""], &overview.total, ""));
    table
}

/// The keys overview as CSV.
pub fn overview_csv(overview: &Overview) -> Result<String, CsvError> {
    overview_table(overview).to_csv(Bom::Without)
}

fn line(text: [&str; 4], totals: &Totals, openai_name: &str) -> Vec<Cell> {
    let c = &totals.counts;
    let cost = (!totals.wholly_unpriced()).then_some(totals.cost);
    let mut cells: Vec<Cell> = text.iter().map(|t| Cell::from(*t)).collect();
    cells.extend([
        c.requests.into(),
        c.input.into(),
        c.cached_input.into(),
        c.output.into(),
        cost.into(),
        totals.unpriced_tokens.into(),
        openai_name.into(),
    ]);
    let burn = totals.burn;
    cells.push(burn.map(|b| b.cost_per_hour()).into());
    cells.push(burn.map_or(Cell::Empty, |b| {
        Cell::Decimal(format!("{:.3}", b.tokens_per_minute()))
    }));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralized() {
        for hostile in ["=HYPERLINK(\"x\")", "+1 555", "-rm", "@SUM(A1)", "\tx"]
        {
            assert!(safe_text(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(safe_text("生产环境"), "生产环境");
        assert_eq!(safe_text("api-server"), "api-server");
    }
}

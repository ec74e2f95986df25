//! CSV files made from the tables keymeter shows (RFC 4180).
//!
//! Key names are chosen by whoever created the key, so a text cell that a
//! spreadsheet would run as a formula is written with a leading `'`.
//! Numbers are written as numbers and never altered.

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

const OVERVIEW_HEADER: [&str; 11] = [
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
];

/// The keys overview as CSV: one line per key, then "Unattributed" and
/// "Total". A wholly unpriced line leaves its cost empty, never `0`.
pub fn overview_csv(overview: &Overview) -> Result<String, CsvError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(OVERVIEW_HEADER)?;
    for row in &overview.rows {
        let text = [row.key_id.as_str(), &row.name, &row.project, &row.masked];
        let extra = row.openai_name.as_deref().unwrap_or_default();
        write_line(&mut out, text, &row.totals, extra)?;
    }
    if let Some(totals) = &overview.unattributed {
        write_line(&mut out, ["", "Unattributed", "", ""], totals, "")?;
    }
    write_line(&mut out, ["", "Total", "", ""], &overview.total, "")?;
    let bytes = out
        .into_inner()
        .map_err(|e| CsvError::Write(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| CsvError::Encoding)
}

fn write_line(
    out: &mut csv::Writer<Vec<u8>>,
    text: [&str; 4],
    totals: &Totals,
    openai_name: &str,
) -> Result<(), CsvError> {
    let c = &totals.counts;
    let cost = if totals.wholly_unpriced() {
        String::new()
    } else {
        totals.cost.to_fixed(6)
    };
    let mut line: Vec<String> = text.iter().map(|t| safe_text(t)).collect();
    line.extend([
        c.requests.to_string(),
        c.input.to_string(),
        c.cached_input.to_string(),
        c.output.to_string(),
        cost,
        totals.unpriced_tokens.to_string(),
        safe_text(openai_name),
    ]);
    out.write_record(&line)?;
    Ok(())
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

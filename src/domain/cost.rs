//! Billed costs: what OpenAI charged per day, project and line item.
//! Amounts arrive as JSON numbers or strings with long decimals, so they
//! are read from their text, exactly, never through a float.

use serde::{Deserialize, Serialize};

use super::money::{parse_scaled, Usd};

/// One billed amount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostRecord {
    pub connection_id: String,
    /// Day start, unix seconds (UTC).
    pub start_time: i64,
    pub end_time: i64,
    pub project_id: Option<String>,
    /// Free text such as `gpt-4o-2024-08-06, output` or `Vector storage`.
    pub line_item: Option<String>,
    /// Only on API versions that can group costs by key.
    #[serde(default)]
    pub api_key_id: Option<String>,
    pub amount: Usd,
    /// Lower-case ISO code (`usd`).
    pub currency: String,
}

const SEP: char = '\u{1f}';

impl CostRecord {
    /// The day this row belongs to: re-fetching a day replaces its rows.
    pub fn day_key(&self) -> String {
        cost_day_key(&self.connection_id, self.start_time)
    }

    /// The natural key: the day plus every grouping value.
    pub fn natural_key(&self) -> String {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.day_key(),
            opt(&self.project_id),
            opt(&self.line_item),
            opt(&self.api_key_id),
        ]
        .join(&SEP.to_string())
    }
}

/// The key shared by all cost rows of one day.
pub fn cost_day_key(connection_id: &str, start_time: i64) -> String {
    format!("{connection_id}{SEP}costs{SEP}{start_time}")
}

/// The natural keys of a connection's cost rows of the days from `from`
/// on (both bounds inclusive). `from` is a UTC midnight after 2001, whose
/// ten digits compare as text with every stored day's.
pub fn days_from(connection_id: &str, from: i64) -> (String, String) {
    (
        cost_day_key(connection_id, from),
        format!("{connection_id}{SEP}costs{SEP}\u{ffff}"),
    )
}

/// Reads a non-negative decimal (`12.50`, `0.8958740000000000`, `1e-6`)
/// as an exact amount, rounding beyond picodollars half up. Negative
/// amounts (credits) read as zero is wrong, so they are refused instead.
pub fn parse_usd(text: &str) -> Option<Usd> {
    parse_scaled(text).map(|scaled| Usd(scaled.pico))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::usage::connection_rows;

    #[test]
    fn a_connections_cost_rows_lie_in_its_range_and_no_others_do() {
        let (low, high) = connection_rows("c1");
        let key = |connection: &str| {
            format!(
                "{}{SEP}proj_1{SEP}Tokens{SEP}",
                cost_day_key(connection, 0)
            )
        };
        let ours = key("c1");
        assert!(low <= ours && ours <= high);
        for other in ["c10", "c", "c2"] {
            let theirs = key(other);
            assert!(theirs < low || theirs > high, "{other}");
        }
    }

    #[test]
    fn the_days_from_a_midnight_hold_it_and_later_days_only() {
        let day = 1_774_915_200;
        let (low, high) = days_from("c1", day);
        let key = |connection: &str, start: i64| {
            format!(
                "{}{SEP}proj_1{SEP}Tokens{SEP}",
                cost_day_key(connection, start)
            )
        };
        for start in [day, day + 86_400, day + 400 * 86_400] {
            let ours = key("c1", start);
            assert!(low <= ours && ours <= high, "{start}");
        }
        let before = key("c1", day - 86_400);
        assert!(before < low);
        let other = key("c2", day);
        assert!(other < low || other > high);
    }

    #[test]
    fn string_and_long_decimal_amounts_sum_exactly() {
        let a = parse_usd("12.50").unwrap();
        let b = parse_usd("0.8958740000000000").unwrap();
        assert_eq!((a + b).to_fixed(6), "13.395874");
    }

    #[test]
    fn a_million_billed_millionths_sum_to_exactly_one_dollar() {
        let total: Usd = (0..1_000_000)
            .map(|i| parse_usd(if i % 2 == 0 { "0.000001" } else { "1e-6" }))
            .map(|amount| amount.expect("an amount"))
            .sum();
        assert_eq!(total.to_fixed(6), "1.000000");
        assert_eq!(total, Usd(1_000_000_000_000));
    }

    #[test]
    fn exponents_and_tiny_amounts_are_exact() {
        assert_eq!(parse_usd("1e-6"), Some(Usd(1_000_000)));
        assert_eq!(parse_usd("2.5E+1"), Some(Usd(25_000_000_000_000)));
        assert_eq!(parse_usd("0.0000000000004"), Some(Usd(0)));
        assert_eq!(parse_usd("0.0000000000005"), Some(Usd(1)));
        assert_eq!(parse_usd("0.00000000000009"), Some(Usd(0)));
        assert_eq!(parse_usd("0"), Some(Usd::ZERO));
        assert_eq!(parse_usd(".5"), Some(Usd(500_000_000_000)));
    }

    #[test]
    fn what_is_not_a_plain_amount_is_refused() {
        for bad in ["", "-1.0", "abc", "1.2.3", "NaN", "1e", "."] {
            assert_eq!(parse_usd(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_days_cost_rows_lie_in_its_bucket_range() {
        let row = CostRecord {
            connection_id: "c".into(),
            start_time: 1_767_571_200,
            end_time: 1_767_657_600,
            project_id: None,
            line_item: Some("web search tool calls".into()),
            api_key_id: None,
            amount: Usd::ZERO,
            currency: "usd".into(),
        };
        let (low, high) = crate::domain::usage::bucket_rows(&row.day_key());
        let key = row.natural_key();
        assert!(low <= key && key <= high);
        let mut next = row.clone();
        next.start_time += 86_400;
        assert!(next.natural_key() > high);
    }
}

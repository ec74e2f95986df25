//! Billed costs: what OpenAI charged per day, project and line item.
//! Amounts arrive as JSON numbers or strings with long decimals, so they
//! are read from their text, exactly, never through a float.

use serde::{Deserialize, Serialize};

use super::money::Usd;

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

/// Reads a non-negative decimal (`12.50`, `0.8958740000000000`, `1e-6`)
/// as an exact amount, rounding beyond picodollars half up. Negative
/// amounts (credits) read as zero is wrong, so they are refused instead.
pub fn parse_usd(text: &str) -> Option<Usd> {
    let text = text.trim();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let mantissa = mantissa.strip_prefix('+').unwrap_or(mantissa);
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits: String = format!("{whole}{frac}");
    // The value is digits x 10^(exponent - frac.len()); scale to 1e-12.
    let shift = exponent - frac.len() as i32 + 12;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(Usd::ZERO);
    }
    let value: u128 = if shift >= 0 {
        let base: u128 = digits.parse().ok()?;
        base.checked_mul(10u128.checked_pow(shift as u32)?)?
    } else {
        let cut = (-shift) as usize;
        if cut > digits.len() {
            // Less than a tenth of a picodollar.
            return Some(Usd::ZERO);
        }
        let (keep, dropped) = digits.split_at(digits.len() - cut);
        let base: u128 = if keep.is_empty() {
            0
        } else {
            keep.parse().ok()?
        };
        base + u128::from(dropped.as_bytes()[0] >= b'5')
    };
    Some(Usd(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_and_long_decimal_amounts_sum_exactly() {
        let a = parse_usd("12.50").unwrap();
        let b = parse_usd("0.8958740000000000").unwrap();
        assert_eq!((a + b).to_fixed(6), "13.395874");
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
}

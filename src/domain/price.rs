//! The built-in price table and the estimated cost of a usage row.
//!
//! Per-key money is an estimate (tokens times list price) because OpenAI
//! bills the organization, not the key. A model this table does not know is
//! "unpriced": its tokens are counted but its cost is never taken as zero.

use super::money::Usd;
use super::time::Date;
use super::usage::{TokenCounts, UsageRecord};

/// Text-token prices of one model, in microdollars per million tokens
/// (which is also picodollars per token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenPrice {
    pub input: u64,
    /// `None` where the model has no cache discount: cached tokens then
    /// cost as much as other input.
    pub cached_input: Option<u64>,
    pub output: u64,
}

/// One line of the price table.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// A model family (`gpt-4o`) or one exact snapshot (`gpt-4o-2024-05-13`).
    model: &'static str,
    /// First UTC day the price applies; `None` for "always".
    from: Option<Date>,
    price: TokenPrice,
}

const fn usd(dollars: u64, micro: u64) -> u64 {
    dollars * 1_000_000 + micro
}

const fn p(input: u64, cached: Option<u64>, output: u64) -> TokenPrice {
    TokenPrice {
        input,
        cached_input: cached,
        output,
    }
}

const fn e(model: &'static str, price: TokenPrice) -> Entry {
    Entry {
        model,
        from: None,
        price,
    }
}

const O3_CUT: Date = Date {
    year: 2025,
    month: 6,
    day: 10,
};

/// List prices in USD per 1M tokens (input / cached input / output).
const TABLE: &[Entry] = &[
    e("gpt-5", p(usd(1, 250_000), Some(125_000), usd(10, 0))),
    e("gpt-5-mini", p(250_000, Some(25_000), usd(2, 0))),
    e("gpt-5-nano", p(50_000, Some(5_000), 400_000)),
    e("gpt-4.1", p(usd(2, 0), Some(500_000), usd(8, 0))),
    e("gpt-4.1-mini", p(400_000, Some(100_000), usd(1, 600_000))),
    e("gpt-4.1-nano", p(100_000, Some(25_000), 400_000)),
    e(
        "gpt-4o",
        p(usd(2, 500_000), Some(usd(1, 250_000)), usd(10, 0)),
    ),
    e("gpt-4o-2024-05-13", p(usd(5, 0), None, usd(15, 0))),
    e("gpt-4o-mini", p(150_000, Some(75_000), 600_000)),
    e("o1", p(usd(15, 0), Some(usd(7, 500_000)), usd(60, 0))),
    e("o3", p(usd(10, 0), None, usd(40, 0))),
    Entry {
        model: "o3",
        from: Some(O3_CUT),
        price: p(usd(2, 0), Some(500_000), usd(8, 0)),
    },
    e(
        "o3-mini",
        p(usd(1, 100_000), Some(550_000), usd(4, 400_000)),
    ),
    e(
        "o4-mini",
        p(usd(1, 100_000), Some(275_000), usd(4, 400_000)),
    ),
    e("gpt-4-turbo", p(usd(10, 0), None, usd(30, 0))),
    e("gpt-4", p(usd(30, 0), None, usd(60, 0))),
    e("gpt-3.5-turbo", p(500_000, None, usd(1, 500_000))),
    e("gpt-3.5-turbo-0125", p(500_000, None, usd(1, 500_000))),
    e("text-embedding-3-small", p(20_000, None, 0)),
    e("text-embedding-3-large", p(130_000, None, 0)),
    e("text-embedding-ada-002", p(100_000, None, 0)),
    // Moderation is free.
    e("omni-moderation-latest", p(0, None, 0)),
    e("omni-moderation", p(0, None, 0)),
    e("text-moderation-latest", p(0, None, 0)),
    e("text-moderation-stable", p(0, None, 0)),
    e("text-moderation-007", p(0, None, 0)),
];

/// The price of `model` on `day`: the exact snapshot if the table has it,
/// else its family (the name without a `-YYYY-MM-DD` suffix). Never a
/// prefix or substring guess: `gpt-5.4-mini` is not `gpt-5`.
pub fn price_of(model: &str, day: Date) -> Option<TokenPrice> {
    lookup(model, day).or_else(|| lookup(strip_snapshot_date(model)?, day))
}

fn lookup(name: &str, day: Date) -> Option<TokenPrice> {
    TABLE
        .iter()
        .filter(|entry| entry.model == name)
        .filter(|entry| entry.from.is_none_or(|from| from <= day))
        .max_by_key(|entry| entry.from)
        .map(|entry| entry.price)
}

/// `gpt-4o-2024-08-06` -> `gpt-4o`; `None` when there is no date suffix.
fn strip_snapshot_date(model: &str) -> Option<&str> {
    let (family, date) = model.len().checked_sub(11).map(|cut| {
        let (head, tail) = model.split_at(cut);
        (head, tail)
    })?;
    let bytes = date.as_bytes();
    let shape_ok = bytes[0] == b'-'
        && bytes[5] == b'-'
        && bytes[8] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| matches!(i, 0 | 5 | 8) || b.is_ascii_digit());
    (shape_ok && !family.is_empty()).then_some(family)
}

/// The estimated cost of one usage row, or `None` when it is unpriced.
pub fn estimate(record: &UsageRecord) -> Option<Usd> {
    let model = record.model.as_deref()?;
    let mut price = price_of(model, Date::from_unix(record.start_time))?;
    match record.service_tier.as_deref() {
        None | Some("default") => {}
        Some("flex") => price = halve(price),
        // Priority and scale tiers have prices this table does not hold.
        Some(_) => return None,
    }
    if record.batch == Some(true) {
        price = halve(price);
    }
    Some(cost(&record.counts, price))
}

fn halve(price: TokenPrice) -> TokenPrice {
    TokenPrice {
        input: price.input / 2,
        cached_input: price.cached_input.map(|c| c / 2),
        output: price.output / 2,
    }
}

/// Cost of `counts` at `price`; cached input is billed once, at its own
/// rate, and never again as ordinary input.
pub fn cost(counts: &TokenCounts, price: TokenPrice) -> Usd {
    let cached_rate = price.cached_input.unwrap_or(price.input);
    let pico = u128::from(counts.uncached_input()) * u128::from(price.input)
        + u128::from(counts.cached_input.min(counts.input))
            * u128::from(cached_rate)
        + u128::from(counts.output) * u128::from(price.output);
    Usd(pico)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::usage::{BucketWidth, UsageKind};

    fn row(
        model: &str,
        day: &str,
        input: u64,
        cached: u64,
        output: u64,
    ) -> UsageRecord {
        let mut parts = day.split('-').map(|s| s.parse::<u32>().unwrap());
        let date = Date {
            year: parts.next().unwrap() as i32,
            month: parts.next().unwrap(),
            day: parts.next().unwrap(),
        };
        UsageRecord {
            connection_id: "c".into(),
            kind: UsageKind::Completions,
            width: BucketWidth::Day,
            start_time: date.to_unix(),
            end_time: date.to_unix() + 86_400,
            project_id: None,
            user_id: None,
            api_key_id: None,
            model: Some(model.into()),
            batch: None,
            service_tier: None,
            size: None,
            source: None,
            counts: TokenCounts {
                requests: 1,
                input,
                cached_input: cached,
                output,
                ..TokenCounts::default()
            },
        }
    }

    fn dollars(record: &UsageRecord) -> String {
        estimate(record).expect("priced").to_fixed(6)
    }

    #[test]
    fn cached_tokens_are_not_billed_twice() {
        let r = row("gpt-4o-2024-08-06", "2025-01-01", 2_006, 1_920, 300);
        assert_eq!(dollars(&r), "0.005615");
    }

    #[test]
    fn nearly_all_cached_input_costs_the_cached_rate() {
        let r = row("gpt-4.1", "2025-05-01", 17_111, 17_102, 0);
        assert_eq!(dollars(&r), "0.008569");
    }

    #[test]
    fn batch_usage_costs_half() {
        let mut r = row(
            "gpt-4o-mini-2024-07-18",
            "2025-01-01",
            1_000_000,
            0,
            500_000,
        );
        assert_eq!(dollars(&r), "0.450000");
        r.batch = Some(true);
        assert_eq!(dollars(&r), "0.225000");
    }

    #[test]
    fn an_old_snapshot_keeps_its_own_price() {
        let r = row("gpt-4o-2024-05-13", "2024-06-01", 1_000_000, 0, 1_000_000);
        assert_eq!(dollars(&r), "20.000000");
    }

    #[test]
    fn the_longest_exact_family_wins_and_no_prefix_is_guessed() {
        let r = row("gpt-4o-mini-2024-07-18", "2025-01-01", 1_000_000, 0, 0);
        assert_eq!(dollars(&r), "0.150000");
        let day = Date {
            year: 2026,
            month: 1,
            day: 1,
        };
        assert_eq!(price_of("gpt-5.4-mini", day), None);
        assert_eq!(
            price_of("gpt-5-mini-2025-08-07", day),
            price_of("gpt-5-mini", day)
        );
    }

    #[test]
    fn an_unknown_model_is_unpriced_not_free() {
        let r = row("gpt-7-preview-2027-02-01", "2027-03-01", 5_000, 0, 1_000);
        assert_eq!(estimate(&r), None);
    }

    #[test]
    fn history_is_costed_at_the_price_of_its_day() {
        let before =
            row("o3-2025-04-16", "2025-06-01", 1_000_000, 0, 1_000_000);
        let after = row("o3-2025-04-16", "2025-06-11", 1_000_000, 0, 1_000_000);
        assert_eq!(dollars(&before), "50.000000");
        assert_eq!(dollars(&after), "10.000000");
    }

    #[test]
    fn tiers_without_a_known_price_are_unpriced() {
        let mut r = row("gpt-4.1", "2025-05-01", 1_000, 0, 0);
        r.service_tier = Some("priority".into());
        assert_eq!(estimate(&r), None);
        r.service_tier = Some("flex".into());
        assert_eq!(dollars(&r), "0.001000");
    }
}

//! One unit price, held as an exact integer.
//!
//! OpenAI quotes prices per million tokens with at most six decimals, so a
//! million-unit price in microdollars is a whole number, and that same
//! number is the price of one unit in picodollars. Costs are then plain
//! integer products that add up exactly whatever their order.

use serde::{Deserialize, Serialize};

use crate::domain::money::{parse_scaled, Usd};

/// Picodollars per unit, which is also microdollars per million units:
/// `Rate(2_500_000)` is $2.50 per 1M tokens.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
)]
#[serde(transparent)]
pub struct Rate(pub u64);

impl Rate {
    pub const FREE: Rate = Rate(0);
    /// $1,000 per unit ($1 billion per 1M tokens): far above any real
    /// price, and below 2^53, so every rate is exact as a browser number.
    pub const MAX: Rate = Rate(1_000_000_000_000_000);

    /// A price written as dollars per million units (`"2.50"`), or `None`
    /// when the text is not a plain decimal or is finer than $0.000001.
    pub fn per_million(dollars: &str) -> Option<Rate> {
        let scaled = parse_scaled(dollars)?;
        // Per million units at 1e-12 is per unit at 1e-18: drop six places.
        let exact = scaled.pico % 1_000_000 == 0;
        let rate = u64::try_from(scaled.pico / 1_000_000).ok()?;
        (scaled.exact && exact && rate <= Rate::MAX.0).then_some(Rate(rate))
    }

    /// A price written as dollars per single unit (`"0.04"` per image,
    /// `"2.5e-06"` per token), with whether it was exact to a picodollar.
    pub fn per_unit(dollars: &str) -> Option<(Rate, bool)> {
        let scaled = parse_scaled(dollars)?;
        let rate = u64::try_from(scaled.pico).ok()?;
        (rate <= Rate::MAX.0).then_some((Rate(rate), scaled.exact))
    }

    /// The cost of `quantity` units.
    pub fn times(self, quantity: u64) -> Usd {
        Usd(u128::from(quantity) * u128::from(self.0))
    }

    /// Half the rate (Batch and Flex). An odd picodollar rounds down, a
    /// difference of at most $0.0000005 per million units.
    pub fn half(self) -> Rate {
        Rate(self.0 / 2)
    }

    /// The price of one million units.
    pub fn per_million_usd(self) -> Usd {
        self.times(1_000_000)
    }

    /// Dollars per million units for a price list: two decimals at least,
    /// more only when the price has them (`2.50`, `0.075`, `10.00`).
    pub fn per_million_text(self) -> String {
        let text = self.per_million_usd().to_fixed(6);
        let trimmed = text.trim_end_matches('0');
        let decimals = trimmed.split_once('.').map_or(0, |(_, f)| f.len());
        if decimals >= 2 {
            trimmed.to_owned()
        } else {
            self.per_million_usd().to_fixed(2)
        }
    }

    /// The larger of the two rates divided by the smaller, rounded down;
    /// `None` when either is free, since a ratio to zero says nothing.
    pub fn factor_between(self, other: Rate) -> Option<u64> {
        let (low, high) = (self.0.min(other.0), self.0.max(other.0));
        (low > 0).then(|| high / low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn million_unit_prices_are_exact_integers() {
        assert_eq!(Rate::per_million("2.50"), Some(Rate(2_500_000)));
        assert_eq!(Rate::per_million("0.005"), Some(Rate(5_000)));
        assert_eq!(Rate::per_million("600"), Some(Rate(600_000_000)));
        assert_eq!(Rate::per_million("0.0000001"), None);
        assert_eq!(Rate::per_million("-1"), None);
        assert_eq!(Rate::per_million("18446744073709"), None, "too large");
        assert_eq!(Rate::per_million("1000000000"), Some(Rate::MAX));
        assert_eq!(Rate::per_unit("10000000"), None);
    }

    #[test]
    fn per_unit_prices_keep_picodollars() {
        assert_eq!(Rate::per_unit("0.04"), Some((Rate(40_000_000_000), true)));
        assert_eq!(Rate::per_unit("0.0001"), Some((Rate(100_000_000), true)));
        assert_eq!(Rate::per_unit("2.5e-06"), Some((Rate(2_500_000), true)));
        assert_eq!(
            Rate::per_unit("1.00000000000049"),
            Some((Rate(1_000_000_000_000), false))
        );
    }

    #[test]
    fn a_price_list_shows_at_least_cents() {
        assert_eq!(Rate(2_500_000).per_million_text(), "2.50");
        assert_eq!(Rate(75_000).per_million_text(), "0.075");
        assert_eq!(Rate(10_000_000).per_million_text(), "10.00");
        assert_eq!(Rate::FREE.per_million_text(), "0.00");
    }

    #[test]
    fn factors_compare_either_way_and_skip_free_prices() {
        assert_eq!(Rate(2_500).factor_between(Rate(2_500_000)), Some(1_000));
        assert_eq!(Rate(2_500_000).factor_between(Rate(2_500)), Some(1_000));
        assert_eq!(Rate::FREE.factor_between(Rate(1)), None);
    }
}

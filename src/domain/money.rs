//! Exact money arithmetic.
//!
//! Prices are quoted in dollars per million tokens with up to six decimals,
//! so a token costs a whole number of picodollars. Keeping every amount as an
//! integer count of picodollars makes sums exact whatever their order or
//! length; rounding happens only when an amount is shown.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

/// An amount of US dollars, counted in picodollars (1e-12 USD).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Usd(pub u128);

/// Picodollars in one dollar.
const PICO_PER_USD: u128 = 1_000_000_000_000;

impl Usd {
    pub const ZERO: Usd = Usd(0);

    /// The amount rounded half up to `decimals` places, as text (`12.50`).
    pub fn to_fixed(self, decimals: u32) -> String {
        let decimals = decimals.min(12);
        let unit = 10u128.pow(12 - decimals);
        let rounded = (self.0 + unit / 2) / unit;
        let scale = 10u128.pow(decimals);
        let whole = rounded / scale;
        if decimals == 0 {
            return whole.to_string();
        }
        let frac = rounded % scale;
        format!("{whole}.{frac:0width$}", width = decimals as usize)
    }

    /// The amount for people: `$1,234.57`, with more places below a cent.
    pub fn display(self) -> String {
        let decimals = if self.0 > 0 && self.0 < PICO_PER_USD / 100 {
            4
        } else {
            2
        };
        let text = self.to_fixed(decimals);
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        format!("${}.{frac}", group_thousands(whole))
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_micro_dollars_sum_to_exactly_one_dollar() {
        let micro = Usd(1_000_000);
        let total: Usd = std::iter::repeat_n(micro, 1_000_000).sum();
        assert_eq!(total.to_fixed(6), "1.000000");
    }

    #[test]
    fn rounding_happens_only_for_display() {
        assert_eq!(Usd(5_615_000_000).to_fixed(6), "0.005615");
        assert_eq!(Usd(5_615_000_000).display(), "$0.0056");
        assert_eq!(Usd(1_234_565_000_000_000).display(), "$1,234.57");
        assert_eq!(Usd::ZERO.display(), "$0.00");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1"), "1");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("123456789"), "123,456,789");
    }
}

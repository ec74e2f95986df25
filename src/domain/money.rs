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

/// A signed difference between two amounts, in picodollars: what billed
/// costs and estimates disagree by can go either way.
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
pub struct UsdDelta(pub i128);

impl UsdDelta {
    /// `a - b`. Saturates, which no real amount comes near.
    pub fn between(a: Usd, b: Usd) -> UsdDelta {
        let a = i128::try_from(a.0).unwrap_or(i128::MAX);
        let b = i128::try_from(b.0).unwrap_or(i128::MAX);
        UsdDelta(a.saturating_sub(b))
    }

    /// The size of the difference, without its sign.
    pub fn magnitude(self) -> Usd {
        Usd(self.0.unsigned_abs())
    }

    /// `-0.004000` (no sign when positive): a number for a file.
    pub fn to_fixed(self, decimals: u32) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}", self.magnitude().to_fixed(decimals))
    }

    /// `+$1.25`, `-$0.0040`, or `$0.00` when there is no difference.
    pub fn display(self) -> String {
        let sign = match self.0.signum() {
            1 => "+",
            -1 => "-",
            _ => "",
        };
        format!("{sign}{}", self.magnitude().display())
    }
}

/// A non-negative decimal read exactly at picodollar scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scaled {
    /// The value times 10^12, rounded half up.
    pub pico: u128,
    /// False when digits beyond the twelfth decimal place were dropped.
    pub exact: bool,
}

/// Reads a non-negative decimal (`12.50`, `0.8958740000000000`, `2.5e-06`)
/// at picodollar scale without ever going through a float, so that a price
/// written in a file is the price used. Refuses signs, `NaN` and garbage.
pub fn parse_scaled(text: &str) -> Option<Scaled> {
    let text = text.trim();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let mantissa = mantissa.strip_prefix('+').unwrap_or(mantissa);
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = whole
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !all_digits {
        return None;
    }

    // The value is digits x 10^(exponent - frac.len()); scale to 1e-12.
    let digits = format!("{whole}{frac}");
    let shift = exponent.checked_sub(i32::try_from(frac.len()).ok()?)? + 12;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(Scaled {
            pico: 0,
            exact: true,
        });
    }
    if shift >= 0 {
        let base: u128 = digits.parse().ok()?;
        let pico = base.checked_mul(10u128.checked_pow(shift as u32)?)?;
        return Some(Scaled { pico, exact: true });
    }

    let cut = shift.unsigned_abs() as usize;
    if cut > digits.len() {
        // Less than a tenth of a picodollar.
        return Some(Scaled {
            pico: 0,
            exact: false,
        });
    }
    let (keep, dropped) = digits.split_at(digits.len() - cut);
    let base: u128 = if keep.is_empty() {
        0
    } else {
        keep.parse().ok()?
    };
    Some(Scaled {
        pico: base + u128::from(dropped.as_bytes()[0] >= b'5'),
        exact: dropped.bytes().all(|b| b == b'0'),
    })
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
    fn deltas_carry_their_sign() {
        let small = Usd(1_250_000_000_000);
        let large = Usd(2_500_000_000_000);
        assert_eq!(UsdDelta::between(large, small).display(), "+$1.25");
        assert_eq!(UsdDelta::between(small, large).display(), "-$1.25");
        assert_eq!(UsdDelta::between(small, small).display(), "$0.00");
    }

    #[test]
    fn decimals_are_read_exactly_and_say_when_they_were_rounded() {
        let read = |t: &str| parse_scaled(t).unwrap();
        assert_eq!(
            read("2.5e-06"),
            Scaled {
                pico: 2_500_000,
                exact: true
            }
        );
        assert_eq!(read("1e-05").pico, 10_000_000);
        assert_eq!(read("3.3333333333333e-07").pico, 333_333);
        assert!(!read("3.3333333333333e-07").exact);
        assert_eq!(
            read("1.5e-13"),
            Scaled {
                pico: 0,
                exact: false
            }
        );
        assert_eq!(parse_scaled("1e-99999999999"), None);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1"), "1");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("123456789"), "123,456,789");
    }
}

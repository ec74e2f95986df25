//! An amount in a budget's unit, dollars or tokens, so that dollar and
//! token budgets share every comparison and differ only in their text.

use crate::domain::money::{group_thousands, Usd};

/// Spending measured the way a budget's limit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Amount {
    Usd(Usd),
    Tokens(u64),
}

impl Amount {
    /// The amount in the unit's smallest step (picodollars or tokens),
    /// for exact integer comparisons.
    pub fn units(self) -> u128 {
        match self {
            Amount::Usd(usd) => usd.0,
            Amount::Tokens(tokens) => u128::from(tokens),
        }
    }

    /// The same unit holding `units` steps; token counts beyond `u64`
    /// saturate, which no real usage comes near.
    pub fn with_units(self, units: u128) -> Amount {
        match self {
            Amount::Usd(_) => Amount::Usd(Usd(units)),
            Amount::Tokens(_) => {
                Amount::Tokens(u64::try_from(units).unwrap_or(u64::MAX))
            }
        }
    }

    /// `$41.00` or `1,600,000 tokens`.
    pub fn text(self) -> String {
        match self {
            Amount::Usd(usd) => usd.display(),
            Amount::Tokens(tokens) => tokens_text(tokens),
        }
    }
}

/// `1,600,000 tokens`, or `1 token`.
pub fn tokens_text(tokens: u64) -> String {
    let unit = if tokens == 1 { "token" } else { "tokens" };
    format!("{} {unit}", group_thousands(&tokens.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_in_their_unit() {
        assert_eq!(Amount::Usd(Usd(41_000_000_000_000)).text(), "$41.00");
        assert_eq!(Amount::Tokens(1_600_000).text(), "1,600,000 tokens");
        assert_eq!(Amount::Tokens(1).text(), "1 token");
    }

    #[test]
    fn units_round_trip_in_the_same_unit() {
        let tokens = Amount::Tokens(5);
        assert_eq!(tokens.with_units(tokens.units() * 2), Amount::Tokens(10));
        assert_eq!(tokens.with_units(u128::MAX), Amount::Tokens(u64::MAX));
        let usd = Amount::Usd(Usd(7));
        assert_eq!(usd.with_units(9), Amount::Usd(Usd(9)));
    }
}

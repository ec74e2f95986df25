//! The sums every view is made of: tokens, requests and estimated
//! money, with what could not be priced kept apart.

use super::rows::Row;
use crate::domain::money::Usd;

/// Tokens, requests and money of some usage rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Input plus output tokens.
    pub tokens: u64,
    /// Model requests (`num_model_requests`), as the overview counts
    /// them.
    pub requests: u64,
    /// Estimated cost of the priced rows.
    pub cost: Usd,
    /// Tokens of rows without a price, left out of `cost`.
    pub unpriced_tokens: u64,
    pub priced_rows: u64,
    /// Rows without a price, which may carry no tokens (vector storage,
    /// tool calls), so that their cost is never shown as zero.
    pub unpriced_rows: u64,
}

impl Tally {
    /// Adds one priced row.
    #[inline(always)]
    pub fn add(&mut self, row: &Row) {
        let tokens = row.tokens();
        self.tokens += tokens;
        self.requests += row.requests();
        match row.cost() {
            Some(cost) => {
                self.cost += cost;
                self.priced_rows += 1;
            }
            None => {
                self.unpriced_tokens += tokens;
                self.unpriced_rows += 1;
            }
        }
    }

    /// Adds another sum.
    pub fn merge(&mut self, other: &Tally) {
        self.tokens += other.tokens;
        self.requests += other.requests;
        self.cost += other.cost;
        self.unpriced_tokens += other.unpriced_tokens;
        self.priced_rows += other.priced_rows;
        self.unpriced_rows += other.unpriced_rows;
    }

    /// The cost to show: `None` when every row is unpriced, since their
    /// cost is unknown rather than zero. A sum of no rows costs zero.
    pub fn estimated(&self) -> Option<Usd> {
        (self.priced_rows > 0 || self.unpriced_rows == 0).then_some(self.cost)
    }

    /// The cost as a page shows it: "unpriced" when no row has a price,
    /// and followed by "+ unpriced" when some rows have none, so that a
    /// partial sum is never read as the whole.
    pub fn cost_text(&self) -> String {
        match self.estimated() {
            None => "unpriced".to_owned(),
            Some(cost) if self.is_understated() => {
                format!("{} + unpriced", cost.display())
            }
            Some(cost) => cost.display(),
        }
    }

    /// Whether part of the usage has no price, so `cost` falls short.
    pub fn is_understated(&self) -> bool {
        self.unpriced_rows > 0
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.priced_rows == 0 && self.unpriced_rows == 0
    }

    /// The order of "who spends most": cost, then tokens.
    pub fn spend_order(&self) -> (Usd, u64) {
        (self.cost, self.tokens)
    }
}

/// `part` over `whole`, 0.0 when the whole is zero: a share to show.
pub fn share(part: u128, whole: u128) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{hourly, unpriced};
    use crate::domain::analytics::rows::price_rows;
    use crate::domain::price::built_in_table;
    use crate::domain::usage::UsageKind;

    #[test]
    fn unpriced_tokens_are_counted_but_never_costed_as_zero() {
        let records = [unpriced(hourly(0, 700))];
        let mut tally = Tally::default();
        for row in price_rows(built_in_table(), &records) {
            tally.add(&row);
        }
        assert_eq!(tally.tokens, 700);
        assert_eq!(tally.unpriced_tokens, 700);
        assert_eq!(tally.estimated(), None);
        assert!(tally.is_understated());
    }

    #[test]
    fn usage_without_tokens_and_without_a_price_is_not_free() {
        let mut record = hourly(0, 0);
        record.kind = UsageKind::FileSearchCalls;
        record.model = None;
        record.counts.update(|c| {
            c.requests = 2;
            c.calls = 4;
        });
        let rows = price_rows(built_in_table(), [&record]);
        let mut tally = Tally::default();
        tally.add(&rows[0]);
        assert_eq!(tally.requests, 2, "tool calls are not requests");
        assert_eq!(tally.estimated(), None);
    }

    #[test]
    fn a_cost_says_when_part_or_all_of_the_usage_has_no_price() {
        let records = [hourly(0, 1_000_000), unpriced(hourly(0, 700))];
        let rows = price_rows(built_in_table(), &records);
        let mut tally = Tally::default();
        tally.add(&rows[1]);
        assert_eq!(tally.cost_text(), "unpriced");
        tally.add(&rows[0]);
        let priced = tally.estimated().unwrap().display();
        assert_eq!(tally.cost_text(), format!("{priced} + unpriced"));
        let mut whole = Tally::default();
        whole.add(&rows[0]);
        assert_eq!(whole.cost_text(), priced);
        assert_eq!(Tally::default().cost_text(), Usd::ZERO.display());
    }

    #[test]
    fn a_sum_of_nothing_costs_zero_and_shares_of_nothing_are_zero() {
        assert_eq!(Tally::default().estimated(), Some(Usd::ZERO));
        assert_eq!(share(5, 0), 0.0);
        assert_eq!(share(1, 4), 0.25);
    }

    #[test]
    fn partly_priced_usage_shows_its_priced_cost_and_says_it_is_short() {
        let records = [hourly(0, 1_000), unpriced(hourly(0, 500))];
        let mut tally = Tally::default();
        for row in price_rows(built_in_table(), &records) {
            tally.add(&row);
        }
        assert!(tally.estimated().is_some_and(|c| c > Usd::ZERO));
        assert_eq!(tally.unpriced_tokens, 500);
        assert!(tally.is_understated());
    }
}

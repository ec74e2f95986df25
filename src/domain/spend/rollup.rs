//! Totals per key, user, project and overall: tokens, estimated cost,
//! allocated share of the bill, and the usage left unpriced. Unpriced
//! usage never counts as zero dollars; each total says how many tokens
//! (and rows) its dollar figures leave out, so a budget on a key with
//! unpriced usage can say it is understated and by how much.

use crate::domain::analytics::directory::Directory;
use std::collections::BTreeMap;

use super::allocate::Allocation;
use super::daily_usage;
use crate::domain::money::Usd;
use crate::domain::price::estimate::Metered;
use crate::domain::price::PriceTable;
use crate::domain::usage::UsageRecord;

/// An id scoped by organization: (connection, id). `None` stands for
/// usage not attributed to any key, user or project.
pub type Scoped = (String, Option<String>);

/// The figures of one key, user, project or the whole range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rollup {
    /// Input plus output tokens, priced or not.
    pub tokens: u64,
    /// Estimated cost of the priced usage.
    pub estimated: Usd,
    /// Share of the bill split over keys by estimate.
    pub allocated: Usd,
    /// Billed money nothing could be split by (projects and overall only).
    pub unallocated: Usd,
    /// Tokens of rows without a price, left out of `estimated`.
    pub unpriced_tokens: u64,
    /// Rows without a price, including ones that count images,
    /// characters or seconds rather than tokens.
    pub unpriced_rows: u64,
}

impl Rollup {
    /// Whether the dollar figures leave some usage out.
    pub fn is_understated(&self) -> bool {
        self.unpriced_rows > 0
    }

    fn add_usage(&mut self, estimate: Option<Usd>, record: &UsageRecord) {
        let tokens = record.counts.unpack().total_tokens();
        self.tokens += tokens;
        match estimate {
            Some(cost) => self.estimated += cost,
            None => {
                self.unpriced_tokens += tokens;
                self.unpriced_rows += 1;
            }
        }
    }
}

/// Every roll-up of a range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rollups {
    pub by_key: BTreeMap<Scoped, Rollup>,
    pub by_user: BTreeMap<Scoped, Rollup>,
    pub by_project: BTreeMap<Scoped, Rollup>,
    pub overall: Rollup,
}

/// Rolls up the daily usage starting in `[from, to)` at `prices`, with
/// the shares of `allocation` (built over the same range).
pub fn rollups(
    prices: &PriceTable,
    usage: &[UsageRecord],
    who: &Directory,
    allocation: &Allocation,
    from: i64,
    to: i64,
) -> Rollups {
    let mut out = Rollups::default();
    for record in daily_usage(usage, from, to) {
        // Calls, sessions and storage are billed, not metered per token:
        // they are neither priced nor unpriced usage here.
        if Metered::of(record).is_none() {
            continue;
        }
        let estimate = prices.estimate(record);
        let person = who.person_of(record);
        let scope = |id: Option<&str>| {
            (String::from(record.connection_id), id.map(str::to_owned))
        };
        for rollup in [
            out.by_key
                .entry(scope(record.api_key_id.as_deref()))
                .or_default(),
            out.by_user.entry(scope(person)).or_default(),
            out.by_project
                .entry(scope(record.project_id.as_deref()))
                .or_default(),
            &mut out.overall,
        ] {
            rollup.add_usage(estimate, record);
        }
    }

    for share in &allocation.shares {
        let connection = &share.at.connection_id;
        let scope = |id: &Option<String>| (connection.clone(), id.clone());
        for rollup in [
            out.by_key
                .entry(scope(&share.holder.api_key_id))
                .or_default(),
            out.by_user.entry(scope(&share.holder.user_id)).or_default(),
            out.by_project
                .entry(scope(&share.at.project_id))
                .or_default(),
            &mut out.overall,
        ] {
            rollup.allocated += share.allocated;
        }
    }
    for lost in &allocation.unallocated {
        let project =
            (lost.at.connection_id.clone(), lost.at.project_id.clone());
        out.by_project.entry(project).or_default().unallocated += lost.billed;
        out.overall.unallocated += lost.billed;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spend::allocate::allocate;
    use crate::domain::spend::fixtures::{bill, day, usage, DAY0, P1, P2};

    fn scoped(id: &str) -> Scoped {
        ("c".to_owned(), Some(id.to_owned()))
    }

    #[test]
    fn a_key_with_unpriced_usage_says_by_how_many_tokens_it_is_understated() {
        let rows = [
            usage(P1, Some("key_a"), "gpt-4.1", 1_000_000, 0),
            usage(P1, Some("key_a"), "gpt-7-preview-2027-02-01", 5_000, 1_000),
            usage(P1, Some("key_b"), "gpt-4.1", 500_000, 0),
        ];
        let prices = PriceTable::built_in();
        let split = allocate(
            &prices,
            &rows,
            &Directory::default(),
            &[],
            DAY0,
            DAY0 + day(1),
        );
        let all = rollups(
            &prices,
            &rows,
            &Directory::default(),
            &split,
            DAY0,
            DAY0 + day(1),
        );
        let a = all.by_key[&scoped("key_a")];
        assert_eq!(a.tokens, 1_006_000, "unpriced tokens show with the rest");
        assert_eq!(a.estimated.to_fixed(2), "2.00");
        assert_eq!((a.unpriced_tokens, a.unpriced_rows), (6_000, 1));
        assert!(a.is_understated());
        assert!(!all.by_key[&scoped("key_b")].is_understated());
        assert_eq!(all.overall.unpriced_tokens, 6_000);
        assert_eq!(all.by_project[&scoped(P1)].unpriced_tokens, 6_000);
    }

    #[test]
    fn allocated_money_adds_up_per_key_user_project_and_overall() {
        let mut by_ada = usage(P1, Some("key_a"), "gpt-4.1", 1_000_000, 0);
        by_ada.user_id = Some("user-ada".into());
        let mut by_alan = usage(P1, Some("key_a"), "gpt-4.1", 1_000_000, 0);
        by_alan.user_id = Some("user-alan".into());
        let other = usage(P2, Some("key_c"), "gpt-4.1-mini", 1_000_000, 0);
        let unknown = usage(P2, None, "gpt-7-preview", 10, 0);
        let rows = [by_ada, by_alan, other, unknown];
        let costs = [
            bill(P1, "gpt-4.1, input", "4.010000000001"),
            bill(P2, "gpt-4.1-mini, input", "0.40"),
            bill("proj_three", "Vector storage", "1.00"),
        ];
        let prices = PriceTable::built_in();
        let range = (DAY0, DAY0 + day(1));
        let split = allocate(
            &prices,
            &rows,
            &Directory::default(),
            &costs,
            range.0,
            range.1,
        );
        let all = rollups(
            &prices,
            &rows,
            &Directory::default(),
            &split,
            range.0,
            range.1,
        );

        let billed: Usd = costs.iter().map(|c| c.amount).sum();
        assert_eq!(all.overall.allocated + all.overall.unallocated, billed);
        let keys: Usd = all.by_key.values().map(|r| r.allocated).sum();
        let users: Usd = all.by_user.values().map(|r| r.allocated).sum();
        assert_eq!(keys, all.overall.allocated);
        assert_eq!(users, all.overall.allocated);
        assert_eq!(all.by_key[&scoped("key_a")].allocated.to_fixed(2), "4.01");
        let ada = all.by_user[&scoped("user-ada")].allocated;
        let alan = all.by_user[&scoped("user-alan")].allocated;
        assert_eq!(ada.0.abs_diff(alan.0), 1, "an odd picodollar goes to one");
        assert_eq!(
            all.by_project[&scoped("proj_three")]
                .unallocated
                .to_fixed(2),
            "1.00"
        );
        let unattributed = &all.by_key[&("c".to_owned(), None)];
        assert_eq!(unattributed.unpriced_tokens, 10);
    }
}

//! Splitting what OpenAI billed a project on a day over the keys that used
//! it, in proportion to their estimated cost that day.
//!
//! The split is exact: integer picodollars, floors first, then the
//! leftover picodollars one each to the largest remainders (ties to the
//! first holder in key order), so the parts always add up to the bill. A
//! project-day with a bill but no estimated cost to split it by is
//! reported as unallocated rather than dropped or spread evenly.

use crate::domain::analytics::directory::Directory;
use std::collections::BTreeMap;

use super::{costs_in, daily_usage, ProjectDay};
use crate::domain::cost::CostRecord;
use crate::domain::money::Usd;
use crate::domain::price::PriceTable;
use crate::domain::sort;
use crate::domain::usage::UsageRecord;

/// Whose usage a share belongs to within its project-day. A key used by
/// several people gets one share per person, so per-user totals can be
/// built from the same split.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Holder {
    /// `None`: usage no key is attributed to.
    pub api_key_id: Option<String>,
    pub user_id: Option<String>,
}

/// One holder's part of a project-day's bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub at: ProjectDay,
    pub holder: Holder,
    /// The holder's estimated cost that day, the weight of the split.
    pub estimated: Usd,
    /// The holder's part of what was billed.
    pub allocated: Usd,
}

/// A project-day's bill that nothing could be split by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unallocated {
    pub at: ProjectDay,
    pub billed: Usd,
    /// Tokens that project used that day without a price, if any.
    pub unpriced_tokens: u64,
}

/// The whole split of a range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allocation {
    /// By project-day, then holder.
    pub shares: Vec<Share>,
    pub unallocated: Vec<Unallocated>,
}

impl Allocation {
    /// Money split over holders.
    pub fn allocated_total(&self) -> Usd {
        self.shares.iter().map(|s| s.allocated).sum()
    }

    /// Money billed with nothing to split it by.
    pub fn unallocated_total(&self) -> Usd {
        self.unallocated.iter().map(|u| u.billed).sum()
    }

    /// Allocated money per key, scoped by organization (`None` for usage
    /// no key is attributed to).
    pub fn per_key(&self) -> BTreeMap<(String, Option<String>), Usd> {
        let mut out: BTreeMap<(String, Option<String>), Usd> = BTreeMap::new();
        for share in &self.shares {
            let key = (
                share.at.connection_id.clone(),
                share.holder.api_key_id.clone(),
            );
            *out.entry(key).or_default() += share.allocated;
        }
        out
    }
}

/// Splits the bills of days starting in `[from, to)` over the holders of
/// each project-day, weighted by their estimate at `prices`. A holder's
/// user is whose usage it is (see `Directory::person_of`).
pub fn allocate(
    prices: &PriceTable,
    usage: &[UsageRecord],
    who: &Directory,
    costs: &[CostRecord],
    from: i64,
    to: i64,
) -> Allocation {
    let mut billed: BTreeMap<ProjectDay, Usd> = BTreeMap::new();
    for cost in costs_in(costs, from, to) {
        *billed.entry(ProjectDay::of_cost(cost)).or_default() += cost.amount;
    }
    let mut weights: BTreeMap<ProjectDay, BTreeMap<Holder, Usd>> =
        BTreeMap::new();
    let mut unpriced: BTreeMap<ProjectDay, u64> = BTreeMap::new();
    for record in daily_usage(usage, from, to) {
        let at = ProjectDay::of_usage(record);
        match prices.estimate(record) {
            Some(cost) if cost > Usd::ZERO => {
                let holder = Holder {
                    api_key_id: record.api_key_id.map(String::from),
                    user_id: who.person_of(record).map(str::to_owned),
                };
                *weights.entry(at).or_default().entry(holder).or_default() +=
                    cost;
            }
            Some(_) => {}
            None => {
                *unpriced.entry(at).or_default() +=
                    record.counts.unpack().total_tokens();
            }
        }
    }

    let mut allocation = Allocation::default();
    for (at, bill) in &billed {
        let holders = weights.remove(at).unwrap_or_default();
        let estimates: Vec<Usd> = holders.values().copied().collect();
        let Some(parts) = split_exactly(*bill, &estimates) else {
            if *bill > Usd::ZERO {
                allocation.unallocated.push(Unallocated {
                    at: at.clone(),
                    billed: *bill,
                    unpriced_tokens: unpriced.get(at).copied().unwrap_or(0),
                });
            }
            continue;
        };
        allocation.shares.extend(holders.into_iter().zip(parts).map(
            |((holder, estimated), allocated)| Share {
                at: at.clone(),
                holder,
                estimated,
                allocated,
            },
        ));
    }
    // Estimated usage on days with no bill (yet) is allocated nothing.
    for (at, holders) in weights {
        allocation.shares.extend(holders.into_iter().map(
            |(holder, estimated)| Share {
                at: at.clone(),
                holder,
                estimated,
                allocated: Usd::ZERO,
            },
        ));
    }
    sort::by(&mut allocation.shares, |a, b| {
        (&a.at, &a.holder).cmp(&(&b.at, &b.holder))
    });
    allocation
}

/// Splits `total` in proportion to `weights`, exactly: the parts always
/// sum to `total`. `None` when the weights add up to nothing.
pub fn split_exactly(total: Usd, weights: &[Usd]) -> Option<Vec<Usd>> {
    let mut weights: Vec<u128> = weights.iter().map(|w| w.0).collect();
    let mut sum: u128 = weights.iter().sum();
    if sum == 0 {
        return None;
    }
    // total x weight must fit in u128. Real bills never come near, but if
    // they did, coarser weights keep the split exact at a tiny cost in
    // proportion.
    while total.0.checked_mul(sum).is_none() {
        weights.iter_mut().for_each(|w| *w >>= 1);
        sum = weights.iter().sum();
    }

    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let product = total.0 * weight;
        parts.push(product / sum);
        remainders.push((product % sum, index));
    }
    let leftover = total.0 - parts.iter().sum::<u128>();
    // Largest remainder first; among equals, the earlier holder.
    sort::by(&mut remainders, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.iter().take(leftover as usize) {
        parts[*index] += 1;
    }
    Some(parts.into_iter().map(Usd).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spend::fixtures::{bill, day, usage, DAY0, P1, P2};

    fn pico(parts: &[Usd]) -> Vec<u128> {
        parts.iter().map(|p| p.0).collect()
    }

    #[test]
    fn uneven_shares_sum_exactly_to_the_bill() {
        let parts = split_exactly(Usd(100), &[Usd(1), Usd(1), Usd(1)]);
        assert_eq!(pico(&parts.unwrap()), [34, 33, 33]);
        let parts = split_exactly(Usd(10), &[Usd(1), Usd(2), Usd(3), Usd(4)]);
        assert_eq!(pico(&parts.unwrap()), [1, 2, 3, 4]);
        let parts = split_exactly(Usd(7), &[Usd(5), Usd(3)]).unwrap();
        assert_eq!(pico(&parts), [4, 3], "4.375 and 2.625");
    }

    #[test]
    fn the_split_is_exact_for_many_random_bills() {
        let mut seed = 0x1234_5678_9ABC_DEF1_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5_000 {
            let total = Usd(u128::from(next() % 10_000_000_000_000));
            let n = 1 + (next() % 12) as usize;
            let weights: Vec<Usd> = (0..n)
                .map(|_| Usd(u128::from(next() % 1_000_000_000)))
                .collect();
            let Some(parts) = split_exactly(total, &weights) else {
                assert!(weights.iter().all(|w| *w == Usd::ZERO));
                continue;
            };
            assert_eq!(parts.iter().copied().sum::<Usd>(), total);
            for (part, weight) in parts.iter().zip(&weights) {
                if *weight == Usd::ZERO {
                    assert_eq!(*part, Usd::ZERO, "no usage, no share");
                }
            }
        }
    }

    #[test]
    fn huge_amounts_still_split_exactly() {
        let total = Usd(u128::MAX / 3);
        let weights = [Usd(u128::MAX / 5), Usd(u128::MAX / 7)];
        let parts = split_exactly(total, &weights).unwrap();
        assert_eq!(parts[0] + parts[1], total);
        assert!(parts[0] > parts[1]);
    }

    #[test]
    fn no_weights_means_no_split() {
        assert_eq!(split_exactly(Usd(5), &[]), None);
        assert_eq!(split_exactly(Usd(5), &[Usd::ZERO]), None);
    }

    #[test]
    fn a_project_day_bill_is_split_over_its_keys_by_estimate() {
        // key_a: 1M gpt-4.1 input ($2); key_b: 500k ($1). Billed $3.10.
        let rows = [
            usage(P1, Some("key_a"), "gpt-4.1", 1_000_000, 0),
            usage(P1, Some("key_b"), "gpt-4.1", 500_000, 0),
        ];
        let costs = [
            bill(P1, "gpt-4.1, input", "3.00"),
            bill(P1, "Vector storage", "0.10"),
        ];
        let prices = PriceTable::built_in();
        let split = allocate(
            &prices,
            &rows,
            &Directory::default(),
            &costs,
            DAY0,
            DAY0 + day(1),
        );
        let per_key = split.per_key();
        let of = |k: &str| per_key[&("c".to_owned(), Some(k.to_owned()))];
        assert_eq!(of("key_a").to_fixed(12), "2.066666666667");
        assert_eq!(of("key_b").to_fixed(12), "1.033333333333");
        assert_eq!(split.allocated_total().to_fixed(2), "3.10");
        assert!(split.unallocated.is_empty());
    }

    #[test]
    fn a_bill_without_estimated_usage_is_unallocated_not_lost() {
        let rows = [
            usage(P1, Some("key_a"), "gpt-4.1", 1_000, 0),
            usage(P2, Some("key_c"), "gpt-7-preview", 4_000, 1_000),
        ];
        let costs = [
            bill(P1, "gpt-4.1, input", "0.002"),
            bill(P2, "gpt-7-preview, input", "1.00"),
        ];
        let prices = PriceTable::built_in();
        let split = allocate(
            &prices,
            &rows,
            &Directory::default(),
            &costs,
            DAY0,
            DAY0 + day(1),
        );
        assert_eq!(split.unallocated.len(), 1);
        let lost = &split.unallocated[0];
        assert_eq!(lost.at.project_id.as_deref(), Some(P2));
        assert_eq!(
            (lost.billed.to_fixed(2).as_str(), lost.unpriced_tokens),
            ("1.00", 5_000)
        );
        assert_eq!(
            split.allocated_total() + split.unallocated_total(),
            costs.iter().map(|c| c.amount).sum::<Usd>()
        );
    }

    #[test]
    fn usage_on_an_unbilled_day_is_allocated_nothing() {
        let rows = [usage(P1, Some("key_a"), "gpt-4.1", 1_000, 0)];
        let split = allocate(
            &PriceTable::built_in(),
            &rows,
            &Directory::default(),
            &[],
            DAY0,
            DAY0 + day(1),
        );
        assert_eq!(split.shares.len(), 1);
        assert_eq!(split.shares[0].allocated, Usd::ZERO);
        assert!(split.shares[0].estimated > Usd::ZERO);
    }
}

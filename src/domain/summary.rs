//! Summaries beside the keys overview: usage of each kind, and what was
//! billed per project and line item.

use std::collections::BTreeMap;

use super::cost::CostRecord;
use super::keys::Project;
use super::money::Usd;
use super::sort;
use super::usage::{BucketWidth, TokenCounts, UsageKind, UsageRecord};

/// One usage kind's figures over a range.
#[derive(Clone, Debug, PartialEq)]
pub struct KindLine {
    pub kind: UsageKind,
    /// Flows summed over the range; `usage_bytes` is the newest day's
    /// level instead, since stored bytes are not a flow.
    pub counts: TokenCounts,
}

/// Usage per kind over `[from, to)`, kinds without usage left out.
pub fn by_kind(records: &[UsageRecord], from: i64, to: i64) -> Vec<KindLine> {
    let mut sums = KindSums::new(from, to);
    for record in records {
        sums.add(record);
    }
    sums.lines()
}

const KINDS: usize = UsageKind::ALL.len();

/// `by_kind` row by row, for a caller that passes over the rows anyway.
#[derive(Clone, Debug)]
pub struct KindSums {
    from: i64,
    to: i64,
    /// Indexed by the kind's place in `ALL`: a million rows each find
    /// their sum without a search.
    sums: [Option<TokenCounts>; KINDS],
    /// Each kind's newest day and the bytes stored on it.
    newest_level: [(i64, u64); KINDS],
}

impl KindSums {
    /// No usage yet of the daily rows starting in `[from, to)`.
    pub fn new(from: i64, to: i64) -> Self {
        KindSums {
            from,
            to,
            sums: [None; KINDS],
            newest_level: [(i64::MIN, 0); KINDS],
        }
    }

    /// Adds `r` if it is a daily row of the range.
    #[inline]
    pub fn add(&mut self, r: &UsageRecord) {
        if r.width != BucketWidth::Day
            || r.start_time < self.from
            || r.start_time >= self.to
        {
            return;
        }
        let index = r.kind.index();
        let counts = r.counts.unpack();
        self.sums[index].get_or_insert_default().add(&counts);
        let level = &mut self.newest_level[index];
        if r.start_time > level.0 {
            *level = (r.start_time, 0);
        }
        if r.start_time == level.0 {
            level.1 += counts.usage_bytes;
        }
    }

    pub fn lines(self) -> Vec<KindLine> {
        UsageKind::ALL
            .into_iter()
            .zip(self.sums)
            .zip(self.newest_level)
            .filter_map(|((kind, counts), (_, bytes))| {
                counts.map(|mut counts| {
                    counts.usage_bytes = bytes;
                    KindLine { kind, counts }
                })
            })
            .collect()
    }
}

/// One billed line: a project's line item over a range.
#[derive(Clone, Debug, PartialEq)]
pub struct BilledLine {
    pub project: String,
    pub line_item: String,
    pub amount: Usd,
}

/// Billed costs over `[from, to)` per project and line item, largest
/// first, with their total.
pub fn billed(
    costs: &[CostRecord],
    projects: &[Project],
    from: i64,
    to: i64,
) -> (Vec<BilledLine>, Usd) {
    let mut sums: BTreeMap<(String, String), Usd> = BTreeMap::new();
    let mut total = Usd::ZERO;
    for c in costs {
        if c.start_time < from || c.start_time >= to {
            continue;
        }
        let project = c.project_id.as_deref().map_or_else(String::new, |id| {
            projects
                .iter()
                .find(|p| p.id == id && p.connection_id == c.connection_id)
                .map_or_else(|| id.to_owned(), |p| p.name.clone())
        });
        let item = c.line_item.clone().unwrap_or_default();
        *sums.entry((project, item)).or_default() += c.amount;
        total += c.amount;
    }
    let mut lines: Vec<BilledLine> = sums
        .into_iter()
        .map(|((project, line_item), amount)| BilledLine {
            project,
            line_item,
            amount,
        })
        .collect();
    sort::by_key(&mut lines, |line| std::cmp::Reverse(line.amount));
    (lines, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_org;
    use crate::domain::time::{Date, DAY};

    #[test]
    fn kinds_sum_flows_but_take_the_newest_storage_level() {
        let last = Date {
            year: 2026,
            month: 4,
            day: 30,
        };
        let org = demo_org("c", last, 10);
        let to = last.to_unix() + DAY;
        let lines = by_kind(&org.usage, to - 10 * DAY, to);
        assert_eq!(lines.len(), UsageKind::ALL.len());
        let storage = lines
            .iter()
            .find(|l| l.kind == UsageKind::VectorStores)
            .unwrap();
        let newest: u64 = org
            .usage
            .iter()
            .filter(|r| {
                r.kind == UsageKind::VectorStores
                    && r.start_time == last.to_unix()
            })
            .map(|r| r.counts.unpack().usage_bytes)
            .sum();
        assert_eq!(storage.counts.usage_bytes, newest);
        let images =
            lines.iter().find(|l| l.kind == UsageKind::Images).unwrap();
        let all_images: u64 =
            org.usage.iter().map(|r| r.counts.unpack().images).sum();
        assert_eq!(images.counts.images, all_images);
    }

    #[test]
    fn billed_lines_add_up_to_the_total() {
        let last = Date {
            year: 2026,
            month: 4,
            day: 30,
        };
        let org = demo_org("c", last, 5);
        let to = last.to_unix() + DAY;
        let (lines, total) =
            billed(&org.costs, &org.projects, to - 5 * DAY, to);
        assert_eq!(lines.iter().map(|l| l.amount).sum::<Usd>(), total);
        assert_eq!(total, org.costs.iter().map(|c| c.amount).sum::<Usd>());
        assert!(lines.iter().any(|l| l.line_item == "Vector storage"));
        assert!(lines.windows(2).all(|w| w[0].amount >= w[1].amount));
    }
}

//! What the overview must show, computed straight from the mock's data
//! with plain loops, independently of the app's aggregation.

use std::collections::BTreeMap;

use keymeter::domain::demo::DemoOrg;
use keymeter::domain::money::{group_thousands, Usd};
use keymeter::domain::price;
use keymeter::domain::usage::UsageRecord;

/// The figures of one overview line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    pub requests: u64,
    pub input: u64,
    pub cached: u64,
    pub output: u64,
    pub cost: Usd,
    /// Tokens without a price.
    pub unpriced: u64,
    /// Whether any usage, tokens or not, has no price.
    pub understated: bool,
}

impl Line {
    /// The cells as the page shows them, in `data-col` order.
    pub fn shown(&self) -> [String; 5] {
        let n = |v: u64| group_thousands(&v.to_string());
        let cost = match (self.cost, self.understated) {
            (Usd::ZERO, true) => "unpriced".to_owned(),
            (cost, true) => format!("{} + unpriced", cost.display()),
            (cost, false) => cost.display(),
        };
        [
            n(self.requests),
            n(self.input),
            n(self.cached),
            n(self.output),
            cost,
        ]
    }
}

/// Per-key lines (every listed key, with or without usage), the
/// unattributed line and the total, for buckets starting in `[from, to)`.
pub struct Expected {
    pub keys: BTreeMap<String, Line>,
    pub unattributed: Line,
    pub total: Line,
}

pub fn expected(org: &DemoOrg, from: i64, to: i64) -> Expected {
    expected_where(org, from, to, |_| true)
}

/// The same, counting only the rows `keep` accepts (what a sync that
/// lost some kinds can show).
pub fn expected_where(
    org: &DemoOrg,
    from: i64,
    to: i64,
    keep: impl Fn(&UsageRecord) -> bool,
) -> Expected {
    let mut keys: BTreeMap<String, Line> = org
        .keys
        .iter()
        .map(|k| (k.id.clone(), Line::default()))
        .collect();
    let mut unattributed = Line::default();
    let mut total = Line::default();
    for row in &org.usage {
        if row.start_time < from || row.start_time >= to || !keep(row) {
            continue;
        }
        let line = match &row.api_key_id {
            Some(id) => keys.entry(String::from(*id)).or_default(),
            None => &mut unattributed,
        };
        let counts = row.counts.unpack();
        for line in [line, &mut total] {
            line.requests += counts.requests;
            line.input += counts.input;
            line.cached += counts.cached_input;
            line.output += counts.output;
            match price::estimate(row) {
                Some(cost) => line.cost += cost,
                None => {
                    line.unpriced += counts.input + counts.output;
                    line.understated = true;
                }
            }
        }
    }
    Expected {
        keys,
        unattributed,
        total,
    }
}

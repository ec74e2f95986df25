//! Usage rows priced once for every view.
//!
//! Estimating a row's cost finds its model in the price table, which
//! costs far more than adding the row up; a view of a million rows
//! prices each of them once here, and every chart then only adds.

use std::collections::HashMap;

use crate::domain::money::Usd;
use crate::domain::price::estimate::{cost_parts, Metered};
use crate::domain::price::{Price, PriceTable, Tier};
use crate::domain::time::Date;
use crate::domain::usage::{BucketWidth, UsageRecord};

/// A usage row with its estimated cost. What every view reads of it is
/// copied beside the cost, so that a scan of a million rows walks one
/// compact array instead of a million records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row<'a> {
    record: &'a UsageRecord,
    cost: Option<Usd>,
    start: i64,
    width: BucketWidth,
    tokens: u64,
    requests: u64,
}

impl<'a> Row<'a> {
    /// `record` at the cost `cost`.
    pub fn new(record: &'a UsageRecord, cost: Option<Usd>) -> Self {
        let counts = &record.counts;
        Row {
            record,
            cost,
            start: record.start_time,
            width: record.width,
            tokens: counts.total_tokens(),
            // Each kind fills one of the two.
            requests: counts.requests + counts.calls,
        }
    }

    /// The usage row, for its grouping values.
    pub fn record(&self) -> &'a UsageRecord {
        self.record
    }

    /// The estimated cost, `None` when the row is unpriced.
    pub fn cost(&self) -> Option<Usd> {
        self.cost
    }

    /// The bucket's start, unix seconds.
    pub fn start(&self) -> i64 {
        self.start
    }

    pub fn width(&self) -> BucketWidth {
        self.width
    }

    /// Input plus output tokens.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Model requests plus tool calls (`num_model_requests` and
    /// `num_requests`).
    pub fn requests(&self) -> u64 {
        self.requests
    }
}

/// Prices `records`, keeping their order.
pub fn price_rows<'a>(
    prices: &PriceTable,
    records: impl IntoIterator<Item = &'a UsageRecord>,
) -> Vec<Row<'a>> {
    let mut pricer = Pricer::new(prices);
    records
        .into_iter()
        .map(|record| Row::new(record, pricer.estimate(record)))
        .collect()
}

/// `PriceTable::estimate` for many rows: a model's price on a day is
/// looked up once, since finding it tries several table names while
/// most rows share their model and day with many others.
pub struct Pricer<'t, 'r> {
    table: &'t PriceTable,
    found: HashMap<(&'r str, Date), Option<&'t Price>>,
}

impl<'t, 'r> Pricer<'t, 'r> {
    pub fn new(table: &'t PriceTable) -> Self {
        Pricer {
            table,
            found: HashMap::new(),
        }
    }

    /// The estimated cost of `record`, exactly as `PriceTable::estimate`
    /// gives it.
    pub fn estimate(&mut self, record: &'r UsageRecord) -> Option<Usd> {
        let metered = Metered::of(record)?;
        let model = record.model.as_deref()?;
        let day = Date::from_unix(record.start_time);
        let table = self.table;
        let price = *self.found.entry((model, day)).or_insert_with(|| {
            table.resolve(model, day).map(|found| &found.entry.price)
        });
        let parts = cost_parts(price?, Tier::of(record), &metered)?;
        Some(parts.iter().map(|part| part.cost).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::{demo_org, split_into_hours};
    use crate::domain::price::built_in_table;

    #[test]
    fn remembered_prices_give_what_the_table_gives_for_every_row() {
        let org = demo_org("c", Date::new(2026, 3, 3), 4);
        let mut records = org.usage.clone();
        for day in &org.usage {
            records.extend(split_into_hours(day));
        }
        let mut odd = records[0].clone();
        odd.service_tier = Some("priority".into());
        records.push(odd.clone());
        odd.batch = Some(true);
        records.push(odd);
        let table = built_in_table();
        let rows = price_rows(table, &records);
        for (row, record) in rows.iter().zip(&records) {
            assert_eq!(row.cost, table.estimate(record), "{record:?}");
        }
        assert!(rows.iter().any(|r| r.cost.is_none()));
    }
}

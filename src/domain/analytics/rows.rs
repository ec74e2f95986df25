//! Usage rows priced once for every view.
//!
//! Estimating a row's cost finds its model in the price table, which
//! costs far more than adding the row up; a view of a million rows
//! prices each of them once here, and every chart then only adds. The
//! same pass finds each row's group (see `group`), while the row's ids
//! are at hand.

use std::collections::HashMap;

use super::group::{group_hash, mix, same_group, Ids};
use crate::domain::money::Usd;
use crate::domain::price::estimate::{Metered, Tier};
use crate::domain::price::{Price, PriceTable, Rate};
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{BucketWidth, TokenCounts, UsageRecord};

/// A usage row with its estimated cost. What every view reads of it is
/// copied beside the cost, so that a scan of a million rows walks one
/// compact array instead of a million records.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    record: &'a UsageRecord,
    group: &'a UsageRecord,
    /// The group's number in the `price_rows` that made the row, or
    /// `NO_NUMBER`.
    number: u32,
    /// The cost when `priced`, else zero: a plain number rather than an
    /// `Option`, which would make every row a quarter larger.
    cost: Usd,
    priced: bool,
    start: i64,
    width: BucketWidth,
    tokens: u64,
    requests: u64,
}

/// The group number of a row made alone.
const NO_NUMBER: u32 = u32::MAX;

/// Rows are equal when their records and costs are: everything else in
/// a row is read from its record.
impl PartialEq for Row<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.record == other.record && self.cost() == other.cost()
    }
}

impl<'a> Row<'a> {
    /// `record` at the cost `cost`, a group of its own.
    pub fn new(record: &'a UsageRecord, cost: Option<Usd>) -> Self {
        let counts = record.counts.unpack();
        Row::in_group(record, &counts, record, NO_NUMBER, cost)
    }

    /// `record`, whose counts are `counts`, at the cost `cost`, in the
    /// group `group` stands for, numbered `number` by `price_rows`.
    fn in_group(
        record: &'a UsageRecord,
        counts: &TokenCounts,
        group: &'a UsageRecord,
        number: u32,
        cost: Option<Usd>,
    ) -> Self {
        Row {
            record,
            group,
            number,
            cost: cost.unwrap_or_default(),
            priced: cost.is_some(),
            start: record.start_time,
            width: record.width,
            tokens: counts.total_tokens(),
            // Model requests only, as the overview counts them: search
            // rows carry both model requests and tool calls, and adding
            // the calls would count one request twice.
            requests: counts.requests,
        }
    }

    /// The usage row, for its grouping values.
    #[inline]
    pub fn record(&self) -> &'a UsageRecord {
        self.record
    }

    /// The first record `price_rows` met with this row's grouping values,
    /// or the row's own record for a row made alone. Rows that share it
    /// are in the same group (see `group`).
    #[inline]
    pub fn group(&self) -> &'a UsageRecord {
        self.group
    }

    /// The estimated cost, `None` when the row is unpriced.
    #[inline]
    pub fn cost(&self) -> Option<Usd> {
        self.priced.then_some(self.cost)
    }

    /// The number `price_rows` gave the row's group, if it made the row:
    /// a hint for finding the group again, which `group` settles.
    #[inline]
    pub fn group_number(&self) -> Option<u32> {
        (self.number != NO_NUMBER).then_some(self.number)
    }

    /// The bucket's start, unix seconds.
    #[inline]
    pub fn start(&self) -> i64 {
        self.start
    }

    #[inline]
    pub fn width(&self) -> BucketWidth {
        self.width
    }

    /// Input plus output tokens.
    #[inline]
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Model requests (`num_model_requests`); tool calls are not
    /// requests.
    #[inline]
    pub fn requests(&self) -> u64 {
        self.requests
    }
}

/// Prices `records`, keeping their order, and finds their groups.
pub fn price_rows<'a>(
    prices: &PriceTable,
    records: impl IntoIterator<Item = &'a UsageRecord>,
) -> Vec<Row<'a>> {
    priced(prices, records).collect()
}

/// `price_rows` one row at a time, for views that add the rows up as
/// they come: a million rows kept in a list cost tens of megabytes
/// written and read again.
pub fn priced<'a, 't, I>(
    prices: &'t PriceTable,
    records: I,
) -> impl Iterator<Item = Row<'a>> + use<'a, 't, I>
where
    I: IntoIterator<Item = &'a UsageRecord>,
{
    let mut groups = Groups::new(prices);
    records.into_iter().map(move |record| {
        // Unpacked once for both the price and the row.
        let counts = record.counts.unpack();
        let (number, group, cost) = groups.price(record, &counts);
        Row::in_group(record, &counts, group, number, cost)
    })
}

/// The rate of each unit `Metered::quantities` lists, in its order.
type Rates = [Option<Rate>; 12];

/// The groups met while pricing, with the rates of each one's rows.
/// Everything a row's price depends on but its counts and its day is
/// the same for the whole group (see `same_group`), so a row's cost is
/// its counts times rates found once per group and day, by numbers
/// rather than by names.
struct Groups<'a, 't> {
    pricer: Pricer<'t, 'a>,
    ids: Ids,
    known: Vec<Known<'a, 't>>,
    /// The group of the last row priced, `u32::MAX` before the first.
    last: u32,
    /// A number for each model name.
    models: HashMap<&'a str, u32>,
    /// The price of a model on a day, by model number and day.
    price_ids: Ids,
    prices: Vec<(u32, i64, Option<&'t Price>)>,
    /// Each set of rates made, as `Priced::Rates` points to them.
    rates: Vec<Rates>,
}

/// How a group's rows of a day are priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Priced {
    /// The model has no price that day, or the rows no model.
    Unpriced,
    /// At the rates at this place in `Groups::rates`.
    Rates(usize),
}

/// A group's first record, tier and model number, the group that came
/// after it, and how the day of its last row is priced: the hours of a
/// day come one after the other.
struct Known<'a, 't> {
    first: &'a UsageRecord,
    /// The group of the row that came after a row of this one last,
    /// `u32::MAX` for none yet.
    next: u32,
    tier: Tier,
    model: Option<u32>,
    /// `[from, to)` of that day.
    from: i64,
    to: i64,
    /// The price its rates were made from.
    price: Option<&'t Price>,
    priced: Priced,
}

impl<'a, 't> Groups<'a, 't> {
    fn new(prices: &'t PriceTable) -> Self {
        Groups {
            pricer: Pricer::new(prices),
            ids: Ids::default(),
            known: Vec::new(),
            last: u32::MAX,
            models: HashMap::new(),
            price_ids: Ids::default(),
            prices: Vec::new(),
            rates: Vec::new(),
        }
    }

    /// The number and first record of the group of `record`, and its
    /// cost at its `counts`.
    #[inline]
    fn price(
        &mut self,
        record: &'a UsageRecord,
        counts: &TokenCounts,
    ) -> (u32, &'a UsageRecord, Option<Usd>) {
        let number = self.group_of(record);
        // Slices, not `Vec`s, are indexed: at the size-first optimization
        // the page is built with, indexing a `Vec` is a call.
        let known: &[Known] = &self.known;
        let group = &known[number as usize];
        let first = group.first;
        let Some(metered) = Metered::counted(record, counts) else {
            return (number, first, None);
        };
        let start = record.start_time;
        let priced = if group.from <= start && start < group.to {
            group.priced
        } else {
            self.priced_on(number as usize, record)
        };
        let rates: &[Rates] = &self.rates;
        let cost = match priced {
            Priced::Unpriced => None,
            Priced::Rates(at) => cost(&rates[at], &metered),
        };
        (number, first, cost)
    }

    /// The number of the group of `record`. Storage keeps the rows of a
    /// bucket together, in the same order bucket after bucket, so the
    /// group that followed the last row's group before is tried first.
    #[inline]
    fn group_of(&mut self, record: &'a UsageRecord) -> u32 {
        let known: &[Known] = &self.known;
        let last = self.last as usize;
        if last < known.len() {
            let next = known[last].next as usize;
            if next < known.len() && same_group(known[next].first, record) {
                self.last = next as u32;
                return next as u32;
            }
        }
        let found = self.ids.find(group_hash(record), |n| {
            same_group(known[n as usize].first, record)
        });
        let number = found.unwrap_or_else(|new| {
            self.open(record);
            new
        });
        let known: &mut [Known] = &mut self.known;
        if last < known.len() {
            known[last].next = number;
        }
        self.last = number;
        number
    }

    /// Starts the group `record` is the first row of.
    fn open(&mut self, record: &'a UsageRecord) {
        let next = self.models.len() as u32;
        let model = record
            .model
            .as_deref()
            .map(|model| *self.models.entry(model).or_insert(next));
        self.known.push(Known {
            first: record,
            next: u32::MAX,
            tier: Tier::of(record),
            model,
            from: 0,
            to: 0,
            price: None,
            priced: Priced::Unpriced,
        });
    }

    /// How the rows of group `number` on the UTC day of `record` are
    /// priced, when that is not the day of its last row.
    fn priced_on(&mut self, number: usize, record: &'a UsageRecord) -> Priced {
        let start = record.start_time;
        let day = start.div_euclid(DAY);
        let group = &self.known[number];
        let price = match (group.model, record.model.as_deref()) {
            (Some(model), Some(name)) => self.price_of(model, name, start),
            _ => None,
        };
        let group = &self.known[number];
        let priced = match price {
            None => Priced::Unpriced,
            // Prices seldom change: most days keep the rates they had.
            Some(price)
                if group.price.is_some_and(|p| std::ptr::eq(p, price))
                    && group.priced != Priced::Unpriced =>
            {
                group.priced
            }
            Some(price) => {
                let (tier, size) = (group.tier, record.size.as_deref());
                self.rates.push(
                    Metered::default()
                        .quantities()
                        .map(|(unit, _)| tier.rate(price, unit, size)),
                );
                Priced::Rates(self.rates.len() - 1)
            }
        };
        let group = &mut self.known[number];
        group.from = day * DAY;
        group.to = group.from + DAY;
        group.price = price;
        group.priced = priced;
        priced
    }

    /// The price of model `number`, called `name`, on the UTC day of
    /// `start`.
    fn price_of(
        &mut self,
        number: u32,
        name: &'a str,
        start: i64,
    ) -> Option<&'t Price> {
        let day = start.div_euclid(DAY);
        let prices = &self.prices;
        let found =
            self.price_ids
                .find(mix(u64::from(number), day as u64), |n| {
                    let (model, on, _) = prices[n as usize];
                    model == number && on == day
                });
        match found {
            Ok(n) => self.prices[n as usize].2,
            Err(_) => {
                let price = self.pricer.price(name, start);
                self.prices.push((number, day, price));
                price
            }
        }
    }
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
        let price = self.price(model, record.start_time)?;
        let tier = Tier::of(record);
        let mut rates: Rates = [None; 12];
        for (i, (unit, quantity)) in
            metered.quantities().into_iter().enumerate()
        {
            if quantity > 0 {
                rates[i] = tier.rate(price, unit, metered.size);
            }
        }
        cost(&rates, &metered)
    }

    /// The price of `model` on the UTC day holding `start`.
    fn price(&mut self, model: &'r str, start: i64) -> Option<&'t Price> {
        let day = Date::from_unix(start);
        let table = self.table;
        *self.found.entry((model, day)).or_insert_with(|| {
            table.resolve(model, day).map(|found| &found.entry.price)
        })
    }
}

/// What `cost_parts` adds up to, from the rates of the row's price and
/// tier: `None` when a unit used has none. Adds as it goes, since
/// collecting the parts of a million rows would allocate a million
/// lists.
#[inline]
fn cost(rates: &Rates, metered: &Metered) -> Option<Usd> {
    let mut total = Usd::ZERO;
    for (i, (_, quantity)) in metered.quantities().into_iter().enumerate() {
        if quantity == 0 {
            continue;
        }
        let rate = rates[i]?;
        // WebAssembly multiplies 128-bit numbers in software; factors
        // below 2^32 give the same product in 64 bits.
        total += if (rate.0 | quantity) >> 32 == 0 {
            Usd(u128::from(rate.0 * quantity))
        } else {
            rate.times(quantity)
        };
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::{demo_org, split_into_hours, stored_usage};
    use crate::domain::price::built_in_table;
    use crate::domain::usage::UsageKind;

    const HOUR: i64 = 3_600;

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
            assert_eq!(row.cost(), table.estimate(record), "{record:?}");
        }
        assert!(rows.iter().any(|r| r.cost().is_none()));
    }

    /// Rows of the demo's last days as storage keeps them: by connection,
    /// kind, width and start, the rows of a bucket together.
    fn stored(last: Date) -> Vec<UsageRecord> {
        let org = demo_org("c", last, 6);
        let mut records = stored_usage(&org, last.to_unix() + 20 * HOUR);
        records
            .sort_by_key(|r| (r.kind.path(), r.width.as_str(), r.start_time));
        records
    }

    #[test]
    fn a_price_changed_on_a_day_prices_each_day_by_its_own() {
        let last = Date::new(2026, 3, 6);
        let records = stored(last);
        let mut table = PriceTable::built_in();
        let model = "gpt-4o-mini-2024-07-18";
        let mut price = table
            .resolve(model, last)
            .map(|found| found.price().clone())
            .expect("a built-in price");
        price.input = price.input.map(|rate| Rate(rate.0 * 3));
        table.edit(model, Some(last.add_days(-2)), price);
        // The same price again, as a new entry, the day after.
        let again = table.resolve(model, last).map(|f| f.price().clone());
        table.edit(model, Some(last.add_days(-1)), again.expect("edited"));

        for order in [records.clone(), records.iter().rev().cloned().collect()]
        {
            let rows = price_rows(&table, &order);
            for (row, record) in rows.iter().zip(&order) {
                assert_eq!(row.cost(), table.estimate(record), "{record:?}");
            }
        }
        let mut pricer = Pricer::new(&table);
        for record in &records {
            assert_eq!(pricer.estimate(record), table.estimate(record));
        }
    }

    #[test]
    fn rows_of_one_group_share_its_first_record_and_number() {
        let records = stored(Date::new(2026, 3, 6));
        let rows = price_rows(built_in_table(), &records);
        for (a, b) in rows.iter().zip(&rows[1..]).chain([(&rows[0], &rows[0])])
        {
            let same = same_group(a.record(), b.record());
            assert_eq!(std::ptr::eq(a.group(), b.group()), same);
            assert_eq!(a.group_number() == b.group_number(), same);
        }
        let numbers: std::collections::HashSet<_> =
            rows.iter().map(|r| r.group_number()).collect();
        assert!(numbers.len() < rows.len() / 20, "{}", numbers.len());
        let alone = Row::new(&records[0], None);
        assert!(std::ptr::eq(alone.group(), &records[0]));
        assert_eq!(alone.group_number(), None);
    }

    #[test]
    fn a_row_costing_more_than_64_bits_of_picodollars_is_exact() {
        let mut record = stored(Date::new(2026, 3, 6))[0].clone();
        record.kind = UsageKind::Completions;
        record.model = Some("gpt-4o-2024-08-06".into());
        record.counts.update(|c| {
            c.input = u64::MAX / 4;
            c.cached_input = 0;
        });
        let rows = price_rows(built_in_table(), [&record]);
        assert_eq!(rows[0].cost(), built_in_table().estimate(&record));
        assert!(rows[0].cost().is_some_and(|c| c.0 > u128::from(u64::MAX)));
    }
}

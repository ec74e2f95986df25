//! Every analytics view of one scope in one call, so the UI filters and
//! prices the rows once and draws all charts from the same numbers.

use super::burn::{Burn, Window, LAST_DAY, LAST_HOUR};
use super::compare::{compare_of, KeyLine};
use super::directory::Directory;
use super::filter::Filter;
use super::forecast::{forecast_days, MonthForecast, MonthTally};
use super::grid::{DayGrid, Days};
use super::ledger::Ledger;
use super::models::{models_of, ModelRow};
use super::pattern::{covered_days, HourTally, Pattern};
use super::rows::{price_rows, priced, Row};
use super::source::{buckets, coverages, Source};
use super::stacked::{stacked_of, Stack};
use super::tally::Tally;
use super::team::{team_of, TeamSummary};
use super::top::{top_of, Consumer, Dimension};
use super::trend::{DayTally, Trend};
use crate::domain::keys::{ApiKey, Project};
use crate::domain::money::Usd;
use crate::domain::people::Person;
use crate::domain::price::PriceTable;
use crate::domain::time::Date;
use crate::domain::usage::{BucketWidth, UsageRecord};
use crate::domain::zone::Zone;

/// What the analytics are made from, as loaded from storage.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// Usage rows of every width; the views pick hourly or daily ones.
    pub records: &'a [UsageRecord],
    pub keys: &'a [ApiKey],
    pub projects: &'a [Project],
    pub people: &'a [Person],
    /// The user's price table.
    pub prices: &'a PriceTable,
}

/// Choices of the analytics page beyond the filter and the days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Consumers listed per dimension.
    pub top: usize,
    /// API keys with a layer of their own in the stacked chart.
    pub stacked_keys: usize,
    /// The budget of the month, drawn beside its forecast.
    pub budget: Option<Usd>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            top: 5,
            stacked_keys: 5,
            budget: None,
        }
    }
}

/// The top consumers of each dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopConsumers {
    pub keys: Vec<Consumer>,
    pub users: Vec<Consumer>,
    pub projects: Vec<Consumer>,
    pub models: Vec<Consumer>,
}

/// Every view of one scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Analytics {
    pub days: Days,
    /// The local date at `now`.
    pub today: Date,
    /// The days of the range; says when they are UTC days.
    pub trend: Trend,
    /// Today alone, from hourly rows whenever they hold it.
    pub today_trend: Trend,
    /// The hours of the range's days up to today.
    pub pattern: Pattern,
    pub models: Vec<ModelRow>,
    pub burn_last_hour: Burn,
    pub burn_last_day: Burn,
    pub forecast: MonthForecast,
    pub keys: Vec<KeyLine>,
    pub top: TopConsumers,
    pub stacked: Stack,
    pub team: TeamSummary,
}

/// The analytics of the usage `filter` selects over the local `days` in
/// `zone`, at `now`. Usage of keys the user switched off is left out, as
/// everywhere in dashboards, unless the filter asks for such a key.
pub fn analytics(
    inputs: &Inputs,
    filter: &Filter,
    zone: &Zone,
    days: Days,
    now: i64,
    options: &Options,
) -> Analytics {
    let view = View {
        inputs,
        filter,
        zone,
        days,
        now,
        options,
    };
    let directory = Directory::new(inputs.keys, inputs.projects, inputs.people);
    // Everything is in scope then, and the rows need no picking.
    if filter.is_empty() && directory.tracks_all() {
        return view.of_records(inputs.records);
    }
    let records: Vec<&UsageRecord> = inputs
        .records
        .iter()
        .filter(|record| in_scope(record, filter, &directory))
        .collect();
    view.of_records(records.iter().copied())
}

/// The arguments of `analytics`, for the passes that make it.
#[derive(Clone, Copy)]
struct View<'i, 'a> {
    inputs: &'i Inputs<'a>,
    filter: &'i Filter,
    zone: &'i Zone,
    days: Days,
    now: i64,
    options: &'i Options,
}

impl<'a> View<'_, 'a> {
    /// The analytics of the scope's `records`, priced as they are added
    /// up: a list of a million priced rows would take a third as much
    /// memory again as the records, only to be read once.
    fn of_records<I>(&self, records: I) -> Analytics
    where
        I: IntoIterator<Item = &'a UsageRecord> + Clone,
    {
        let starts = records.clone().into_iter();
        let buckets = starts.map(|record| (record.width, record.start_time));
        self.of(buckets, priced(self.inputs.prices, records))
    }

    /// The analytics of `rows`, the scope's rows priced in their order;
    /// `buckets` are their widths and starts, in the same order.
    fn of(
        &self,
        buckets: impl IntoIterator<Item = (BucketWidth, i64)>,
        rows: impl IntoIterator<Item = Row<'a>>,
    ) -> Analytics {
        let View {
            inputs,
            filter,
            zone,
            days,
            now,
            options,
        } = *self;
        let directory =
            Directory::new(inputs.keys, inputs.projects, inputs.people);
        let today = zone.date(now);
        let today_only = Days::from_today(zone, now, |t| Days::new(t, t));
        let month = forecast_days(zone, now);
        let pattern_days = days.until(today).unwrap_or(days);

        // What the rows hold of each view's days, in one pass.
        let span = |days| DayGrid::new(zone, days).span();
        let [in_range, in_today, in_month, in_pattern] = coverages(
            buckets,
            [
                span(days),
                span(today_only),
                span(month),
                span(pattern_days),
            ],
        );
        let source = Source::covering(&in_range, zone, days);
        let today_source = Source::covering(&in_today, zone, today_only);
        let month_source = Source::covering(&in_month, zone, month);
        let pattern_days = covered_days(&in_pattern, zone, pattern_days);

        // Every view takes what it needs of each row in one more pass.
        let mut ledger = Ledger::new(&source, Some(now));
        let mut today_days = DayTally::new(&today_source);
        let mut hours = HourTally::new(zone, pattern_days);
        let mut month_days = MonthTally::new(&month_source, now);
        let hour_window = Window::new(now, LAST_HOUR);
        let mut last_hour = Tally::default();
        for row in rows {
            ledger.add(&row);
            today_days.add(&row);
            hours.add(&row);
            month_days.add(&row);
            if hour_window.holds(&row) {
                last_hour.add(&row);
            }
        }

        // The scope's last 24 hours and first usage are those of its groups.
        let mut last_day = Tally::default();
        for group in ledger.groups() {
            last_day.merge(&group.last_day);
        }
        let range = ledger.trend();
        let models = models_of(&ledger);
        let top =
            |dimension| top_of(&ledger, &directory, dimension, options.top);
        let seen = ledger.first_seen().at();
        Analytics {
            days,
            today,
            today_trend: today_days.trend(),
            pattern: hours.pattern(),
            burn_last_hour: Burn::new(last_hour, seen, now, LAST_HOUR),
            burn_last_day: Burn::new(last_day, seen, now, LAST_DAY),
            forecast: month_days.forecast(options.budget),
            keys: compare_of(&ledger, &directory, inputs.keys, filter),
            top: TopConsumers {
                keys: top(Dimension::Key),
                users: top(Dimension::User),
                projects: top(Dimension::Project),
                models: top(Dimension::Model),
            },
            stacked: stacked_of(&ledger, &directory, options.stacked_keys),
            team: team_of(&ledger, &directory, &models, &range),
            trend: range,
            models,
        }
    }
}

/// The analytics of `rows`, the scope of `filter` as `scoped_rows` gave
/// it. Pricing is most of the work, so a page that keeps the rows of its
/// filter redraws other days or another zone from them at little cost.
pub fn analytics_of(
    rows: &[Row],
    inputs: &Inputs,
    filter: &Filter,
    zone: &Zone,
    days: Days,
    now: i64,
    options: &Options,
) -> Analytics {
    let view = View {
        inputs,
        filter,
        zone,
        days,
        now,
        options,
    };
    view.of(buckets(rows), rows.iter().copied())
}

/// Whether `record` belongs to the scope: selected by `filter`, and of
/// a tracked key or of the key the filter names.
#[inline]
pub fn in_scope(
    record: &UsageRecord,
    filter: &Filter,
    directory: &Directory,
) -> bool {
    filter.matches(record, directory)
        && record.api_key_id.as_deref().is_none_or(|key| {
            filter.key.as_deref() == Some(key)
                || directory.is_tracked(&record.connection_id, key)
        })
}

/// The rows of the scope of `filter`, priced.
pub fn scoped_rows<'a>(inputs: &Inputs<'a>, filter: &Filter) -> Vec<Row<'a>> {
    let directory = Directory::new(inputs.keys, inputs.projects, inputs.people);
    // Everything is in scope then, and the rows need no picking.
    if filter.is_empty() && directory.tracks_all() {
        return price_rows(inputs.prices, inputs.records);
    }
    // Picked first, so that the rows are made in a list of their size
    // rather than in one copied over and over as it grows.
    let mut records: Vec<&UsageRecord> = Vec::new();
    for record in inputs.records {
        if in_scope(record, filter, &directory) {
            records.push(record);
        }
    }
    price_rows(inputs.prices, records)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::domain::analytics::compare::KeyRef;
    use crate::domain::analytics::filter::UNATTRIBUTED;
    use crate::domain::analytics::fixtures::{
        by, daily, hourly, unpriced, utc,
    };
    use crate::domain::demo::{
        demo_org, split_into_hours, DemoOrg, PREVIEW_MODEL,
    };
    use crate::domain::price::built_in_table;
    use crate::domain::time::DAY;
    use crate::domain::zone::samples::{berlin, kolkata, los_angeles};

    fn last() -> Date {
        Date::new(2026, 5, 10)
    }

    /// The demo as a sync stores it: daily rows for 60 days, hourly rows
    /// for the last 30.
    fn synced() -> (DemoOrg, Vec<UsageRecord>) {
        let org = demo_org("c", last(), 60);
        let hourly_from = last().add_days(-29).to_unix();
        let mut records = org.usage.clone();
        for day in org.usage.iter().filter(|r| r.start_time >= hourly_from) {
            records.extend(split_into_hours(day));
        }
        (org, records)
    }

    fn run(
        org: &DemoOrg,
        records: &[UsageRecord],
        filter: &Filter,
        zone: &Zone,
        days: Days,
    ) -> Analytics {
        let inputs = Inputs {
            records,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices: built_in_table(),
        };
        let now = last().to_unix() + 20 * 3_600;
        analytics(&inputs, filter, zone, days, now, &Options::default())
    }

    /// Sums of the rows `source` places, counted row by row the plainest
    /// way: by day, by key, by user (or the key's owner) and by model
    /// label.
    struct Counted {
        days: Vec<Tally>,
        keys: HashMap<Option<(String, String)>, Tally>,
        users: HashMap<Option<String>, Tally>,
        models: HashMap<String, Tally>,
    }

    fn counted(rows: &[Row], source: &Source, who: &Directory) -> Counted {
        let mut counted = Counted {
            days: vec![Tally::default(); source.grid().len()],
            keys: HashMap::new(),
            users: HashMap::new(),
            models: HashMap::new(),
        };
        for row in rows {
            let Some(day) = source.place(row) else {
                continue;
            };
            let r = row.record();
            let key = r.api_key_id.map(|k| (r.connection_id.into(), k.into()));
            counted.days[day].add(row);
            counted.keys.entry(key).or_default().add(row);
            let user = who.person_of(r).map(str::to_owned);
            counted.users.entry(user).or_default().add(row);
            let label = crate::domain::analytics::filter::model_label(r);
            counted.models.entry(label.to_owned()).or_default().add(row);
        }
        counted
    }

    #[test]
    fn the_single_pass_adds_up_what_counting_row_by_row_gives() {
        let (org, records) = synced();
        let mut stored = records.clone();
        stored.sort_by_key(|r| (r.kind.path(), r.width.as_str(), r.start_time));
        let mut scrambled = records;
        scrambled
            .sort_by_key(|r| (r.counts.unpack().input % 7, r.start_time % 5));
        let everything = Options {
            top: 100,
            stacked_keys: 100,
            budget: None,
        };
        let now = last().to_unix() + 20 * 3_600;
        let days = Days::ending(last(), 14);
        for records in [&stored, &scrambled] {
            for zone in [Zone::utc(), berlin(), kolkata()] {
                let inputs = Inputs {
                    records,
                    keys: &org.keys,
                    projects: &org.projects,
                    people: &[],
                    prices: built_in_table(),
                };
                let all = Filter::default();
                let result =
                    analytics(&inputs, &all, &zone, days, now, &everything);
                let rows = scoped_rows(&inputs, &all);
                let source = Source::choose(&rows, &zone, days);
                let who = Directory::new(&org.keys, &org.projects, &[]);
                let counted = counted(&rows, &source, &who);

                let days: Vec<Tally> =
                    result.trend.points.iter().map(|p| p.tally).collect();
                assert_eq!(days, counted.days, "{}", zone.name());
                for line in result.keys.iter().filter(|l| !l.tally.is_empty()) {
                    let key = match &line.key {
                        KeyRef::Key {
                            connection_id,
                            key_id,
                        } => Some((connection_id.clone(), key_id.clone())),
                        KeyRef::Unattributed => None,
                    };
                    assert_eq!(Some(&line.tally), counted.keys.get(&key));
                }
                let layers = result.stacked.layers.iter();
                let stacked: Vec<Tally> = layers.map(|l| l.total).collect();
                assert_eq!(stacked.len(), counted.keys.len());
                assert!(stacked
                    .iter()
                    .all(|t| counted.keys.values().any(|k| k == t)));
                for user in &result.top.users {
                    assert_eq!(Some(&user.tally), counted.users.get(&user.id));
                }
                assert_eq!(result.top.users.len(), counted.users.len());
                for model in &result.models {
                    assert_eq!(
                        Some(&model.tally),
                        counted.models.get(&model.label)
                    );
                }
                assert_eq!(result.models.len(), counted.models.len());
            }
        }
    }

    #[test]
    fn every_bucket_counts_once_whatever_the_zone() {
        let (org, records) = synced();
        let days = Days::ending(last().add_days(-1), 20);
        let all = Filter::default();
        let in_utc = run(&org, &records, &all, &Zone::utc(), days);
        let daily_sum: u64 = org
            .usage
            .iter()
            .filter(|r| {
                let (from, to) =
                    (days.first.to_unix(), days.last.to_unix() + DAY);
                from <= r.start_time && r.start_time < to
            })
            .map(|r| r.counts.unpack().total_tokens())
            .sum();
        assert_eq!(in_utc.trend.total().tokens, daily_sum);

        for zone in [berlin(), kolkata(), los_angeles()] {
            let local = run(&org, &records, &all, &zone, days);
            assert!(!local.trend.utc_days, "{}", zone.name());
            let hours: u64 =
                local.pattern.hours.iter().map(|h| h.tally.tokens).sum();
            assert_eq!(hours, local.trend.total().tokens, "{}", zone.name());
            assert_eq!(local.team.tally, local.trend.total());
        }
    }

    #[test]
    fn a_range_beyond_the_hourly_rows_says_its_days_are_utc_days() {
        let (org, records) = synced();
        let days = Days::ending(last(), 45);
        let result = run(&org, &records, &Filter::default(), &berlin(), days);
        assert!(result.trend.utc_days);
        assert!(result.stacked.utc_days);
        assert!(!result.pattern.is_unavailable());
        // Hourly rows start at 00:00Z, 02:00 in Berlin: their first local
        // day is not whole, so the pattern averages over the 29 after it.
        assert_eq!(result.pattern.day_count(), 29);
    }

    #[test]
    fn unattributed_usage_counts_in_the_organization_totals() {
        let (org, records) = synced();
        let days = Days::ending(last(), 7);
        let all = run(&org, &records, &Filter::default(), &Zone::utc(), days);
        let line = all
            .keys
            .iter()
            .find(|l| l.key.filter_value() == UNATTRIBUTED)
            .map(|l| l.tally);
        let only = Filter {
            key: Some(UNATTRIBUTED.into()),
            ..Filter::default()
        };
        let alone = run(&org, &records, &only, &Zone::utc(), days);
        assert!(alone.trend.total().tokens > 0);
        assert_eq!(line, Some(alone.trend.total()));
        let lines: u64 = all.keys.iter().map(|l| l.tally.tokens).sum();
        assert_eq!(lines, all.team.tally.tokens);
    }

    #[test]
    fn an_unpriced_model_shows_its_tokens_everywhere_and_no_cost() {
        let (org, records) = synced();
        let preview = Filter {
            model: Some(PREVIEW_MODEL.into()),
            ..Filter::default()
        };
        let days = Days::ending(last(), 7);
        let result = run(&org, &records, &preview, &kolkata(), days);
        let total = result.trend.total();
        assert!(total.tokens > 0);
        assert_eq!(total.unpriced_tokens, total.tokens);
        assert_eq!(total.estimated(), None);
        assert_eq!(result.models.len(), 1);
        assert_eq!(result.models[0].tally.estimated(), None);
        assert_eq!(result.team.tally.estimated(), None);
        assert_eq!(result.top.keys[0].tally.estimated(), None);
        let with_usage: Vec<_> =
            result.keys.iter().filter(|l| l.tally.tokens > 0).collect();
        assert!(with_usage.iter().all(|l| l.tally.estimated().is_none()));
        assert_eq!(result.forecast.forecast.spent, Usd::ZERO);
        assert!(result.forecast.spent.is_understated());
    }

    #[test]
    fn west_of_utc_the_evening_is_in_todays_figures() {
        let zone = los_angeles();
        let now = utc(Date::new(2026, 7, 15), 4);
        let records = [hourly(utc(Date::new(2026, 7, 15), 2), 500)];
        let inputs = Inputs {
            records: &records,
            keys: &[],
            projects: &[],
            people: &[],
            prices: built_in_table(),
        };
        let today = zone.date(now);
        let days = Days::ending(today, 7);
        let result = analytics(
            &inputs,
            &Filter::default(),
            &zone,
            days,
            now,
            &Options::default(),
        );
        assert_eq!(result.today, Date::new(2026, 7, 14));
        assert_eq!(result.today_trend.total().tokens, 500);
        assert_eq!(result.trend.on(today).map(|p| p.tally.tokens), Some(500));
        assert_eq!(result.burn_last_day.tally.tokens, 500);
        assert_eq!(result.burn_last_hour.tally.tokens, 0);
    }

    #[test]
    fn untracked_keys_leave_the_views_unless_asked_for() {
        let mut org = demo_org("c", last(), 7);
        let key = "key_demoApiServer001";
        if let Some(k) = org.keys.iter_mut().find(|k| k.id == key) {
            k.notes.tracked = false;
        }
        let records = org.usage.clone();
        let days = Days::ending(last(), 7);
        let all = run(&org, &records, &Filter::default(), &Zone::utc(), days);
        assert!(all.keys.iter().all(|l| l.key.filter_value() != key));
        let asked = Filter {
            key: Some(key.into()),
            ..Filter::default()
        };
        let one = run(&org, &records, &asked, &Zone::utc(), days);
        assert!(one.trend.total().tokens > 0);
        assert_eq!(one.keys.len(), 1);
    }

    #[test]
    fn a_key_without_usage_and_one_with_only_old_usage_show_zeros() {
        let org = demo_org("c", last(), 3);
        let start = last().to_unix();
        let records = [
            daily(start, 100),
            by(
                unpriced(daily(start - 90 * DAY, 5)),
                Some("key_demoUnused000009"),
            ),
        ];
        let days = Days::ending(last(), 7);
        let result =
            run(&org, &records, &Filter::default(), &Zone::utc(), days);
        let unused = result
            .keys
            .iter()
            .find(|l| l.key.filter_value() == "key_demoUnused000009");
        assert_eq!(unused.map(|l| l.tally.tokens), Some(0));
        assert_eq!(result.keys.len(), org.keys.len() + 1);
    }
}

//! How far a budget's scope has come toward its limit in the current
//! period: what was spent, against what, by when, and what the figure
//! leaves out.
//!
//! A budget counts every row of its scope, also those of keys the user
//! stopped tracking: tracking hides a key from dashboards, but the money
//! it spends is still billed, and a budget that silently skipped it
//! would be a blind spot. Rows of one bucket are counted once, hourly
//! on local days where they hold the whole period, daily otherwise.

use super::amount::Amount;
use super::period::{days_left, period_days};
use super::{Budget, Limit};
use crate::domain::analytics::directory::Directory;
use crate::domain::analytics::forecast::{forecast, Period, Recent};
use crate::domain::analytics::rows::Row;
use crate::domain::analytics::source::Source;
use crate::domain::analytics::tally::Tally;
use crate::domain::analytics::Days;
use crate::domain::money::Usd;
use crate::domain::time::Date;
use crate::domain::zone::Zone;

/// A budget's current period at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The period's local days.
    pub days: Days,
    /// `[start, end)` of the days as counted, UTC seconds: UTC days when
    /// `utc_days` is set.
    pub span: (i64, i64),
    /// The local date at the instant of the progress.
    pub today: Date,
    pub limit: Limit,
    /// Spent so far: estimated dollars for a dollar limit (unpriced
    /// usage left out), all tokens for a token limit.
    pub spent: Amount,
    /// Everything the scope used in the period.
    pub tally: Tally,
    /// `spent` in percent of the limit, to draw.
    pub percent: f64,
    /// `spent` in hundredths of a percent of the limit, rounded down.
    pub basis_points: u64,
    /// Tokens without a price, missing from a dollar `spent`; zero for
    /// token limits, which count them.
    pub unpriced_tokens: u64,
    /// Whether a dollar `spent` falls short because some usage, with or
    /// without tokens, has no price.
    pub understated: bool,
    /// Days of the period after today (see `period::days_left`).
    pub days_left: u32,
    /// `spent` at the pace of the period so far, at its end.
    pub forecast: Amount,
    /// The days are UTC days although the zone is another: only daily
    /// rows cover the period, and the page must say so.
    pub utc_days: bool,
}

impl Progress {
    /// Whether `spent` is at least `threshold` percent of the limit,
    /// compared exactly in integers. Nothing spent reaches nothing, so a
    /// zero limit or threshold (which the form refuses) is reached by
    /// the first spending.
    pub fn reached(&self, threshold: u32) -> bool {
        let spent = self.spent.units();
        let limit = self.limit.amount().units();
        let wanted = limit.saturating_mul(u128::from(threshold));
        spent > 0 && spent.saturating_mul(100) >= wanted
    }

    /// What is left of the limit, zero once it is spent.
    pub fn remaining(&self) -> Amount {
        let limit = self.limit.amount().units();
        self.spent
            .with_units(limit.saturating_sub(self.spent.units()))
    }

    /// Whether the forecast ends above the limit.
    pub fn forecast_exceeds(&self) -> bool {
        self.forecast.units() > self.limit.amount().units()
    }
}

/// The progress of `budget` at `now` in its zone, `zone`, from `rows`:
/// the priced rows of its organization, or any superset (rows of other
/// scopes are skipped), of every key, tracked or not, and every width.
pub fn progress(
    budget: &Budget,
    rows: &[Row],
    directory: &Directory,
    zone: &Zone,
    now: i64,
) -> Progress {
    let days = period_days(budget.period, zone, now);
    let scope = budget.scope.rows(&budget.connection_id, rows, directory);

    let source = Source::choose(&scope, zone, days);
    let mut tally = Tally::default();
    for row in scope.iter().filter(|row| source.place(row).is_some()) {
        tally.add(row);
    }

    let limit = budget.limit.amount();
    let (spent, unpriced_tokens, understated) = match limit {
        Amount::Usd(_) => (
            Amount::Usd(tally.cost),
            tally.unpriced_tokens,
            tally.is_understated(),
        ),
        Amount::Tokens(_) => (Amount::Tokens(tally.tokens), 0, false),
    };
    let span = source.grid().span();
    let basis_points = basis_points(spent.units(), limit.units());

    Progress {
        days,
        span,
        today: zone.date(now),
        limit: budget.limit,
        spent,
        tally,
        percent: percent(spent.units(), limit.units()),
        basis_points,
        unpriced_tokens,
        understated,
        days_left: days_left(days, zone, now),
        forecast: linear_forecast(spent, span, now),
        utc_days: source.days_are_utc(),
    }
}

/// `spent` scaled from the part of the period gone by to all of it.
/// The analytics forecast only multiplies and divides its amount by
/// times, so tokens go through it as if they were picodollars.
fn linear_forecast(spent: Amount, span: (i64, i64), now: i64) -> Amount {
    let (start, end) = span;
    let so_far = Usd(spent.units());
    let recent = Recent {
        since: start,
        cost: so_far,
    };
    let period = Period { start, end };
    let ahead = forecast(period, now, so_far, recent, None);
    spent.with_units(ahead.linear.0)
}

/// `spent` over `limit` in hundredths of a percent, rounded down.
fn basis_points(spent: u128, limit: u128) -> u64 {
    if limit == 0 {
        return if spent == 0 { 0 } else { u64::MAX };
    }
    let points = spent.saturating_mul(10_000) / limit;
    u64::try_from(points).unwrap_or(u64::MAX)
}

/// `spent` over `limit` in percent; any spending of a zero limit is
/// infinitely over it.
fn percent(spent: u128, limit: u128) -> f64 {
    match (spent, limit) {
        (0, _) => 0.0,
        (_, 0) => f64::INFINITY,
        _ => spent as f64 * 100.0 / limit as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::rows::price_rows;
    use crate::domain::budget::fixtures::{
        budget, cents, hourly, key_budget, nobody, priced, spend, usage, usd,
        utc, CONNECTION, HOUR, UNPRICED_MODEL,
    };
    use crate::domain::budget::{Period as Every, Scope};
    use crate::domain::demo::demo_org;
    use crate::domain::price::built_in_table;
    use crate::domain::time::DAY;
    use crate::domain::usage::{BucketWidth, UsageRecord};
    use crate::domain::zone::samples::{berlin, kolkata};

    fn april(day: u32) -> Date {
        Date::new(2026, 4, day)
    }

    fn tokens_budget(tokens: u64) -> Budget {
        let scope = Scope::Key { id: "key_a".into() };
        budget("b", scope, Every::Month, Limit::Tokens(tokens))
    }

    #[test]
    fn a_key_budget_counts_that_key_in_this_month_only() {
        let mut elsewhere = spend("key_a", utc(april(2), 0), 500);
        elsewhere.connection_id = "other".into();
        let records = [
            spend("key_a", utc(april(1), 0), 1_000),
            spend("key_a", utc(april(9), 0), 1_050),
            spend("key_a", utc(Date::new(2026, 3, 31), 0), 700),
            spend("key_b", utc(april(2), 0), 300),
            elsewhere,
        ];
        let b = key_budget("b", "key_a", 50);
        let now = utc(april(10), 0) + 1;
        let p = progress(&b, &priced(&records), &nobody(), &Zone::utc(), now);
        assert_eq!(p.spent, Amount::Usd(cents(2_050)));
        assert_eq!(p.days.first, april(1));
        assert_eq!(p.span, (utc(april(1), 0), utc(Date::new(2026, 5, 1), 0)));
        assert_eq!(p.basis_points, 4_100);
        assert_eq!(p.percent, 41.0);
        assert_eq!(p.remaining(), Amount::Usd(cents(2_950)));
        assert!(!p.understated && !p.utc_days);
    }

    #[test]
    fn thresholds_are_reached_exactly_at_their_share_of_the_limit() {
        let record = spend("key_a", utc(april(3), 0), 1);
        let b = key_budget("b", "key_a", 50);
        let at = |cost: Usd| {
            let rows = [Row::new(&record, Some(cost))];
            progress(&b, &rows, &nobody(), &Zone::utc(), utc(april(4), 0))
        };
        let forty = at(usd(40));
        assert!(forty.reached(80));
        assert!(!forty.reached(81));
        assert_eq!(forty.basis_points, 8_000);
        let short = at(Usd(usd(40).0 - 1));
        assert!(!short.reached(80));
        assert_eq!(short.basis_points, 7_999);
        assert!(!at(Usd::ZERO).reached(0));
    }

    #[test]
    fn a_key_budget_counts_the_key_even_when_it_is_not_tracked() {
        let last = Date::new(2026, 5, 10);
        let mut org = demo_org(CONNECTION, last, 10);
        let key = "key_demoApiServer001";
        for k in org.keys.iter_mut().filter(|k| k.id == key) {
            k.notes.tracked = false;
        }
        let rows = price_rows(built_in_table(), &org.usage);
        let b = key_budget("b", key, 1_000);
        let now = utc(last, 20);
        let p = progress(&b, &rows, &nobody(), &Zone::utc(), now);
        assert!(p.tally.tokens > 0);
        let own: u64 = org
            .usage
            .iter()
            .filter(|r| r.api_key_id.as_deref() == Some(key))
            .filter(|r| r.start_time >= Date::new(2026, 5, 1).to_unix())
            .map(|r| r.counts.unpack().total_tokens())
            .sum();
        assert_eq!(p.tally.tokens, own);
    }

    /// Daily and hourly rows of the same UTC days, 10 tokens an hour,
    /// from March 31 through April 3.
    fn synced() -> Vec<UsageRecord> {
        let first = utc(Date::new(2026, 3, 31), 0);
        let mut records: Vec<_> = (0..4)
            .map(|d| {
                let start = first + d * DAY;
                usage("key_a", BucketWidth::Day, start, "gpt-4o", 240)
            })
            .collect();
        records.extend((0..96).map(|h| hourly("key_a", first + h * HOUR, 10)));
        records
    }

    #[test]
    fn hourly_rows_put_usage_on_local_days_and_count_it_once() {
        let records = synced();
        let b = tokens_budget(10_000);
        let now = utc(april(3), 12);
        // The month starts at 18:30Z on March 31 in Kolkata: the buckets
        // from 19:00Z on are April's, 5 hours of March 31 and 3 days.
        let p = progress(&b, &priced(&records), &nobody(), &kolkata(), now);
        assert!(!p.utc_days);
        assert_eq!(p.spent, Amount::Tokens((5 + 3 * 24) * 10));
        assert_eq!(p.span.0, utc(Date::new(2026, 3, 31), 18) + 1_800);
        // In UTC the daily rows of April 1 to 3 give the same days.
        let p = progress(&b, &priced(&records), &nobody(), &Zone::utc(), now);
        assert_eq!(p.spent, Amount::Tokens(3 * 240));
    }

    #[test]
    fn only_daily_rows_in_another_zone_give_utc_days_and_say_so() {
        let records: Vec<_> = synced()
            .into_iter()
            .filter(|r| r.width == BucketWidth::Day)
            .collect();
        let b = tokens_budget(10_000);
        let p = progress(
            &b,
            &priced(&records),
            &nobody(),
            &berlin(),
            utc(april(3), 12),
        );
        assert!(p.utc_days);
        assert_eq!(p.span.0, utc(april(1), 0));
        assert_eq!(p.spent, Amount::Tokens(3 * 240));
    }

    #[test]
    fn a_dollar_budget_with_unpriced_usage_says_by_how_many_tokens() {
        let records = [
            spend("key_a", utc(april(2), 0), 1_000),
            usage(
                "key_a",
                BucketWidth::Day,
                utc(april(3), 0),
                UNPRICED_MODEL,
                5_000,
            ),
        ];
        let b = key_budget("b", "key_a", 50);
        let p = progress(
            &b,
            &priced(&records),
            &nobody(),
            &Zone::utc(),
            utc(april(4), 0),
        );
        assert_eq!(p.spent, Amount::Usd(usd(10)));
        assert!(p.understated);
        assert_eq!(p.unpriced_tokens, 5_000);
        // A token budget counts the unpriced tokens too.
        let b = tokens_budget(1_000_000);
        let p = progress(
            &b,
            &priced(&records),
            &nobody(),
            &Zone::utc(),
            utc(april(4), 0),
        );
        assert_eq!(p.spent, Amount::Tokens(4_005_000));
        assert!(!p.understated);
        assert_eq!(p.unpriced_tokens, 0);
    }

    #[test]
    fn the_forecast_runs_the_pace_so_far_to_the_period_end() {
        let records: Vec<_> = (1..=10)
            .map(|d| spend("key_a", utc(april(d), 0), 100))
            .collect();
        let b = key_budget("b", "key_a", 25);
        let now = utc(april(11), 0);
        let p = progress(&b, &priced(&records), &nobody(), &Zone::utc(), now);
        assert_eq!(p.spent, Amount::Usd(usd(10)));
        assert_eq!(p.forecast, Amount::Usd(usd(30)));
        assert!(p.forecast_exceeds());
        assert_eq!(p.days_left, 19);
        assert_eq!(p.today, april(11));

        let b = tokens_budget(10_000_000);
        let p = progress(&b, &priced(&records), &nobody(), &Zone::utc(), now);
        assert_eq!(p.forecast, Amount::Tokens(12_000_000));
        assert!(p.forecast_exceeds());
    }

    #[test]
    fn a_daily_budget_counts_today_alone() {
        let records = [
            hourly("key_a", utc(april(3), 23), 50),
            hourly("key_a", utc(april(4), 1), 70),
        ];
        let scope = Scope::Organization;
        let b = budget("b", scope, Every::Day, Limit::Tokens(100));
        let p = progress(
            &b,
            &priced(&records),
            &nobody(),
            &Zone::utc(),
            utc(april(4), 2),
        );
        assert_eq!(p.spent, Amount::Tokens(70));
        assert_eq!(p.days_left, 0);
        assert_eq!(p.remaining(), Amount::Tokens(30));
    }

    #[test]
    fn a_user_budget_counts_the_usage_of_the_keys_the_account_owns() {
        let mut by_ada = spend("key_ada", utc(april(2), 0), 100);
        by_ada.user_id = Some("user-ada".into());
        // A service account's key: its rows name no user.
        let mut by_robot = spend("key_robot", utc(april(3), 0), 200);
        by_robot.user_id = None;
        let records = [by_ada, by_robot];
        let robot = crate::domain::keys::ApiKey {
            connection_id: CONNECTION.into(),
            id: "key_robot".into(),
            project_id: "proj_1".into(),
            name: "robot".into(),
            redacted_value: "sk-...bot1".into(),
            owner: Some(crate::domain::keys::KeyOwner {
                kind: crate::domain::keys::OwnerKind::ServiceAccount,
                id: "svc_robot".into(),
                name: "CI".into(),
            }),
            created_at: None,
            last_used_at: None,
            deleted_at: None,
            notes: Default::default(),
        };
        let keys = [robot];
        let directory = Directory::new(&keys, &[], &[]);
        let now = utc(april(10), 0);
        let of = |id: &str| {
            let scope = Scope::User { id: id.into() };
            budget("b", scope, Every::Month, Limit::Usd(usd(50)))
        };
        let rows = priced(&records);

        let robot =
            progress(&of("svc_robot"), &rows, &directory, &Zone::utc(), now);
        let ada =
            progress(&of("user-ada"), &rows, &directory, &Zone::utc(), now);

        assert_eq!(robot.spent, Amount::Usd(cents(200)));
        assert_eq!(ada.spent, Amount::Usd(cents(100)));
        let unknown =
            progress(&of("svc_robot"), &rows, &nobody(), &Zone::utc(), now);
        assert_eq!(unknown.spent, Amount::Usd(Usd::ZERO));
    }
}

//! Alerts from budgets, burn watches and key listings.
//!
//! Every alert's id is a natural key (budget, period and threshold;
//! watch and hour; key), and the evaluations here raise only alerts
//! whose id is not among those already kept. Running them again on the
//! same data, or after every sync, therefore raises nothing twice, and
//! an alert the user deleted stays deleted for as long as its id is
//! passed back in.

use crate::domain::analytics::directory::Directory;
use std::collections::HashSet;

use super::label::{
    budget_phrase, sentence_subject, spent_text, understated_note,
};
use super::progress::Progress;
use super::{Alert, AlertKind, Budget, BurnWatch, Limit, Scope};
use crate::domain::analytics::burn::{burn, Burn, LAST_HOUR};
use crate::domain::analytics::rows::Row;
use crate::domain::keys::{visible_name, ApiKey};
use crate::domain::money::group_thousands;

/// The natural key of an alert of `kind` in organization
/// `connection_id`: one per budget, period and threshold, one per watch
/// and hour, one per key.
pub fn alert_id(kind: &AlertKind, connection_id: &str) -> String {
    match kind {
        AlertKind::Threshold {
            budget_id,
            period_first,
            threshold,
        } => format!(
            "{connection_id}/threshold/{budget_id}/{period_first}/{threshold}"
        ),
        AlertKind::Burn { watch_id, hour } => {
            format!("{connection_id}/burn/{watch_id}/{hour}")
        }
        AlertKind::NewKey { key_id } => {
            format!("{connection_id}/new_key/{key_id}")
        }
    }
}

/// The alerts of the thresholds `budget` reached in the period of
/// `progress`, one per threshold, each once per period: a threshold
/// whose alert is among `existing` ids is skipped, and spending that
/// jumps past several raises each of them. A budget made in the middle
/// of a period raises the thresholds already behind it at once. A
/// paused budget raises none. `scope_name` comes from
/// `label::scope_name`.
pub fn threshold_alerts(
    budget: &Budget,
    progress: &Progress,
    existing: &HashSet<String>,
    now: i64,
    scope_name: &str,
) -> Vec<Alert> {
    if budget.paused {
        return Vec::new();
    }
    let mut thresholds = budget.thresholds.clone();
    thresholds.sort_unstable();
    thresholds.dedup();

    let subject = sentence_subject(&budget.scope, scope_name);
    let phrase = budget_phrase(budget.limit, budget.period);
    let spent = spent_text(progress.spent);
    let note = match budget.limit {
        Limit::Usd(_) => {
            understated_note(progress.understated, progress.unpriced_tokens)
        }
        Limit::Tokens(_) => None,
    };

    let mut alerts = Vec::new();
    for threshold in thresholds.into_iter().filter(|t| progress.reached(*t)) {
        let kind = AlertKind::Threshold {
            budget_id: budget.id.clone(),
            period_first: progress.days.first,
            threshold,
        };
        if existing.contains(&alert_id(&kind, &budget.connection_id)) {
            continue;
        }
        let mut message = format!(
            "{subject} reached {threshold} % of its {phrase}: {spent}."
        );
        if let Some(note) = &note {
            message = format!("{message} {note}");
        }
        alerts.push(raise(kind, &budget.connection_id, now, message));
    }
    alerts
}

/// The alert of `watch` when its scope's pace over the last hour is
/// above the watch's limit per hour: at most one per watch and clock
/// hour of `now`. `rows` are the organization's priced rows of every
/// width (any superset of the scope's): hourly ones give the pace, and
/// all of them tell since when the scope has been seen. The pace is
/// usage over the time it was observed (see `analytics::burn`), so it is
/// never negative, and usage that falls back below the limit raises
/// nothing. A paused watch raises nothing either.
pub fn burn_alerts(
    watch: &BurnWatch,
    rows: &[Row],
    directory: &Directory,
    now: i64,
    existing: &HashSet<String>,
    scope_name: &str,
) -> Vec<Alert> {
    if watch.paused {
        return Vec::new();
    }
    let kind = AlertKind::Burn {
        watch_id: watch.id.clone(),
        hour: now - now.rem_euclid(LAST_HOUR),
    };
    if existing.contains(&alert_id(&kind, &watch.connection_id)) {
        return Vec::new();
    }
    let scope = watch.scope.rows(&watch.connection_id, rows, directory);
    let pace = burn(&scope, now, LAST_HOUR);
    if !above(&pace, watch.limit) {
        return Vec::new();
    }
    let message = burn_message(&watch.scope, scope_name, &pace, watch.limit);
    vec![raise(kind, &watch.connection_id, now, message)]
}

/// The alerts of the keys in `after` that `known_before` lacks, one per
/// key, in the key's own organization. An organization of which
/// `known_before` holds no key at all raises none: that is its first
/// sync, whose every key is "new", and a flood of notices about keys
/// that existed long before keymeter saw them would only bury the ones
/// that matter.
pub fn new_key_alerts(
    known_before: &[ApiKey],
    after: &[ApiKey],
    existing: &HashSet<String>,
    now: i64,
) -> Vec<Alert> {
    let known: HashSet<(&str, &str)> = known_before
        .iter()
        .map(|k| (k.connection_id.as_str(), k.id.as_str()))
        .collect();
    let synced_before: HashSet<&str> =
        known.iter().map(|(connection, _)| *connection).collect();

    let mut alerts: Vec<Alert> = Vec::new();
    for key in after {
        let connection = key.connection_id.as_str();
        if !synced_before.contains(connection)
            || known.contains(&(connection, key.id.as_str()))
        {
            continue;
        }
        let kind = AlertKind::NewKey {
            key_id: key.id.clone(),
        };
        let id = alert_id(&kind, connection);
        // A listing names each key once; a repeated one is still one key.
        if existing.contains(&id) || alerts.iter().any(|a| a.id == id) {
            continue;
        }
        let message = format!(
            "A sync found a new API key: {} ({}).",
            visible_name(key.display_name()),
            key.masked()
        );
        alerts.push(raise(kind, connection, now, message));
    }
    alerts
}

/// Whether `pace` is above `limit` an hour, compared exactly: usage
/// times an hour against the limit times the seconds observed.
fn above(pace: &Burn, limit: Limit) -> bool {
    let (used, allowed) = match limit {
        Limit::Usd(amount) => (pace.tally.cost.0, amount.0),
        Limit::Tokens(tokens) => {
            (u128::from(pace.tally.tokens), u128::from(tokens))
        }
    };
    let span = u128::try_from(pace.span).unwrap_or(u128::MAX);
    used.saturating_mul(LAST_HOUR as u128) > allowed.saturating_mul(span)
}

fn burn_message(
    scope: &Scope,
    scope_name: &str,
    pace: &Burn,
    limit: Limit,
) -> String {
    let subject = sentence_subject(scope, scope_name);
    let (verb, rate, allowed, note) = match limit {
        Limit::Usd(amount) => (
            "spending",
            pace.cost_per_hour().display(),
            amount.display(),
            understated_note(
                pace.tally.is_understated(),
                pace.tally.unpriced_tokens,
            ),
        ),
        Limit::Tokens(tokens) => (
            "using",
            tokens_an_hour(pace),
            format!("{} tokens", group_thousands(&tokens.to_string())),
            None,
        ),
    };
    let message = format!(
        "{subject} is {verb} {rate} an hour, above the {allowed} an hour \
         its burn watch allows."
    );
    match note {
        Some(note) => format!("{message} {note}"),
        None => message,
    }
}

/// `120,000 tokens`: the pace of `pace` per hour, rounded down.
fn tokens_an_hour(pace: &Burn) -> String {
    let span = u128::try_from(pace.span.max(1)).unwrap_or(1);
    let per_hour = u128::from(pace.tally.tokens) * LAST_HOUR as u128 / span;
    format!("{} tokens", group_thousands(&per_hour.to_string()))
}

fn raise(
    kind: AlertKind,
    connection_id: &str,
    at: i64,
    message: String,
) -> Alert {
    Alert {
        id: alert_id(&kind, connection_id),
        connection_id: connection_id.to_owned(),
        kind,
        at,
        message,
        acknowledged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budget::fixtures::{
        budget, hourly, key_budget, nobody, priced, spend, usage, usd, utc,
        HOUR, UNPRICED_MODEL,
    };
    use crate::domain::budget::progress::progress;
    use crate::domain::budget::{Period, Scope};
    use crate::domain::demo::demo_org;
    use crate::domain::money::Usd;
    use crate::domain::time::Date;
    use crate::domain::usage::{BucketWidth, UsageRecord};
    use crate::domain::zone::Zone;

    const NAME: &str = "api-server (Production)";
    const NOTHING: [u32; 0] = [];

    fn april(day: u32) -> Date {
        Date::new(2026, 4, day)
    }

    /// Evaluates `budget` on `records` at `now`, keeps the raised ids in
    /// `existing` as the alert centre does, and gives the thresholds
    /// raised.
    fn evaluate(
        budget: &Budget,
        records: &[UsageRecord],
        now: i64,
        existing: &mut HashSet<String>,
    ) -> Vec<u32> {
        let alerts = raised(budget, records, now, existing);
        alerts
            .iter()
            .map(|alert| match alert.kind {
                AlertKind::Threshold { threshold, .. } => threshold,
                _ => panic!("not a threshold alert: {alert:?}"),
            })
            .collect()
    }

    fn raised(
        budget: &Budget,
        records: &[UsageRecord],
        now: i64,
        existing: &mut HashSet<String>,
    ) -> Vec<Alert> {
        let rows = priced(records);
        let p = progress(budget, &rows, &nobody(), &Zone::utc(), now);
        let alerts = threshold_alerts(budget, &p, existing, now, NAME);
        existing.extend(alerts.iter().map(|a| a.id.clone()));
        alerts
    }

    /// The month so far of `key` as one daily row costing `cents`.
    fn month_to_date(key: &str, cents: u64) -> Vec<UsageRecord> {
        vec![spend(key, utc(april(1), 0), cents)]
    }

    #[test]
    fn each_threshold_fires_once_a_month() {
        let b = key_budget("b1", "key_a", 50);
        let mut existing = HashSet::new();
        let now = utc(april(15), 12);
        let steps = [(2_000, vec![]), (4_100, vec![50, 80]), (4_500, vec![])];
        for (spent, expected) in steps {
            let records = month_to_date("key_a", spent);
            assert_eq!(evaluate(&b, &records, now, &mut existing), expected);
        }
        let over = month_to_date("key_a", 5_001);
        assert_eq!(evaluate(&b, &over, now, &mut existing), [100]);
        assert_eq!(evaluate(&b, &over, now + HOUR, &mut existing), NOTHING);
        assert_eq!(existing.len(), 3);
    }

    #[test]
    fn the_message_says_who_how_far_of_what_and_how_much() {
        let b = key_budget("b1", "key_a", 50);
        let records = month_to_date("key_a", 4_100);
        let now = utc(april(15), 12);
        let alerts = raised(&b, &records, now, &mut HashSet::new());
        assert_eq!(
            alerts[1].message,
            "api-server (Production) reached 80 % of its $50.00 monthly \
             budget: $41.00 spent."
        );
        assert_eq!(alerts[1].at, now);
        assert_eq!(alerts[1].connection_id, "c");
        assert!(!alerts[1].acknowledged);
        assert_eq!(alerts[1].id, "c/threshold/b1/2026-04-01/80");
    }

    #[test]
    fn two_keys_crossing_the_same_day_raise_two_alerts() {
        let a = key_budget("budget-a", "key_a", 50);
        let b = key_budget("budget-b", "key_b", 50);
        let mut records = month_to_date("key_a", 4_000);
        records.extend(month_to_date("key_b", 4_200));
        let mut existing = HashSet::new();
        let now = utc(april(8), 9);
        let raised_a = evaluate(&a, &records, now, &mut existing);
        let raised_b = evaluate(&b, &records, now, &mut existing);
        assert_eq!((raised_a, raised_b), (vec![50, 80], vec![50, 80]));
        assert_eq!(existing.len(), 4);
    }

    #[test]
    fn a_jump_past_several_thresholds_records_each() {
        let b = key_budget("b1", "key_a", 50);
        let mut existing = HashSet::new();
        let now = utc(april(20), 0);
        let ten_percent = month_to_date("key_a", 500);
        assert_eq!(evaluate(&b, &ten_percent, now, &mut existing), NOTHING);
        let over = month_to_date("key_a", 6_000);
        assert_eq!(evaluate(&b, &over, now, &mut existing), [50, 80, 100]);
    }

    #[test]
    fn a_new_period_starts_clean() {
        let b = key_budget("b1", "key_a", 50);
        let mut existing = HashSet::new();
        let mut records = month_to_date("key_a", 6_000);
        let april_end = utc(april(30), 23);
        assert_eq!(evaluate(&b, &records, april_end, &mut existing).len(), 3);

        let may = Date::new(2026, 5, 1);
        let may_3 = utc(may.add_days(2), 0);
        assert_eq!(evaluate(&b, &records, may_3, &mut existing), NOTHING);
        records.push(spend("key_a", utc(may, 0), 2_600));
        assert_eq!(evaluate(&b, &records, may_3, &mut existing), [50]);
        records.push(spend("key_a", utc(may.add_days(1), 0), 2_500));
        assert_eq!(evaluate(&b, &records, may_3, &mut existing), [80, 100]);
        assert!(existing.contains("c/threshold/b1/2026-05-01/100"));
        assert!(existing.contains("c/threshold/b1/2026-04-01/100"));
    }

    #[test]
    fn weekly_periods_are_told_apart_by_their_first_day() {
        let scope = Scope::Key { id: "key_a".into() };
        let week = Period::Week { first_day: 6 };
        let b = budget("w", scope, week, Limit::Usd(usd(10)));
        let mut existing = HashSet::new();
        // Sunday April 5 and Sunday April 12 start two weeks.
        let first = [spend("key_a", utc(april(6), 0), 1_000)];
        let now = utc(april(7), 0);
        assert_eq!(evaluate(&b, &first, now, &mut existing), [50, 80, 100]);
        let second = [spend("key_a", utc(april(13), 0), 600)];
        let now = utc(april(14), 0);
        assert_eq!(evaluate(&b, &second, now, &mut existing), [50]);
        assert!(existing.contains("c/threshold/w/2026-04-12/50"));
    }

    #[test]
    fn token_budgets_work_as_dollar_budgets_do() {
        let scope = Scope::Key { id: "key_a".into() };
        let limit = Limit::Tokens(2_000_000);
        let b = budget("t", scope, Period::Month, limit);
        let mut existing = HashSet::new();
        let now = utc(april(10), 0);
        let used = |tokens| {
            let model = UNPRICED_MODEL;
            vec![usage(
                "key_a",
                BucketWidth::Day,
                utc(april(2), 0),
                model,
                tokens,
            )]
        };
        assert_eq!(evaluate(&b, &used(999_999), now, &mut existing), NOTHING);
        let alerts = raised(&b, &used(1_600_000), now, &mut existing);
        assert_eq!(alerts.len(), 2);
        assert_eq!(
            alerts[1].message,
            "api-server (Production) reached 80 % of its 2,000,000-token \
             monthly budget: 1,600,000 tokens used."
        );
        assert_eq!(evaluate(&b, &used(2_000_000), now, &mut existing), [100]);
    }

    #[test]
    fn a_dollar_alert_with_unpriced_usage_says_it_is_understated() {
        let b = key_budget("b1", "key_a", 50);
        let mut records = month_to_date("key_a", 2_500);
        let model = UNPRICED_MODEL;
        let start = utc(april(2), 0);
        records.push(usage("key_a", BucketWidth::Day, start, model, 75_000));
        let alerts =
            raised(&b, &records, utc(april(3), 0), &mut HashSet::new());
        assert_eq!(
            alerts[0].message,
            "api-server (Production) reached 50 % of its $50.00 monthly \
             budget: $25.00 spent. Understated: 75,000 tokens have no \
             price."
        );
    }

    #[test]
    fn a_paused_budget_raises_nothing() {
        let mut b = key_budget("b1", "key_a", 50);
        b.paused = true;
        let records = month_to_date("key_a", 9_000);
        let mut existing = HashSet::new();
        assert_eq!(
            evaluate(&b, &records, utc(april(9), 0), &mut existing),
            NOTHING
        );
    }

    #[test]
    fn thresholds_out_of_order_or_repeated_fire_once_each() {
        let mut b = key_budget("b1", "key_a", 50);
        b.thresholds = vec![80, 50, 80, 150];
        let records = month_to_date("key_a", 8_000);
        let mut existing = HashSet::new();
        let now = utc(april(9), 0);
        assert_eq!(evaluate(&b, &records, now, &mut existing), [50, 80, 150]);
    }

    #[test]
    fn the_organization_opens_its_sentence_with_a_capital() {
        let limit = Limit::Usd(usd(10));
        let b = budget("o", Scope::Organization, Period::Day, limit);
        let records = [hourly("key_a", utc(april(9), 1), 2_000_000)];
        let now = utc(april(9), 3);
        let p = progress(&b, &priced(&records), &nobody(), &Zone::utc(), now);
        let name = "the organization";
        let alerts = threshold_alerts(&b, &p, &HashSet::new(), now, name);
        assert_eq!(
            alerts[0].message,
            "The organization reached 50 % of its $10.00 daily budget: \
             $5.00 spent."
        );
    }

    fn watch(limit: Limit) -> BurnWatch {
        BurnWatch {
            id: "w1".into(),
            connection_id: "c".into(),
            scope: Scope::Key { id: "key_a".into() },
            limit,
            paused: false,
            created_at: 0,
        }
    }

    /// A key seen for days, then `tokens` in the hour before 14:00Z.
    fn last_hour(tokens: u64) -> Vec<UsageRecord> {
        vec![
            spend("key_a", utc(april(5), 0), 1),
            hourly("key_a", utc(april(10), 13), tokens),
        ]
    }

    #[test]
    fn a_pace_above_the_watch_raises_one_alert_an_hour() {
        // 1,200,000 gpt-4o tokens cost $3.00.
        let records = last_hour(1_200_000);
        let rows = priced(&records);
        let w = watch(Limit::Usd(usd(2)));
        let mut existing = HashSet::new();
        let now = utc(april(10), 14);
        let alerts = burn_alerts(&w, &rows, &nobody(), now, &existing, NAME);
        assert_eq!(alerts.len(), 1);
        assert_eq!(
            alerts[0].message,
            "api-server (Production) is spending $3.00 an hour, above the \
             $2.00 an hour its burn watch allows."
        );
        assert_eq!(alerts[0].id, format!("c/burn/w1/{now}"));
        existing.insert(alerts[0].id.clone());
        let later = now + 30 * 60;
        assert_eq!(
            burn_alerts(&w, &rows, &nobody(), later, &existing, NAME),
            []
        );
        // An hour on, the hour before still counts at $2.00 an hour over
        // the 90 minutes observed: not above.
        let next = now + HOUR + 30 * 60;
        assert_eq!(
            burn_alerts(&w, &rows, &nobody(), next, &existing, NAME),
            []
        );
    }

    #[test]
    fn a_pace_at_the_limit_or_below_raises_nothing() {
        let w = watch(Limit::Usd(usd(3)));
        let records = last_hour(1_200_000);
        let now = utc(april(10), 14);
        let none = HashSet::new();
        assert_eq!(
            burn_alerts(&w, &priced(&records), &nobody(), now, &none, NAME),
            []
        );
        assert_eq!(burn_alerts(&w, &[], &nobody(), now, &none, NAME), []);
    }

    #[test]
    fn falling_usage_below_the_rate_never_fires() {
        // From $10 an hour down to $1.00 in the last hour.
        let now = utc(april(10), 14);
        let records: Vec<_> = (0..24)
            .map(|h| {
                let tokens = 4_000_000 - h as u64 * 156_521;
                hourly("key_a", now - (24 - h) * HOUR, tokens.max(400_000))
            })
            .chain([spend("key_a", utc(april(1), 0), 1)])
            .collect();
        let w = watch(Limit::Usd(usd(2)));
        let alerts = burn_alerts(
            &w,
            &priced(&records),
            &nobody(),
            now,
            &HashSet::new(),
            NAME,
        );
        assert_eq!(alerts, []);
        let rows = priced(&records);
        let pace = burn(&rows, now, LAST_HOUR);
        assert!(
            pace.cost_per_hour() > Usd::ZERO && pace.cost_per_hour() <= usd(2)
        );
    }

    #[test]
    fn token_watches_compare_tokens_an_hour() {
        let records = last_hour(120_000);
        let now = utc(april(10), 14);
        let w = watch(Limit::Tokens(100_000));
        let alerts = burn_alerts(
            &w,
            &priced(&records),
            &nobody(),
            now,
            &HashSet::new(),
            NAME,
        );
        assert_eq!(
            alerts[0].message,
            "api-server (Production) is using 120,000 tokens an hour, above \
             the 100,000 tokens an hour its burn watch allows."
        );
        let mut paused = w.clone();
        paused.paused = true;
        assert_eq!(
            burn_alerts(
                &paused,
                &priced(&records),
                &nobody(),
                now,
                &HashSet::new(),
                NAME
            ),
            []
        );
        let other = Scope::Key { id: "key_b".into() };
        let elsewhere = BurnWatch { scope: other, ..w };
        assert_eq!(
            burn_alerts(
                &elsewhere,
                &priced(&records),
                &nobody(),
                now,
                &HashSet::new(),
                NAME
            ),
            []
        );
    }

    #[test]
    fn the_first_sync_of_an_organization_raises_no_new_key_alerts() {
        let org = demo_org("c", april(1), 1);
        let none = HashSet::new();
        assert_eq!(new_key_alerts(&[], &org.keys, &none, 0), []);
        // Another organization's keys do not make this one's first sync
        // a later one.
        let other = demo_org("d", april(1), 1);
        assert_eq!(new_key_alerts(&other.keys, &org.keys, &none, 0), []);
    }

    #[test]
    fn a_key_a_later_sync_finds_raises_one_alert() {
        let org = demo_org("c", april(1), 1);
        let (before, after) = (&org.keys[..8], &org.keys[..]);
        let mut existing = HashSet::new();
        let now = utc(april(2), 8);
        let alerts = new_key_alerts(before, after, &existing, now);
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].id, "c/new_key/key_demoUnused000009");
        assert_eq!(
            alerts[0].message,
            "A sync found a new API key: unused-key (…0009)."
        );
        existing.insert(alerts[0].id.clone());
        assert_eq!(new_key_alerts(before, after, &existing, now), []);
        let twice: Vec<_> = after.iter().chain(&after[8..]).cloned().collect();
        assert_eq!(
            new_key_alerts(before, &twice, &HashSet::new(), now).len(),
            1
        );
    }

    #[test]
    fn alert_ids_keep_kinds_organizations_and_periods_apart() {
        let threshold = |first| AlertKind::Threshold {
            budget_id: "b".into(),
            period_first: first,
            threshold: 80,
        };
        let ids: HashSet<String> = [
            alert_id(&threshold(april(1)), "c"),
            alert_id(&threshold(Date::new(2026, 5, 1)), "c"),
            alert_id(&threshold(april(1)), "d"),
            alert_id(
                &AlertKind::Burn {
                    watch_id: "b".into(),
                    hour: 0,
                },
                "c",
            ),
            alert_id(&AlertKind::NewKey { key_id: "b".into() }, "c"),
        ]
        .into();
        assert_eq!(ids.len(), 5);
    }
}

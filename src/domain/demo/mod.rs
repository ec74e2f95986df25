//! A made-up organization, the same on every run, so a newcomer sees the
//! product without an admin key and tests have known totals. The local mock
//! API serves exactly this data.

mod costs;
mod hours;
mod kinds;

pub use hours::split_into_hours;

use super::cost::CostRecord;
use super::keys::{ApiKey, KeyNotes, KeyOwner, OwnerKind, Project};
use super::name::Name;
use super::people::Person;
use super::sort;
use super::time::{Date, DAY};
use super::usage::{BucketWidth, Span, TokenCounts, UsageKind, UsageRecord};

/// A member of the organization.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// Everything the demo organization holds.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoOrg {
    pub projects: Vec<Project>,
    pub users: Vec<User>,
    pub keys: Vec<ApiKey>,
    /// Daily usage of every kind, grouped as finely as each kind allows,
    /// oldest first. Hourly usage is these rows split by
    /// `split_into_hours`.
    pub usage: Vec<UsageRecord>,
    /// What OpenAI billed per day, project and line item.
    pub costs: Vec<CostRecord>,
}

/// Days of history the page's demo holds.
pub const DEMO_DAYS: u32 = 90;

/// The newest UTC days that also have hourly rows, as a sync stores them:
/// today and the 30 days before, so that the last 30 local days are whole
/// in zones east of UTC too.
pub const DEMO_HOURLY_DAYS: i64 = 31;

/// Everything the page stores for the demo at `now`: the daily rows, and
/// hourly rows for the newest `DEMO_HOURLY_DAYS` days. Nothing starts
/// after `now`: today holds only its hours so far, and today's daily rows
/// hold what those hours hold, as a sync at `now` would find them.
pub fn stored_usage(org: &DemoOrg, now: i64) -> Vec<UsageRecord> {
    let newest = org.usage.last().map_or(0, |r| r.start_time);
    let hourly_from = newest - (DEMO_HOURLY_DAYS - 1) * DAY;
    let mut usage = Vec::with_capacity(org.usage.len() * 8);
    for day in &org.usage {
        if day.start_time > now {
            continue;
        }
        if day.start_time < hourly_from {
            usage.push(day.clone());
            continue;
        }
        let hours: Vec<UsageRecord> = split_into_hours(day)
            .into_iter()
            .filter(|hour| hour.start_time <= now)
            .collect();
        if day.end_time() <= now {
            usage.push(day.clone());
        } else {
            let mut so_far = TokenCounts::default();
            for hour in &hours {
                so_far.add(&hour.counts.unpack());
            }
            // Stored bytes are a level, the same in every hour.
            so_far.usage_bytes = day.counts.unpack().usage_bytes;
            usage.push(UsageRecord {
                counts: so_far.into(),
                ..day.clone()
            });
        }
        usage.extend(hours);
    }
    usage
}

/// The demo as a sync at `now` would store it: `stored_usage`, bills for
/// the usage so far (today's bill covers today's hours so far, not the
/// whole day), and no key last used after its newest usage.
pub fn as_synced(org: &DemoOrg, now: i64) -> DemoOrg {
    let usage = stored_usage(org, now);
    let daily: Vec<UsageRecord> = usage
        .iter()
        .filter(|r| r.width == BucketWidth::Day)
        .cloned()
        .collect();
    let keys = org
        .keys
        .iter()
        .map(|key| {
            let newest = usage
                .iter()
                .filter(|r| r.width == BucketWidth::Hour)
                .filter(|r| r.api_key_id.as_deref() == Some(key.id.as_str()))
                .map(|r| r.start_time)
                .max();
            ApiKey {
                last_used_at: key
                    .last_used_at
                    .map(|at| newest.unwrap_or(at).min(now)),
                ..key.clone()
            }
        })
        .collect();
    DemoOrg {
        projects: org.projects.clone(),
        users: org.users.clone(),
        keys,
        costs: costs::billed(&daily),
        usage,
    }
}

/// The demo's users and the service accounts owning its keys, as the
/// people a sync stores.
pub fn people(org: &DemoOrg, connection_id: &str) -> Vec<Person> {
    let users = org.users.iter().map(|u| Person {
        connection_id: connection_id.to_owned(),
        id: u.id.clone(),
        kind: OwnerKind::User,
        name: u.name.clone(),
        email: Some(u.email.clone()),
        role: Some(u.role.clone()),
    });
    let mut accounts: Vec<Person> = Vec::new();
    for owner in org.keys.iter().filter_map(|k| k.owner.as_ref()) {
        let new = owner.kind == OwnerKind::ServiceAccount
            && !accounts.iter().any(|a| a.id == owner.id);
        if new {
            accounts.push(Person {
                connection_id: connection_id.to_owned(),
                id: owner.id.clone(),
                kind: OwnerKind::ServiceAccount,
                name: owner.name.clone(),
                email: None,
                role: None,
            });
        }
    }
    users.chain(accounts).collect()
}

/// The connection id under which the demo is stored in the page.
pub const DEMO_CONNECTION: &str = "demo";

/// A model newer than keymeter's price table, so that the demo shows
/// unpriced usage: counted everywhere, costed nowhere.
pub const PREVIEW_MODEL: &str = "gpt-6-preview-2026-01-15";

/// How busy a key is, and on what.
struct Profile {
    key: usize,
    user: Option<usize>,
    /// (model, share of the key's requests, batch)
    models: &'static [(&'static str, u32, bool)],
    requests_per_day: u64,
    tokens_per_request: u64,
    cache_percent: u64,
}

const PROJECTS: [(&str, &str, bool); 4] = [
    ("proj_demoProduction000000001", "Production", false),
    ("proj_demoStaging00000000002", "Staging", false),
    ("proj_demoResearch0000000003", "Research", false),
    ("proj_demoLegacyPilot0000004", "Legacy pilot", true),
];

const USERS: [(&str, &str, &str); 4] = [
    ("user-demoAda000000000000001", "Ada Lovelace", "owner"),
    ("user-demoGrace0000000000002", "Grace Hopper", "reader"),
    ("user-demoAlan00000000000003", "Alan Turing", "reader"),
    ("user-demoWen000000000000004", "Wen Li", "reader"),
];

/// (id, project index, name, owner user index or service account name)
const KEYS: [(&str, usize, &str, Result<usize, &str>); 9] = [
    (
        "key_demoApiServer001",
        0,
        "api-server",
        Err("checkout-service"),
    ),
    (
        "key_demoBatchJobs002",
        0,
        "nightly-batch",
        Err("batch-runner"),
    ),
    ("key_demoDefaultP0003", 0, "default", Ok(0)),
    ("key_demoDefaultS0004", 1, "default", Ok(1)),
    ("key_demoCiTests00005", 1, "ci-tests", Err("github-actions")),
    ("key_demoNotebook0006", 2, "notebook-alan", Ok(2)),
    ("key_demoZhKey0000007", 2, "生产环境", Ok(3)),
    ("key_demoPilot0000008", 3, "Producción piloto", Ok(0)),
    ("key_demoUnused000009", 1, "unused-key", Ok(1)),
];

const PROFILES: [Profile; 8] = [
    Profile {
        key: 0,
        user: None,
        models: &[
            ("gpt-4o-2024-08-06", 5, false),
            ("gpt-4o-mini-2024-07-18", 12, false),
            ("gpt-5-mini-2025-08-07", 3, false),
        ],
        requests_per_day: 2_400,
        tokens_per_request: 1_800,
        cache_percent: 45,
    },
    Profile {
        key: 1,
        user: None,
        models: &[("gpt-4o-mini-2024-07-18", 1, true)],
        requests_per_day: 6_000,
        tokens_per_request: 900,
        cache_percent: 0,
    },
    Profile {
        key: 2,
        user: Some(0),
        models: &[("gpt-4.1-2025-04-14", 1, false)],
        requests_per_day: 120,
        tokens_per_request: 3_000,
        cache_percent: 30,
    },
    Profile {
        key: 3,
        user: Some(1),
        models: &[("gpt-4.1-mini-2025-04-14", 1, false)],
        requests_per_day: 300,
        tokens_per_request: 1_200,
        cache_percent: 20,
    },
    Profile {
        key: 4,
        user: None,
        models: &[("gpt-5-nano-2025-08-07", 1, false)],
        requests_per_day: 800,
        tokens_per_request: 600,
        cache_percent: 60,
    },
    Profile {
        key: 5,
        user: Some(2),
        models: &[
            ("o3-2025-04-16", 1, false),
            ("ft:gpt-4o-mini-2024-07-18:demo-org::A1b2C3d4", 1, false),
        ],
        requests_per_day: 60,
        tokens_per_request: 4_000,
        cache_percent: 10,
    },
    Profile {
        key: 6,
        user: Some(3),
        models: &[("gpt-5-2025-08-07", 1, false)],
        requests_per_day: 150,
        tokens_per_request: 2_500,
        cache_percent: 35,
    },
    Profile {
        key: 7,
        user: Some(0),
        models: &[("gpt-4o-2024-05-13", 1, false)],
        requests_per_day: 40,
        tokens_per_request: 1_500,
        cache_percent: 0,
    },
];

/// A small, seedable generator (SplitMix64): the demo must be identical on
/// every machine, so no platform randomness is used.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// A generator for the day starting at `start`.
    pub(crate) fn for_day(seed: u64, start: i64) -> Rng {
        let day = start.div_euclid(DAY) as u64;
        let mut rng = Rng(seed ^ day.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next();
        rng
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A factor in percent between `low` and `high`.
    pub(crate) fn percent(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// Builds the demo organization with `days` days of usage ending with
/// `last_day` (inclusive), stored under `connection_id`.
pub fn demo_org(connection_id: &str, last_day: Date, days: u32) -> DemoOrg {
    let projects = PROJECTS
        .iter()
        .map(|(id, name, archived)| Project {
            connection_id: connection_id.to_owned(),
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            archived: *archived,
        })
        .collect();
    let users: Vec<User> = USERS
        .iter()
        .map(|(id, name, role)| User {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            email: format!(
                "{}@example.com",
                name.split(' ').next().unwrap_or(name).to_lowercase()
            ),
            role: (*role).to_owned(),
        })
        .collect();
    let first_day =
        last_day.to_unix() - i64::from(days.saturating_sub(1)) * DAY;
    let keys = KEYS
        .iter()
        .enumerate()
        .map(|(i, (id, project, name, owner))| ApiKey {
            connection_id: connection_id.to_owned(),
            id: (*id).to_owned(),
            project_id: PROJECTS[*project].0.to_owned(),
            name: (*name).to_owned(),
            redacted_value: format!("sk-proj-****{}", &id[id.len() - 4..]),
            owner: Some(match owner {
                Ok(user) => KeyOwner {
                    kind: OwnerKind::User,
                    id: users[*user].id.clone(),
                    name: users[*user].name.clone(),
                },
                Err(account) => KeyOwner {
                    kind: OwnerKind::ServiceAccount,
                    id: format!("svc_acct_demo{i}"),
                    name: (*account).to_owned(),
                },
            }),
            created_at: Some(first_day - 30 * DAY + i as i64 * DAY),
            last_used_at: PROFILES
                .iter()
                .any(|p| p.key == i)
                .then(|| last_day.to_unix() + DAY / 2),
            deleted_at: None,
            notes: KeyNotes::default(),
        })
        .collect();

    let mut usage = Vec::new();
    for day in 0..i64::from(days) {
        let start = first_day + day * DAY;
        // Each day draws from its own seed, so a day looks the same
        // whatever period it is generated in (the demo and the mock agree).
        let mut rng = Rng::for_day(0x6B65_796D_6574_6572, start);
        // Weekdays are busier, and the organization grows over the period.
        let weekday = (start / DAY + 3).rem_euclid(7);
        let weekly = if weekday >= 5 { 55 } else { 100 };
        let growth = growth(start);
        for profile in &PROFILES {
            let shares: u32 = profile.models.iter().map(|m| m.1).sum();
            for (model, share, batch) in profile.models {
                let requests = profile.requests_per_day * u64::from(*share)
                    / u64::from(shares)
                    * weekly
                    * growth
                    * rng.percent(80, 120)
                    / 1_000_000;
                if requests == 0 {
                    continue;
                }
                usage.push(record(
                    connection_id,
                    start,
                    PROJECTS[KEYS[profile.key].1].0,
                    profile.user.map(|u| USERS[u].0),
                    Some(KEYS[profile.key].0),
                    model,
                    *batch,
                    counts(&mut rng, requests, profile),
                ));
            }
        }
        // Usage from an old user key that never opted into key attribution.
        let requests = 30 * rng.percent(50, 150) / 100;
        let legacy = Profile {
            key: 0,
            user: Some(1),
            models: &[],
            requests_per_day: requests,
            tokens_per_request: 700,
            cache_percent: 0,
        };
        usage.push(record(
            connection_id,
            start,
            PROJECTS[0].0,
            Some(USERS[1].0),
            None,
            "gpt-3.5-turbo-0125",
            false,
            counts(&mut rng, requests, &legacy),
        ));
        // A researcher trying a preview model. Drawn last, so that the
        // rows above stay what they were before it was added.
        let requests = 10 * rng.percent(50, 150) / 100;
        let preview = Profile {
            requests_per_day: requests,
            tokens_per_request: 2_000,
            ..legacy
        };
        usage.push(record(
            connection_id,
            start,
            PROJECTS[2].0,
            Some(USERS[2].0),
            Some(KEYS[5].0),
            PREVIEW_MODEL,
            false,
            counts(&mut rng, requests, &preview),
        ));
    }

    usage.extend(kinds::other_kinds(connection_id, first_day, days));
    sort::by_key(&mut usage, |r| r.start_time);
    let costs = costs::billed(&usage);
    DemoOrg {
        projects,
        users,
        keys,
        usage,
        costs,
    }
}

/// Usage grows through 2026 and levels off after: percent of full.
fn growth(start: i64) -> u64 {
    let since = start.div_euclid(DAY) - 20_454; // 2026-01-01
    70 + 30 * since.clamp(0, 365) as u64 / 365
}

fn counts(rng: &mut Rng, requests: u64, profile: &Profile) -> TokenCounts {
    let input =
        requests * profile.tokens_per_request * rng.percent(85, 115) / 100;
    let cached =
        input * profile.cache_percent / 100 * rng.percent(80, 100) / 100;
    let output = input * rng.percent(8, 25) / 100;
    TokenCounts {
        requests,
        input,
        cached_input: cached,
        output,
        ..TokenCounts::default()
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    connection_id: &str,
    start: i64,
    project: &str,
    user: Option<&str>,
    key: Option<&str>,
    model: &str,
    batch: bool,
    counts: TokenCounts,
) -> UsageRecord {
    UsageRecord {
        connection_id: connection_id.into(),
        kind: UsageKind::Completions,
        width: BucketWidth::Day,
        start_time: start,
        span: Span::of(BucketWidth::Day),
        project_id: Some(project.into()),
        user_id: user.map(Name::from),
        api_key_id: key.map(Name::from),
        model: Some(model.into()),
        batch: Some(batch),
        service_tier: Some("default".into()),
        size: None,
        source: None,
        counts: counts.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_accounts_owning_keys_are_people_with_names() {
        let org = demo_org("c", Date::new(2026, 3, 31), 3);
        let people = people(&org, "demo");
        let accounts: Vec<&Person> = people
            .iter()
            .filter(|p| p.kind == OwnerKind::ServiceAccount)
            .collect();
        assert!(accounts.len() >= 2, "{accounts:?}");
        for key in &org.keys {
            let Some(owner) = &key.owner else { continue };
            let person = people.iter().find(|p| p.id == owner.id);
            assert_eq!(person.map(|p| &p.name), Some(&owner.name));
        }
        let mut ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), people.len(), "each once");
    }

    #[test]
    fn the_stored_demo_holds_nothing_from_the_future_and_hours_sum_to_days() {
        let last = Date::new(2026, 12, 4);
        let org = demo_org("c", last, 40);
        let now = last.to_unix() + 18 * 3600 + 44 * 60;
        let usage = stored_usage(&org, now);
        assert!(usage.iter().all(|r| r.start_time <= now));
        let total = |width: BucketWidth, from: i64| -> u64 {
            usage
                .iter()
                .filter(|r| r.width == width && r.start_time >= from)
                .map(|r| r.counts.unpack())
                .map(|c| c.total_tokens() + c.requests)
                .sum()
        };
        let hourly_from = last.to_unix() - (DEMO_HOURLY_DAYS - 1) * DAY;
        assert!(total(BucketWidth::Hour, hourly_from) > 0);
        assert_eq!(
            total(BucketWidth::Hour, hourly_from),
            total(BucketWidth::Day, hourly_from),
            "today's daily rows hold exactly its hours so far"
        );
        let today_hours = usage
            .iter()
            .filter(|r| {
                r.width == BucketWidth::Hour && r.start_time >= last.to_unix()
            })
            .map(|r| r.start_time)
            .max();
        assert_eq!(today_hours, Some(last.to_unix() + 18 * 3600));
    }

    #[test]
    fn the_synced_demo_bills_today_so_far_and_no_key_is_used_in_the_future() {
        let last = Date::new(2026, 12, 4);
        let org = demo_org("c", last, 10);
        let now = last.to_unix() + 9 * 3600 + 5 * 60;
        let synced = as_synced(&org, now);
        let billed = |costs: &[CostRecord], day: i64| -> u128 {
            costs
                .iter()
                .filter(|c| c.start_time == day)
                .map(|c| c.amount.0)
                .sum()
        };
        let today = last.to_unix();
        let yesterday = today - DAY;
        assert_eq!(
            billed(&synced.costs, yesterday),
            billed(&org.costs, yesterday)
        );
        let so_far = billed(&synced.costs, today);
        assert!(0 < so_far && so_far < billed(&org.costs, today) / 2);
        for key in &synced.keys {
            assert!(key.last_used_at.is_none_or(|at| at <= now), "{}", key.id);
        }
        assert!(synced.keys.iter().any(|k| k.last_used_at.is_some()));
        assert_eq!(synced.usage, stored_usage(&org, now));
    }

    #[test]
    fn a_day_is_the_same_whatever_period_it_is_generated_in() {
        let last = Date {
            year: 2026,
            month: 6,
            day: 30,
        };
        let short = demo_org("c", last, 30);
        let long = demo_org("c", last, 120);
        let from = last.to_unix() - 29 * DAY;
        let recent: Vec<&UsageRecord> =
            long.usage.iter().filter(|r| r.start_time >= from).collect();
        assert_eq!(recent.len(), short.usage.len());
        assert!(recent.iter().zip(&short.usage).all(|(a, b)| *a == b));
    }

    #[test]
    fn the_demo_has_what_newcomers_should_see() {
        let last = Date {
            year: 2026,
            month: 6,
            day: 30,
        };
        let org = demo_org("c", last, 90);
        assert!(org.projects.len() >= 3 && org.keys.len() >= 8);
        assert!(org.keys.iter().any(|k| !k.name.is_ascii()));
        let used = |id: &str| {
            org.usage
                .iter()
                .any(|r| r.api_key_id.as_deref() == Some(id))
        };
        assert!(org.keys.iter().any(|k| !used(&k.id)), "a key without usage");
        assert!(
            org.usage.iter().any(|r| r.api_key_id.is_none()),
            "unattributed"
        );
        assert!(org.usage.iter().any(|r| r.batch == Some(true)));
        assert!(org.usage.iter().any(|r| r.counts.unpack().cached_input > 0));
        let prices = crate::domain::price::built_in_table();
        assert!(
            org.usage
                .iter()
                .any(|r| r.counts.unpack().total_tokens() > 0
                    && prices.estimate(r).is_none()),
            "unpriced usage"
        );
        let days: std::collections::BTreeSet<i64> =
            org.usage.iter().map(|r| r.start_time).collect();
        assert_eq!(days.len(), 90);
        assert!(!org.costs.is_empty());
    }
}

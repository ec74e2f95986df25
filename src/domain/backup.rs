//! One versioned JSON file holding everything keymeter knows, and the
//! checks a file must pass before anything is restored from it.
//!
//! A restore must never half-apply: the whole file is read and checked
//! here first (format, version, every section, every record, that every
//! record belongs to an organization in the file), and only a file that
//! passes is written, in one transaction. Admin keys are never in a
//! backup, not even sealed ones: a backup is a file that travels.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::budget::{Alert, Budget, BurnWatch};
use super::connection::Connection;
use super::cost::CostRecord;
use super::keys::{ApiKey, Project};
use super::people::Person;
use super::price::PriceEntry;
use super::sort;
use super::sync_plan::SyncPosition;
use super::usage::UsageRecord;

/// What the file says it is.
pub const FORMAT: &str = "keymeter-backup";
/// The newest version this build writes and reads. Version 2 added
/// budgets, burn watches and alerts; a version 1 file has none.
pub const VERSION: u32 = 2;
/// More records than any real organization holds: a file beyond it is
/// refused rather than allowed to exhaust the tab's memory.
pub const MAX_RECORDS: usize = 5_000_000;

/// Everything keymeter stores, except admin keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    /// When it was made, unix seconds.
    pub created_at: i64,
    pub connections: Vec<Connection>,
    pub projects: Vec<Project>,
    pub keys: Vec<ApiKey>,
    pub usage: Vec<UsageRecord>,
    pub costs: Vec<CostRecord>,
    pub people: Vec<Person>,
    pub positions: Vec<SyncPosition>,
    pub prices: Vec<PriceEntry>,
    pub settings: Vec<Setting>,
    pub budgets: Vec<Budget>,
    pub watches: Vec<BurnWatch>,
    pub alerts: Vec<Alert>,
}

/// A named setting (the selected organization, the range, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub name: String,
    pub value: String,
}

/// How a restore treats what is already stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreMode {
    /// Adds the file's records, replacing stored ones with the same
    /// natural key; the rest stays.
    Merge,
    /// Deletes everything stored, then writes the file's records.
    Replace,
}

/// Why a file cannot be restored. Nothing is changed in any case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error(
        "The file is not a complete JSON file (it breaks off or is damaged \
         at line {line}, column {column}). Nothing was changed."
    )]
    NotJson { line: usize, column: usize },
    #[error(
        "The file is not a keymeter backup. Choose a file made with \
         \"Download backup\". Nothing was changed."
    )]
    Foreign,
    #[error(
        "The backup was made by a newer keymeter (version {0}); this one \
         reads up to version {VERSION}. Nothing was changed."
    )]
    TooNew(u32),
    #[error("The backup's version is not valid. Nothing was changed.")]
    BadVersion,
    #[error(
        "The backup has no \"{0}\" section, so it is incomplete. Nothing \
         was changed."
    )]
    MissingSection(&'static str),
    #[error(
        "The backup's \"{section}\" section is damaged (record {index}: \
         {detail}). Nothing was changed."
    )]
    Damaged {
        section: &'static str,
        index: usize,
        detail: String,
    },
    #[error(
        "The backup's \"{0}\" section has records of an organization the \
         file does not hold. Nothing was changed."
    )]
    Orphans(&'static str),
    #[error(
        "The backup holds more than {MAX_RECORDS} records, more than \
         keymeter can restore in a browser tab. Nothing was changed."
    )]
    TooLarge,
}

impl Backup {
    /// A backup of `parts`, sorted so that the same data always gives the
    /// same bytes, with every sealed admin key left out.
    pub fn new(created_at: i64, mut parts: Backup) -> Backup {
        for connection in &mut parts.connections {
            connection.sealed_secret = None;
        }
        sort::by(&mut parts.connections, |a, b| a.id.cmp(&b.id));
        sort::by(&mut parts.projects, |a, b| {
            (&a.connection_id, &a.id).cmp(&(&b.connection_id, &b.id))
        });
        sort::by(&mut parts.keys, |a, b| {
            (&a.connection_id, &a.id).cmp(&(&b.connection_id, &b.id))
        });
        sort::by_cached_key(&mut parts.usage, UsageRecord::natural_key);
        sort::by_cached_key(&mut parts.costs, CostRecord::natural_key);
        sort::by(&mut parts.people, |a, b| {
            (&a.connection_id, &a.id).cmp(&(&b.connection_id, &b.id))
        });
        sort::by(&mut parts.positions, |a, b| {
            (&a.connection_id, &a.stream).cmp(&(&b.connection_id, &b.stream))
        });
        sort::by(&mut parts.prices, |a, b| {
            (&a.model, a.from).cmp(&(&b.model, b.from))
        });
        sort::by(&mut parts.settings, |a, b| a.name.cmp(&b.name));
        sort::by(&mut parts.budgets, |a, b| a.id.cmp(&b.id));
        sort::by(&mut parts.watches, |a, b| a.id.cmp(&b.id));
        sort::by(&mut parts.alerts, |a, b| a.id.cmp(&b.id));
        Backup {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at,
            ..parts
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a backup always serializes")
    }

    /// Records in all sections.
    pub fn records(&self) -> usize {
        self.connections.len()
            + self.projects.len()
            + self.keys.len()
            + self.usage.len()
            + self.costs.len()
            + self.people.len()
            + self.positions.len()
            + self.prices.len()
            + self.settings.len()
            + self.budgets.len()
            + self.watches.len()
            + self.alerts.len()
    }
}

/// Reads and checks a backup file's text; `Ok` only for a file that can
/// be restored whole.
pub fn parse_backup(text: &str) -> Result<Backup, BackupError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| BackupError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
    let Value::Object(mut file) = value else {
        return Err(BackupError::Foreign);
    };
    if file.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::Foreign);
    }
    let version = file
        .get("version")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v >= 1)
        .ok_or(BackupError::BadVersion)?;
    if version > VERSION {
        return Err(BackupError::TooNew(version));
    }
    let created_at = file
        .get("created_at")
        .and_then(Value::as_i64)
        .unwrap_or_default();

    let mut total = 0usize;
    let mut section = |name: &'static str| {
        let Some(Value::Array(items)) = file.remove(name) else {
            return Err(BackupError::MissingSection(name));
        };
        total += items.len();
        if total > MAX_RECORDS {
            return Err(BackupError::TooLarge);
        }
        Ok((name, items))
    };
    let backup = Backup {
        format: FORMAT.to_owned(),
        version,
        created_at,
        connections: records(section("connections")?)?,
        projects: records(section("projects")?)?,
        keys: records(section("keys")?)?,
        usage: records(section("usage")?)?,
        costs: records(section("costs")?)?,
        people: records(section("people")?)?,
        positions: records(section("positions")?)?,
        prices: records(section("prices")?)?,
        settings: records(section("settings")?)?,
        budgets: since_v2(version, section("budgets"))?,
        watches: since_v2(version, section("watches"))?,
        alerts: since_v2(version, section("alerts"))?,
    };
    check_owners(&backup)?;
    Ok(Backup::new(created_at, backup))
}

/// A section version 2 added: required from then on, empty before.
fn since_v2<T: DeserializeOwned>(
    version: u32,
    section: Result<(&'static str, Vec<Value>), BackupError>,
) -> Result<Vec<T>, BackupError> {
    match section {
        Err(BackupError::MissingSection(_)) if version < 2 => Ok(Vec::new()),
        other => records(other?),
    }
}

/// Decodes one section record by record, naming the first bad one.
fn records<T: DeserializeOwned>(
    (section, items): (&'static str, Vec<Value>),
) -> Result<Vec<T>, BackupError> {
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            serde_json::from_value(item).map_err(|e| BackupError::Damaged {
                section,
                index,
                detail: e.to_string(),
            })
        })
        .collect()
}

/// Every record belongs to an organization in the file.
fn check_owners(backup: &Backup) -> Result<(), BackupError> {
    let ids: std::collections::HashSet<&str> =
        backup.connections.iter().map(|c| c.id.as_str()).collect();
    let known = |id: &str| ids.contains(id);
    let sections: [(&'static str, bool); 9] = [
        (
            "projects",
            backup.projects.iter().all(|r| known(&r.connection_id)),
        ),
        ("keys", backup.keys.iter().all(|r| known(&r.connection_id))),
        (
            "usage",
            backup.usage.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "costs",
            backup.costs.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "people",
            backup.people.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "positions",
            backup.positions.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "budgets",
            backup.budgets.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "watches",
            backup.watches.iter().all(|r| known(&r.connection_id)),
        ),
        (
            "alerts",
            backup.alerts.iter().all(|r| known(&r.connection_id)),
        ),
    ];
    match sections.into_iter().find(|(_, fine)| !fine) {
        Some((name, _)) => Err(BackupError::Orphans(name)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budget::{AlertKind, Limit, Period, Scope};
    use crate::domain::connection::Sealed;
    use crate::domain::demo::demo_org;
    use crate::domain::time::Date;

    fn sample() -> Backup {
        let org = demo_org("c1", Date::new(2026, 3, 31), 3);
        let connection = Connection {
            id: "c1".into(),
            label: "Acme".into(),
            api_base: "https://api.openai.com/v1".into(),
            created_at: 1,
            last_sync: None,
            demo: false,
            sealed_secret: Some(Sealed {
                iterations: 600_000,
                salt: vec![1; 16],
                iv: vec![2; 12],
                ciphertext: vec![3; 40],
            }),
            archived: false,
            costs_by_key: Some(true),
            windows: None,
        };
        Backup::new(
            1_775_000_000,
            Backup {
                connections: vec![connection],
                projects: org.projects,
                keys: org.keys,
                usage: org.usage,
                costs: org.costs,
                positions: vec![SyncPosition {
                    connection_id: "c1".into(),
                    stream: "completions/1d".into(),
                    complete_to: 1_775_000_000,
                }],
                settings: vec![Setting {
                    name: "range".into(),
                    value: "30d".into(),
                }],
                budgets: vec![Budget {
                    id: "b1".into(),
                    connection_id: "c1".into(),
                    scope: Scope::Key {
                        id: "key_demoApiServer001".into(),
                    },
                    period: Period::Week { first_day: 6 },
                    zone: "Asia/Kolkata".into(),
                    limit: Limit::Usd(crate::domain::money::Usd(
                        50_000_000_000_000,
                    )),
                    thresholds: vec![50, 80, 100],
                    paused: false,
                    created_at: 1,
                }],
                alerts: vec![Alert {
                    id: "a1".into(),
                    connection_id: "c1".into(),
                    kind: AlertKind::NewKey {
                        key_id: "key_demoUnused000009".into(),
                    },
                    at: 2,
                    message: "A new API key appeared.".into(),
                    acknowledged: true,
                }],
                ..Backup::default()
            },
        )
    }

    #[test]
    fn a_backup_reads_back_whole_and_holds_no_sealed_key() {
        let backup = sample();
        assert!(backup.connections[0].sealed_secret.is_none());
        let text = backup.to_json();
        assert!(!text.contains("ciphertext\": ["), "no sealed key");
        let read = parse_backup(&text).expect("restorable");
        assert_eq!(read, backup);
        assert_eq!(read.to_json(), text, "the same bytes again");
        assert!(read.usage.len() > 10 && !read.costs.is_empty());
    }

    #[test]
    fn a_truncated_file_is_refused_at_any_cut() {
        let text = sample().to_json();
        let step = text.len() / 97;
        for cut in (1..text.len()).step_by(step.max(1)) {
            let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i));
            let head = &text[..cut.unwrap_or(0)];
            assert!(
                matches!(parse_backup(head), Err(BackupError::NotJson { .. })),
                "cut at {cut:?}"
            );
        }
    }

    #[test]
    fn foreign_newer_and_incomplete_files_are_named() {
        let mut value: Value =
            serde_json::from_str(&sample().to_json()).expect("JSON");
        let with = |edit: &dyn Fn(&mut Value)| {
            let mut copy = value.clone();
            edit(&mut copy);
            parse_backup(&copy.to_string())
        };
        assert_eq!(parse_backup("[1, 2]"), Err(BackupError::Foreign));
        assert_eq!(
            parse_backup("{\"model\": {\"input_cost_per_token\": 1}}"),
            Err(BackupError::Foreign)
        );
        assert_eq!(
            with(&|v| v["version"] = (VERSION + 1).into()),
            Err(BackupError::TooNew(VERSION + 1))
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("alerts");
            }),
            Err(BackupError::MissingSection("alerts"))
        );
        // A version 1 file predates budgets and alerts: it restores
        // without those sections.
        let old = with(&|v| {
            v["version"] = 1.into();
            for section in ["budgets", "watches", "alerts"] {
                v.as_object_mut().unwrap().remove(section);
            }
        })
        .expect("a version 1 backup restores");
        assert!(old.budgets.is_empty() && old.alerts.is_empty());
        assert_eq!(
            with(&|v| v["version"] = "one".into()),
            Err(BackupError::BadVersion)
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("costs");
            }),
            Err(BackupError::MissingSection("costs"))
        );
        let damaged = with(&|v| v["usage"][3]["counts"] = "many".into());
        assert!(
            matches!(
                damaged,
                Err(BackupError::Damaged {
                    section: "usage",
                    index: 3,
                    ..
                })
            ),
            "{damaged:?}"
        );
        let mut stray = value.clone();
        stray["alerts"][0]["connection_id"] = "elsewhere".into();
        assert_eq!(
            parse_backup(&stray.to_string()),
            Err(BackupError::Orphans("alerts"))
        );
        value["connections"] = Value::Array(Vec::new());
        assert_eq!(
            parse_backup(&value.to_string()),
            Err(BackupError::Orphans("projects"))
        );
    }

    #[test]
    fn every_message_says_nothing_changed() {
        let errors = [
            BackupError::NotJson { line: 1, column: 2 },
            BackupError::Foreign,
            BackupError::TooNew(9),
            BackupError::BadVersion,
            BackupError::MissingSection("usage"),
            BackupError::Orphans("keys"),
            BackupError::TooLarge,
        ];
        for error in errors {
            assert!(error.to_string().ends_with("Nothing was changed."));
        }
    }
}

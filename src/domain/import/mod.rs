//! Files the user drops in instead of syncing: the CSV files OpenAI's
//! usage dashboard exports (`dashboard`) and saved Admin API replies
//! (read in `api::saved`). Imported rows get the same natural keys as
//! synced ones, and each bucket a file covers replaces what was stored
//! for it, so importing twice, or importing what was also synced, never
//! counts anything twice.

pub mod dashboard;

use std::collections::BTreeSet;

use super::cost::CostRecord;
use super::keys::{ApiKey, KeyNotes};
use super::usage::{UsageKind, UsageRecord};

/// What a file holds, told by its name (`completions_usage_….csv`,
/// `cost_….csv`, `embeddings_1d_….json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Usage(UsageKind),
    Costs,
}

/// Reads the kind from a file name; `None` when the name does not say.
pub fn kind_from_name(file_name: &str) -> Option<FileKind> {
    let name = file_name.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
    if name.starts_with("cost") {
        return Some(FileKind::Costs);
    }
    UsageKind::ALL
        .into_iter()
        .filter(|kind| {
            name.strip_prefix(kind.path())
                .is_some_and(|rest| rest.starts_with(['_', '.', '-']))
        })
        // `audio_speeches` before a shorter kind that is its prefix.
        .max_by_key(|kind| kind.path().len())
        .map(FileKind::Usage)
}

/// Rows read from one or more files, with every bucket they cover
/// (empty ones included: an empty bucket clears what was stored for it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportBatch {
    pub usage: Vec<UsageRecord>,
    pub usage_buckets: BTreeSet<String>,
    pub costs: Vec<CostRecord>,
    pub cost_days: BTreeSet<String>,
}

impl ImportBatch {
    /// Adds another file's rows.
    pub fn extend(&mut self, other: ImportBatch) {
        self.usage.extend(other.usage);
        self.usage_buckets.extend(other.usage_buckets);
        self.costs.extend(other.costs);
        self.cost_days.extend(other.cost_days);
    }

    /// A directory entry for every key the rows name, so a key seen only
    /// in imports can be labelled like any other. Its name is its id
    /// until a sync brings OpenAI's listing; storing keeps any entry that
    /// already exists.
    pub fn keys_seen(&self) -> Vec<ApiKey> {
        let mut seen: Vec<ApiKey> = Vec::new();
        for row in &self.usage {
            let Some(id) = row.api_key_id.as_deref() else {
                continue;
            };
            let known = seen
                .iter()
                .any(|k| k.id == id && k.connection_id == row.connection_id);
            if !known {
                seen.push(ApiKey {
                    connection_id: row.connection_id.into(),
                    id: id.to_owned(),
                    project_id: row
                        .project_id
                        .map(String::from)
                        .unwrap_or_default(),
                    name: id.to_owned(),
                    redacted_value: String::new(),
                    owner: None,
                    created_at: None,
                    last_used_at: None,
                    deleted_at: None,
                    notes: KeyNotes::default(),
                });
            }
        }
        seen
    }

    /// Rows read, for the message after an import.
    pub fn rows(&self) -> usize {
        self.usage.len() + self.costs.len()
    }
}

/// Why a file cannot be imported. A refused file changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{0}: keymeter cannot tell what this file holds. It reads OpenAI's \
         usage and cost CSV exports (named like completions_usage_….csv or \
         cost_….csv) and saved Admin API replies (.json)."
    )]
    Unknown(String),
    #[error("{0} is empty.")]
    Empty(String),
    #[error(
        "{file} has no \"{column}\" column; it may be a different export."
    )]
    MissingColumn { file: String, column: &'static str },
    #[error("{file}, line {line}: {detail}.")]
    BadRow {
        file: String,
        line: usize,
        detail: String,
    },
    #[error("{file} is not a usable Admin API reply ({detail}).")]
    NotAReply { file: String, detail: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_rows_name_gets_one_directory_entry() {
        use crate::domain::demo::demo_org;
        use crate::domain::time::Date;
        let org = demo_org("c", Date::new(2026, 3, 31), 3);
        let batch = ImportBatch {
            usage: org.usage.clone(),
            ..ImportBatch::default()
        };
        let seen = batch.keys_seen();
        let mut ids: Vec<&str> = org
            .usage
            .iter()
            .filter_map(|r| r.api_key_id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(seen.len(), ids.len());
        assert!(seen.iter().all(|k| k.name == k.id && k.notes.tracked));
    }

    #[test]
    fn file_names_tell_the_kind() {
        let cases = [
            (
                "completions_usage_2025-10-01_2025-10-31.csv",
                Some(FileKind::Usage(UsageKind::Completions)),
            ),
            (
                "Embeddings_usage_2025.csv",
                Some(FileKind::Usage(UsageKind::Embeddings)),
            ),
            (
                "audio_speeches_1d_2026-01-01.json",
                Some(FileKind::Usage(UsageKind::AudioSpeeches)),
            ),
            ("cost_2025-10-01_2025-10-31 (1).csv", Some(FileKind::Costs)),
            ("costs_1d.json", Some(FileKind::Costs)),
            (
                "C:\\Downloads\\images_usage.csv",
                Some(FileKind::Usage(UsageKind::Images)),
            ),
            ("completionsusage.csv", None),
            ("report.csv", None),
        ];
        for (name, want) in cases {
            assert_eq!(kind_from_name(name), want, "{name}");
        }
    }
}

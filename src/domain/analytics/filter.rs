//! Which usage rows a view is about: an organization, a project, a user,
//! an API key, a model or a kind of usage, or any combination.

use super::directory::Directory;
use super::group::same_text;
use crate::domain::keys::ApiKey;
use crate::domain::usage::{UsageKind, UsageRecord};

/// The key filter value that selects usage no API key is attributed to.
pub const UNATTRIBUTED: &str = "unattributed";

/// A selection of usage rows. Every field left `None` selects all rows;
/// the fields that are set must all match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// The connection (organization) id.
    pub connection: Option<String>,
    pub project: Option<String>,
    pub user: Option<String>,
    /// An API key id, or `UNATTRIBUTED` for rows without one.
    pub key: Option<String>,
    /// A model name, or the label of a kind whose rows name no model
    /// (`Vector storage`), as the model breakdown shows them.
    pub model: Option<String>,
    pub kind: Option<UsageKind>,
}

impl Filter {
    /// Whether no field narrows the selection.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `record` is in the selection; `directory` says whose
    /// usage it is (see `Directory::person_of`).
    #[inline]
    pub fn matches(&self, record: &UsageRecord, directory: &Directory) -> bool {
        let same = |wanted: &Option<String>, value: Option<&str>| {
            wanted.as_deref().is_none_or(|w| value == Some(w))
        };
        // The key first, as `key_matches` reads it: pages of one key
        // pass over every row to find a few.
        let key = match (&self.key, &record.api_key_id) {
            (None, _) => true,
            (Some(wanted), Some(key)) => same_text(wanted, key),
            (Some(wanted), None) => wanted == UNATTRIBUTED,
        };
        key && same(&self.connection, Some(&record.connection_id))
            && same(&self.project, record.project_id.as_deref())
            && self
                .user
                .as_deref()
                .is_none_or(|u| directory.person_of(record) == Some(u))
            && self
                .model
                .as_deref()
                .is_none_or(|m| model_label(record) == m)
            && self.kind.is_none_or(|k| record.kind == k)
    }

    /// Whether an API key belongs in a list of this selection's keys,
    /// usage or not. Model and kind never leave a key out: a key without
    /// usage of the model is still a key of the scope, with zeros.
    pub fn admits_key(&self, key: &ApiKey) -> bool {
        let owner = key.owner.as_ref().map(|o| o.id.as_str());
        self.connection
            .as_deref()
            .is_none_or(|c| key.connection_id == c)
            && self.project.as_deref().is_none_or(|p| key.project_id == p)
            && self.user.as_deref().is_none_or(|u| owner == Some(u))
            && self.key.as_deref().is_none_or(|k| key.id == k)
    }

    /// Whether the selection can hold usage no API key is attributed to.
    pub fn admits_unattributed(&self) -> bool {
        self.key_matches(None)
    }

    fn key_matches(&self, key: Option<&str>) -> bool {
        match (self.key.as_deref(), key) {
            (None, _) => true,
            (Some(UNATTRIBUTED), None) => true,
            (Some(wanted), Some(key)) => same_text(wanted, key),
            (Some(_), None) => false,
        }
    }
}

/// The name a row's usage goes by in the model breakdown: its model, or
/// for kinds billed without a model (vector storage, tool calls) the
/// kind's label.
pub fn model_label(record: &UsageRecord) -> &str {
    record.model.as_deref().unwrap_or(record.kind.label())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::hourly;
    use crate::domain::demo::{demo_org, stored_usage};
    use crate::domain::keys::OwnerKind;
    use crate::domain::time::Date;

    /// No keys, projects or people known.
    fn none() -> Directory<'static> {
        Directory::default()
    }

    #[test]
    fn an_empty_filter_selects_every_row() {
        let filter = Filter::default();
        assert!(filter.is_empty());
        assert!(filter.matches(&hourly(0, 10), &none()));
    }

    #[test]
    fn unattributed_selects_rows_without_an_api_key_and_only_them() {
        let filter = Filter {
            key: Some(UNATTRIBUTED.into()),
            ..Filter::default()
        };
        let mut row = hourly(0, 10);
        assert!(!filter.matches(&row, &none()));
        row.api_key_id = None;
        assert!(filter.matches(&row, &none()));
        assert!(filter.admits_unattributed());
    }

    #[test]
    fn every_set_field_must_match() {
        let row = hourly(0, 10);
        let filter = Filter {
            connection: Some(row.connection_id.into()),
            project: row.project_id.map(String::from),
            key: row.api_key_id.map(String::from),
            model: row.model.map(String::from),
            kind: Some(row.kind),
            ..Filter::default()
        };
        assert!(filter.matches(&row, &none()));
        assert!(!filter.admits_unattributed());
        let wrong_user = Filter {
            user: Some("user-other".into()),
            ..filter.clone()
        };
        assert!(!wrong_user.matches(&row, &none()));
        let wrong_kind = Filter {
            kind: Some(UsageKind::Embeddings),
            ..filter
        };
        assert!(!wrong_kind.matches(&row, &none()));
    }

    #[test]
    fn rows_without_a_model_are_selected_by_their_kinds_label() {
        let mut row = hourly(0, 10);
        row.kind = UsageKind::VectorStores;
        row.model = None;
        let filter = Filter {
            model: Some("Vector storage".into()),
            ..Filter::default()
        };
        assert!(filter.matches(&row, &none()));
    }

    #[test]
    fn a_service_accounts_usage_is_selected_by_the_account() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 5);
        let usage = stored_usage(&org, last.to_unix());
        let robot = org
            .keys
            .iter()
            .find(|k| {
                k.owner
                    .as_ref()
                    .is_some_and(|o| o.kind == OwnerKind::ServiceAccount)
            })
            .expect("a demo key a service account owns");
        let account = robot.owner.as_ref().map(|o| o.id.clone());
        let filter = Filter {
            user: account,
            ..Filter::default()
        };
        let directory = Directory::new(&org.keys, &org.projects, &[]);
        let picked: Vec<&UsageRecord> = usage
            .iter()
            .filter(|r| filter.matches(r, &directory))
            .collect();
        assert!(!picked.is_empty());
        assert!(picked.iter().all(|r| r.user_id.is_none()
            && r.api_key_id.as_deref() == Some(robot.id.as_str())));
        // Without knowing who owns the key, the rows belong to no one.
        assert!(!usage.iter().any(|r| filter.matches(r, &none())));
    }
}

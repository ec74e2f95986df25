//! Names for the ids usage rows carry: API keys, projects and people,
//! looked up by connection and id, since ids are unique only within one
//! organization.

use std::collections::HashMap;

use crate::domain::keys::{ApiKey, Project};
use crate::domain::people::Person;
use crate::domain::usage::UsageRecord;

/// A connection id and an id within it.
type Scoped<'a> = (&'a str, &'a str);

/// The label of usage with no API key, user or project.
pub const UNATTRIBUTED_LABEL: &str = "Unattributed";

/// The keys, projects and people of the loaded organizations.
#[derive(Clone, Debug, Default)]
pub struct Directory<'a> {
    keys: HashMap<Scoped<'a>, &'a ApiKey>,
    projects: HashMap<Scoped<'a>, &'a str>,
    people: HashMap<Scoped<'a>, &'a str>,
    any_untracked: bool,
}

impl<'a> Directory<'a> {
    pub fn new(
        keys: &'a [ApiKey],
        projects: &'a [Project],
        people: &'a [Person],
    ) -> Self {
        Directory {
            any_untracked: keys.iter().any(|k| !k.notes.tracked),
            keys: keys
                .iter()
                .map(|k| ((k.connection_id.as_str(), k.id.as_str()), k))
                .collect(),
            projects: projects
                .iter()
                .map(|p| {
                    ((p.connection_id.as_str(), p.id.as_str()), p.name.as_str())
                })
                .collect(),
            people: people
                .iter()
                .map(|p| {
                    ((p.connection_id.as_str(), p.id.as_str()), p.name.as_str())
                })
                .collect(),
        }
    }

    /// The key `id` of `connection`, if the listing has it.
    pub fn key(&self, connection: &str, id: &str) -> Option<&'a ApiKey> {
        self.keys.get(&(connection, id)).copied()
    }

    /// The user or service account whose usage `record` is: the user
    /// it names, else the owner of its key. Usage of a service
    /// account's key names no user, yet the account is who spent it.
    #[inline]
    pub fn person_of<'s>(&self, record: &'s UsageRecord) -> Option<&'s str>
    where
        'a: 's,
    {
        if let Some(user) = record.user_id.as_deref() {
            return Some(user);
        }
        let key = record.api_key_id.as_deref()?;
        let owner = self.key(&record.connection_id, key)?.owner.as_ref()?;
        Some(owner.id.as_str())
    }

    /// Whether every key's usage shows in dashboards.
    pub fn tracks_all(&self) -> bool {
        !self.any_untracked
    }

    /// Whether usage of key `id` shows in dashboards: keys the user
    /// switched off do not; keys the listing lacks do.
    pub fn is_tracked(&self, connection: &str, id: &str) -> bool {
        // Most users track every key: then no row needs a lookup.
        !self.any_untracked
            || self.key(connection, id).is_none_or(|key| key.notes.tracked)
    }

    /// The name to show for key `id`: its label or OpenAI's name, else
    /// the id itself.
    pub fn key_name<'s>(&self, connection: &str, id: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.key(connection, id)
            .map_or(id, |key| key.display_name())
    }

    /// The name of project `id`, else the id.
    pub fn project_name<'s>(&self, connection: &str, id: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.projects.get(&(connection, id)).copied().unwrap_or(id)
    }

    /// The name of user or service account `id`, else the id.
    pub fn person_name<'s>(&self, connection: &str, id: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.people.get(&(connection, id)).copied().unwrap_or(id)
    }
}

//! Projects and API keys as keymeter keeps them: OpenAI's metadata plus the
//! user's own label, and the masked form that is all the UI ever shows.

use serde::{Deserialize, Serialize};

/// A project of an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub connection_id: String,
    pub id: String,
    pub name: String,
    pub archived: bool,
}

/// Who owns an API key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyOwner {
    pub kind: OwnerKind,
    pub id: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    User,
    ServiceAccount,
}

/// A project API key. The secret itself is never known to keymeter; only
/// OpenAI's redacted form (`sk-abc...wxyz`) is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKey {
    pub connection_id: String,
    /// OpenAI's id (`key_...`), the same value usage rows carry.
    pub id: String,
    pub project_id: String,
    /// The name given in OpenAI's dashboard.
    pub name: String,
    pub redacted_value: String,
    pub owner: Option<KeyOwner>,
    pub created_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// When a sync first found the key gone from OpenAI's listing. Its
    /// usage stays in history.
    #[serde(default)]
    pub deleted_at: Option<i64>,
    /// What the user said about the key; OpenAI never sees it.
    #[serde(default)]
    pub notes: KeyNotes,
}

/// The user's own metadata of a key, kept across syncs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyNotes {
    /// A friendly name shown in place of OpenAI's name.
    pub label: Option<String>,
    pub description: String,
    /// Environment tags such as `production` or `staging`.
    pub tags: Vec<String>,
    /// Untracked keys leave dashboards but keep their data.
    pub tracked: bool,
    /// SHA-256 of the key's secret, when the user identified it by
    /// pasting it; the secret itself is never kept.
    pub fingerprint: Option<String>,
}

impl Default for KeyNotes {
    fn default() -> Self {
        KeyNotes {
            label: None,
            description: String::new(),
            tags: Vec::new(),
            tracked: true,
            fingerprint: None,
        }
    }
}

impl ApiKey {
    /// The name to show: the user's label, else OpenAI's name.
    pub fn display_name(&self) -> &str {
        // Names are shown through `visible_name` where they are drawn.
        self.notes
            .label
            .as_deref()
            .filter(|label| !label.trim().is_empty())
            .unwrap_or(&self.name)
    }

    /// The key's masked form, for every place it appears.
    pub fn masked(&self) -> String {
        mask(&self.redacted_value)
    }
}

/// The storage key of a per-connection object: ids are unique only within
/// one organization.
pub fn scoped_id(connection_id: &str, id: &str) -> String {
    format!("{connection_id}/{id}")
}

/// Why a pasted secret cannot be a key: keys are printable ASCII without
/// spaces, so anything else was picked up while copying (a line break, a
/// zero-width space, a look-alike letter).
pub fn check_key_text(secret: &str) -> Result<(), &'static str> {
    let secret = secret.trim();
    if secret.is_empty() {
        return Err("Paste a key first.");
    }
    if secret.chars().all(|c| c.is_ascii_graphic()) {
        Ok(())
    } else {
        Err("This key holds characters a key cannot have (a space, an \
             invisible character or a look-alike letter picked up while \
             copying). Copy it again from its source.")
    }
}

/// A name as text to show: bidirectional override characters, which
/// could make a name read as another, are dropped.
pub fn visible_name(name: &str) -> String {
    name.chars()
        .filter(
            |c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
        )
        .collect()
}

/// Splits user-typed, comma-separated tags (`production, EU west`) into
/// clean, unique, lower-case tags. A tag may hold spaces (`eu west`);
/// runs of them count as one.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',') {
        let words: Vec<&str> = tag.split_whitespace().collect();
        let tag = words.join(" ").to_lowercase();
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Shows only the last four characters of a key (`…wxyz`), taken from the
/// run of key characters at its end so redaction marks are never shown as
/// if they were part of the key.
pub fn mask(value: &str) -> String {
    let tail: Vec<char> = value
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(4)
        .collect();
    let tail: String = tail.into_iter().rev().collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_shows_only_the_last_four_characters() {
        assert_eq!(mask("sk-proj-abc...WXYZ"), "…WXYZ");
        assert_eq!(mask("sk-abc...yz"), "…yz");
        assert_eq!(mask("sk-admin-1234567890abcdef"), "…cdef");
        assert_eq!(mask(""), "…");
    }

    #[test]
    fn only_printable_ascii_can_be_a_key() {
        assert!(check_key_text(" sk-admin-abc123 ").is_ok());
        for bad in [
            "",
            "sk-admin-\u{200B}abc",
            "sk-admin-ключ",
            "sk admin",
            "sk-\tx",
        ] {
            assert!(check_key_text(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bidi_overrides_are_dropped_from_shown_names() {
        assert_eq!(visible_name("evil\u{202E}eman"), "evileman");
        assert_eq!(visible_name("生产环境"), "生产环境");
    }

    #[test]
    fn tags_are_split_trimmed_lowered_and_deduplicated() {
        assert_eq!(
            parse_tags(" Production, EU  west,production,,staging "),
            ["production", "eu west", "staging"]
        );
        assert!(parse_tags(" , ").is_empty());
    }

    #[test]
    fn a_blank_label_falls_back_to_the_openai_name() {
        let mut key = ApiKey {
            connection_id: "c".into(),
            id: "key_1".into(),
            project_id: "proj_1".into(),
            name: "default".into(),
            redacted_value: "sk-...abcd".into(),
            owner: None,
            created_at: None,
            last_used_at: None,
            deleted_at: None,
            notes: KeyNotes {
                label: Some("  ".into()),
                ..KeyNotes::default()
            },
        };
        assert_eq!(key.display_name(), "default");
        key.notes.label = Some("Checkout service".into());
        assert_eq!(key.display_name(), "Checkout service");
    }
}

//! A connection: one organization and how keymeter reaches it. The admin
//! key is deliberately not part of it, so storing a connection can never
//! store the key.

use serde::{Deserialize, Serialize};

use super::sync_plan::Windows;

/// An organization the user added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub id: String,
    pub label: String,
    /// Where API calls go (OpenAI, a proxy or the local mock).
    pub api_base: String,
    pub created_at: i64,
    /// The last completed sync, if any.
    #[serde(default)]
    pub last_sync: Option<SyncMark>,
    /// True for the built-in demo organization, which is never synced.
    #[serde(default)]
    pub demo: bool,
    /// The admin key encrypted with the user's passphrase, when the user
    /// chose to keep it on this device.
    #[serde(default)]
    pub sealed_secret: Option<Sealed>,
    /// Removed by the user, who kept its history: shown, never synced.
    #[serde(default)]
    pub archived: bool,
    /// Whether this API groups costs by key: unknown until first asked,
    /// then remembered so later syncs spend no request finding out.
    #[serde(default)]
    pub costs_by_key: Option<bool>,
    /// How far back syncs keep daily and hourly data; the defaults when
    /// never set.
    #[serde(default)]
    pub windows: Option<Windows>,
}

/// A secret encrypted with AES-256-GCM under a key derived from a
/// passphrase with PBKDF2-SHA256.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sealed {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub iv: Vec<u8>,
    /// Ciphertext followed by the GCM tag.
    pub ciphertext: Vec<u8>,
}

/// What a finished sync covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncMark {
    /// When it finished, unix seconds.
    pub at: i64,
    /// The usage range fetched by it and the syncs before it, `[from,
    /// to)` in unix seconds: data once fetched stays stored.
    pub from: i64,
    pub to: i64,
    /// False when some stream stopped early: totals may be incomplete.
    #[serde(default = "yes")]
    pub complete: bool,
}

fn yes() -> bool {
    true
}

impl SyncMark {
    /// The mark of a sync that finished `at`, having fetched `[from, to)`,
    /// after the syncs that left `before`. A sync of an up-to-date store
    /// fetches only its last days, yet the older ones are still there.
    pub fn after(
        before: Option<SyncMark>,
        at: i64,
        (from, to): (i64, i64),
        complete: bool,
    ) -> SyncMark {
        SyncMark {
            at,
            from: before.map_or(from, |mark| mark.from.min(from)),
            to,
            complete,
        }
    }
}

/// Why a name cannot be an organization's. Two organizations with one
/// name could not be told apart in the picker, the overview's badges or
/// file names, and one without a name not at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error(
        "Another organization is already called \"{0}\". Choose another name."
    )]
    Taken(String),
    #[error("An organization needs a name: type one, or keep the old one.")]
    Empty,
}

/// The name a new organization gets: what the user typed, or a default
/// when that is blank, numbered ("Acme (2)") when another organization
/// has it already. Names compare without regard to case or the spaces
/// around them.
pub fn new_label<'a>(
    typed: &str,
    taken: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let name = match typed.trim() {
        "" => "My organization",
        text => text,
    };
    if !is_taken(name, taken.clone()) {
        return name.to_owned();
    }
    let base = number_base(name).unwrap_or(name);
    (2..)
        .map(|n| format!("{base} ({n})"))
        .find(|name| !is_taken(name, taken.clone()))
        .expect("some number is free")
}

/// `Acme` of `Acme (2)`: a numbered name in use numbers on from its
/// base rather than growing another number.
fn number_base(name: &str) -> Option<&str> {
    let (base, number) = name.strip_suffix(')')?.rsplit_once(" (")?;
    let numbered = number.parse::<u32>().is_ok_and(|n| n >= 2);
    (numbered && !base.trim().is_empty()).then_some(base)
}

/// The name `typed` for an existing organization, unless blank or
/// another organization has it.
pub fn renamed<'a>(
    typed: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<String, NameError> {
    let name = typed.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if is_taken(name, others) {
        return Err(NameError::Taken(name.to_owned()));
    }
    Ok(name.to_owned())
}

fn is_taken<'a>(name: &str, taken: impl IntoIterator<Item = &'a str>) -> bool {
    let name = name.trim().to_lowercase();
    taken
        .into_iter()
        .any(|other| other.trim().to_lowercase() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_sync_of_recent_days_keeps_the_history_fetched_before() {
        let first = SyncMark::after(None, 100, (-365, 90), true);
        assert_eq!((first.from, first.to), (-365, 90));
        let later = SyncMark::after(Some(first), 200, (88, 190), false);
        assert_eq!(
            later,
            SyncMark {
                at: 200,
                from: -365,
                to: 190,
                complete: false
            }
        );
        // A longer window reaches further back.
        let longer = SyncMark::after(Some(later), 300, (-730, 290), true);
        assert_eq!(longer.from, -730);
    }

    #[test]
    fn a_new_organization_never_takes_a_name_in_use() {
        assert_eq!(new_label("  Acme ", []), "Acme");
        assert_eq!(new_label("", []), "My organization");
        assert_eq!(new_label("acme", ["Acme"]), "acme (2)");
        assert_eq!(new_label("Acme", ["Acme", "acme (2)"]), "Acme (3)");
        assert_eq!(new_label(" ", ["My organization"]), "My organization (2)");
        assert_eq!(new_label("Acme (2)", ["Acme", "Acme (2)"]), "Acme (3)");
        assert_eq!(new_label("Acme (2)", []), "Acme (2)");
        assert_eq!(
            new_label("Test (beta)", ["Test (beta)"]),
            "Test (beta) (2)"
        );
    }

    #[test]
    fn renaming_to_another_organizations_name_is_refused() {
        assert_eq!(renamed("  ", ["Acme"]), Err(NameError::Empty));
        assert_eq!(renamed(" New ", ["Acme"]), Ok("New".to_owned()));
        assert_eq!(
            renamed("ACME", ["Acme"]),
            Err(NameError::Taken("ACME".to_owned()))
        );
        // Its own name, in another case, is no clash.
        assert_eq!(renamed("OLD", ["Acme"]), Ok("OLD".to_owned()));
    }
}

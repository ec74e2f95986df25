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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncMark {
    /// When it finished, unix seconds.
    pub at: i64,
    /// The usage range it fetched, `[from, to)` in unix seconds.
    pub from: i64,
    pub to: i64,
    /// False when some stream stopped early: totals may be incomplete.
    #[serde(default = "yes")]
    pub complete: bool,
}

fn yes() -> bool {
    true
}

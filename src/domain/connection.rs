//! A connection: one organization and how keymeter reaches it. The admin
//! key is deliberately not part of it, so storing a connection can never
//! store the key.

use serde::{Deserialize, Serialize};

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
}

/// What a finished sync covered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncMark {
    /// When it finished, unix seconds.
    pub at: i64,
    /// The usage range it fetched, `[from, to)` in unix seconds.
    pub from: i64,
    pub to: i64,
}

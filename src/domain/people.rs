//! The people usage belongs to: users of the organization and the service
//! accounts of its projects.

use serde::{Deserialize, Serialize};

use super::keys::OwnerKind;

/// A user or a service account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub connection_id: String,
    /// `user-...` or a service account id, as usage rows carry it.
    pub id: String,
    pub kind: OwnerKind,
    pub name: String,
    /// Users only. Shown in the page, never logged.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

//! IndexedDB through rexie: the schema, and repositories that store and
//! load keymeter's records. The database is opened once and shared.

mod backup;
mod buckets;
mod budgets;
mod error;
mod imported;
mod pager;
mod pages;
mod preview;
mod prices;
mod records;
mod repo;
pub mod schema;

use std::rc::Rc;

pub use error::StorageError;
pub use pager::READ_PAGE;
pub use pages::Page;
pub use repo::{OrgData, SyncPosition};

/// The name of keymeter's database in the page's origin.
pub const DB_NAME: &str = "keymeter";

/// A handle to the open database; cheap to clone.
#[derive(Clone)]
pub struct Db(Rc<rexie::Rexie>);

impl Db {
    /// Opens (or creates, or upgrades) the database called `name`.
    pub async fn open(name: &str) -> Result<Db, StorageError> {
        let db = schema::open(name)
            .await
            .map(|rexie| Db(Rc::new(rexie)))
            .map_err(|e| StorageError::Open(format!("{e:?}")))?;
        db.move_rows_to_buckets().await?;
        Ok(db)
    }

    /// Closes the database once no other handle holds it, so that it can
    /// be deleted or upgraded without waiting.
    pub fn close(self) {
        if let Ok(rexie) = Rc::try_unwrap(self.0) {
            rexie.close();
        }
    }

    fn rexie(&self) -> &rexie::Rexie {
        &self.0
    }
}

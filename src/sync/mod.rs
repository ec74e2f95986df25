//! The sync engine: lists projects and keys, then pulls completions usage
//! page by page, storing each page as soon as it arrives so that a stopped
//! sync keeps what it fetched.

use crate::api::client::Client;
use crate::api::paging::Cursor;
use crate::api::ApiError;
use crate::domain::connection::{Connection, SyncMark};
use crate::domain::time::DAY;
use crate::domain::usage::{bucket_key, BucketWidth, UsageKind};
use crate::storage::{Db, StorageError};

/// A failed sync, from the API or from storage.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What the progress display shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Projects,
    Keys { done: usize, of: usize },
    Usage { pages: u32, of: u32 },
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Progress::Projects => write!(f, "Listing projects…"),
            Progress::Keys { done, of } => {
                write!(f, "Listing API keys: project {done} of {of}…")
            }
            Progress::Usage { pages, of } => {
                write!(f, "Fetching completions usage: page {pages} of {of}…")
            }
        }
    }
}

/// Checks a new connection's key by listing projects, which only an admin
/// key may do; nothing is stored.
pub async fn check_key(
    client: &Client,
    connection_id: &str,
) -> Result<(), ApiError> {
    client.projects(connection_id).await.map(drop)
}

/// Syncs `connection` for usage in `[from, to)` and returns the updated
/// connection (already stored).
pub async fn run(
    db: &Db,
    client: &Client,
    connection: &Connection,
    (from, to): (i64, i64),
    now: i64,
    progress: impl Fn(Progress),
) -> Result<Connection, SyncError> {
    let id = connection.id.as_str();

    progress(Progress::Projects);
    let projects = client.projects(id).await?;
    let mut keys = Vec::new();
    for (done, project) in projects.iter().enumerate() {
        progress(Progress::Keys {
            done: done + 1,
            of: projects.len(),
        });
        keys.extend(client.api_keys(id, &project.id).await?);
    }
    db.save_directory(id, &projects, &keys, now).await?;

    let width = BucketWidth::Day;
    let kind = UsageKind::Completions;
    let days = ((to - from) / DAY).max(1) as u32;
    let of = days.div_ceil(width.max_page_limit());
    let mut cursor = Cursor::default();
    let mut pages = 0;
    while !cursor.is_done() {
        pages += 1;
        progress(Progress::Usage {
            pages,
            of: of.max(pages),
        });
        let page = client
            .usage_page(kind, width, (from, to), &mut cursor)
            .await?;
        let (starts, records) = page.into_records(id, kind, width);
        let buckets: Vec<String> = starts
            .iter()
            .map(|start| bucket_key(id, kind, width, *start))
            .collect();
        db.replace_buckets(&buckets, &records).await?;
    }

    let mut updated = connection.clone();
    updated.last_sync = Some(SyncMark { at: now, from, to });
    db.put_connection(&updated).await?;
    Ok(updated)
}

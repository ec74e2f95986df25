//! The sync engine: lists projects, keys and people, then pulls every
//! usage stream and the billed costs, a few streams at once and the pages
//! of each in order. Each page is stored with the position it completes,
//! so a sync stopped at any moment keeps what it fetched and the next one
//! resumes there.

mod directory;
mod limiter;
mod progress;
mod stream;
mod writer;

use std::rc::Rc;

use futures::future::join_all;

pub use progress::Tracker;
pub use stream::Landed;

use crate::api::client::Client;
use crate::api::ApiError;
use crate::domain::connection::{Connection, SyncMark};
use crate::domain::sync_plan::{plan, Fetch, Stream};
use crate::domain::usage::UsageKind;
use crate::storage::{Db, StorageError};
use limiter::{Limiter, MAX_IN_FLIGHT};
use stream::Outcome;

/// A sync that could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// How a sync ended, stream by stream.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: u32,
    /// Streams that stopped early, with why. Their earlier pages are kept.
    pub problems: Vec<(Stream, SyncError)>,
    /// Usage kinds this API does not offer.
    pub missing: Vec<UsageKind>,
    pub cancelled: bool,
    /// Every page stored, so the page can show it without reading the
    /// whole organization back.
    pub landed: Landed,
}

impl Report {
    pub fn complete(&self) -> bool {
        self.problems.is_empty() && !self.cancelled
    }

    /// The report as the sentences the page shows, and whether they tell
    /// of a problem.
    pub fn message(&self) -> (String, bool) {
        let missing = if self.missing.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> =
                self.missing.iter().map(|k| k.label()).collect();
            format!(" This API does not offer: {}.", names.join(", "))
        };
        if self.cancelled {
            let text = "Sync cancelled. What was fetched is kept; the next \
                        sync resumes where this one stopped.";
            return (text.to_owned(), true);
        }
        if self.problems.is_empty() {
            return (format!("Sync finished.{missing}"), false);
        }
        let problems: Vec<String> = self
            .problems
            .iter()
            .map(|(stream, error)| format!("{}: {error}", stream.label()))
            .collect();
        let text = format!(
            "Sync finished, but some data could not be fetched. {} What was \
             fetched is kept; totals may be incomplete until a sync \
             finishes.{missing}",
            problems.join(" ")
        );
        (text, true)
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

/// Syncs `connection` and returns it updated (already stored) with the
/// report of what happened.
pub async fn run(
    db: &Db,
    client: &Client,
    connection: &Connection,
    now: i64,
    tracker: Tracker,
) -> Result<(Connection, Report), SyncError> {
    let limiter = Limiter::new(MAX_IN_FLIGHT);
    let positions = db.positions(&connection.id).await?;
    let windows = connection.windows.unwrap_or_default();
    let fetches = plan(now, windows, |stream| {
        positions
            .iter()
            .find(|p| p.stream == stream.id())
            .map(|p| p.complete_to)
    });
    tracker.plan(fetches.iter().map(Fetch::pages).sum());

    // Usage does not wait for the listings: both share the limiter.
    let by_key = Rc::new(std::cell::Cell::new(connection.costs_by_key));
    let landed = Rc::new(std::cell::RefCell::new(Landed::default()));
    let writer = writer::Writer::new(db);
    let streams = join_all(fetches.iter().map(|fetch| {
        let context = stream::Context {
            writer: &writer,
            client,
            connection_id: &connection.id,
            limiter: &limiter,
            tracker: &tracker,
            costs_by_key: by_key.clone(),
            landed: landed.clone(),
        };
        async move { (fetch.stream, stream::fetch(context, *fetch).await) }
    }));
    let listings =
        directory::sync(db, client, &connection.id, now, &limiter, &tracker);
    let (listed, outcomes) = futures::join!(listings, streams);
    // A cancelled sync is reported as such, whichever step noticed first.
    if !client.is_cancelled() {
        listed?;
    }

    let mut report = Report {
        cancelled: client.is_cancelled(),
        landed: landed.take(),
        ..Report::default()
    };
    for (stream, outcome) in outcomes {
        match outcome {
            Outcome::Done(pages) => report.pages += pages,
            Outcome::Missing(kind) => report.missing.push(kind),
            Outcome::Failed(SyncError::Api(ApiError::Cancelled)) => {
                report.cancelled = true;
            }
            Outcome::Failed(error) => report.problems.push((stream, error)),
        }
    }

    let mut updated = connection.clone();
    updated.costs_by_key = by_key.get();
    let span = fetches.iter().fold((i64::MAX, i64::MIN), |(a, b), f| {
        (a.min(f.from), b.max(f.to))
    });
    updated.last_sync = Some(SyncMark::after(
        connection.last_sync,
        now,
        span,
        report.complete(),
    ));
    db.put_connection(&updated).await?;
    Ok((updated, report))
}

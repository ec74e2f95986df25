//! Fetching one stream page by page, retrying what may pass, and storing
//! each page with the position it completes.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;

use futures::future::OptionFuture;

use super::limiter::Limiter;
use super::progress::Tracker;
use super::writer::Writer;
use super::SyncError;
use crate::api::client::{sleep, Client};
use crate::api::paging::Cursor;
use crate::api::ApiError;
use crate::domain::cost::{cost_day_key, CostRecord};
use crate::domain::sync_plan::{Backoff, Fetch, Stream};
use crate::domain::usage::{bucket_key, BucketWidth, UsageKind, UsageRecord};
use crate::storage::{Page, SyncPosition};

/// What one stream's fetch needs.
pub struct Context<'a> {
    pub writer: &'a Writer,
    pub client: &'a Client,
    pub connection_id: &'a str,
    pub limiter: &'a Limiter,
    pub tracker: &'a Tracker,
    /// Shared by the costs stream: whether costs can be grouped by key.
    pub costs_by_key: Rc<Cell<Option<bool>>>,
    /// Shared by every stream: what has been stored so far.
    pub landed: Rc<RefCell<Landed>>,
}

/// The pages a sync stored: the buckets and days they replaced, and the
/// rows that replaced them.
#[derive(Debug, Default)]
pub struct Landed {
    pub buckets: HashSet<String>,
    pub usage: Vec<UsageRecord>,
    pub days: HashSet<String>,
    pub costs: Vec<CostRecord>,
}

impl Landed {
    /// Takes in a stored usage page. A bucket already landed (an API that
    /// sends a page again) is replaced, as it was in storage, not added.
    pub fn add_usage(&mut self, buckets: Vec<String>, rows: Vec<UsageRecord>) {
        if buckets.iter().any(|b| self.buckets.contains(b)) {
            let page: HashSet<&String> = buckets.iter().collect();
            self.usage.retain(|r| !page.contains(&r.bucket_key()));
        }
        self.buckets.extend(buckets);
        self.usage.extend(rows);
    }

    /// Takes in a stored cost page, replacing days already landed.
    pub fn add_costs(&mut self, days: Vec<String>, rows: Vec<CostRecord>) {
        if days.iter().any(|d| self.days.contains(d)) {
            let page: HashSet<&String> = days.iter().collect();
            self.costs.retain(|r| !page.contains(&r.day_key()));
        }
        self.days.extend(days);
        self.costs.extend(rows);
    }
}

/// How a stream's fetch ended.
pub enum Outcome {
    Done(u32),
    /// The API has no endpoint for this (newer) kind.
    Missing(UsageKind),
    Failed(SyncError),
}

/// Runs `call` under the limiter, trying again after transient failures
/// with backoff, and honouring `Retry-After`. A wait ends early when the
/// task of `client` is cancelled.
pub async fn retrying<T, F, Fut>(
    client: &Client,
    limiter: &Limiter,
    tracker: &Tracker,
    label: &str,
    mut call: F,
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let backoff = Backoff::default();
    let mut attempt = 1;
    loop {
        let result = {
            let _permit = limiter.acquire().await;
            if limiter.is_refused() {
                return Err(ApiError::WrongKey);
            }
            call().await
        };
        match &result {
            Err(ApiError::WrongKey) => limiter.refuse(),
            Err(error) if error.is_transient() => {}
            _ => limiter.accepted(),
        }
        let error = match result {
            Err(error) if error.is_transient() => error,
            other => return other,
        };
        attempt += 1;
        let retry_after = match error {
            ApiError::RateLimited { retry_after } => {
                limiter.slow_down();
                retry_after
            }
            _ => None,
        };
        let jitter = js_sys::Math::random();
        let Some(wait) = backoff.wait(attempt, retry_after, jitter) else {
            return Err(error);
        };
        log::warn!("{label}: {error:?}; trying again in {wait:?}");
        // The display counts down whole seconds, and a Cancel is heeded
        // within a quarter of one.
        let mut left = wait.as_millis() as u64;
        let mut shown = None;
        while left > 0 {
            if client.is_cancelled() {
                tracker.resumed(label);
                return Err(ApiError::Cancelled);
            }
            let seconds = left.div_ceil(1_000);
            if shown != Some(seconds) {
                tracker.waiting(label, seconds);
                shown = Some(seconds);
            }
            let step = match left % 250 {
                0 => 250,
                part => part,
            };
            sleep(step as u32).await;
            left -= step;
        }
        tracker.resumed(label);
    }
}

/// Fetches one stream whole.
pub async fn fetch(cx: Context<'_>, fetch: Fetch) -> Outcome {
    let label = fetch.stream.label();
    cx.tracker.start(&label);
    let result = match fetch.stream {
        Stream::Usage(kind, width) => {
            usage(&cx, &label, kind, width, fetch).await
        }
        Stream::Costs => costs(&cx, &label, fetch).await,
    };
    cx.tracker.finish(&label);
    match (result, fetch.stream) {
        (Ok(pages), _) => Outcome::Done(pages),
        (Err(SyncError::Api(error)), Stream::Usage(kind, _))
            if error.is_not_found() && kind.optional() =>
        {
            Outcome::Missing(kind)
        }
        (Err(error), _) => Outcome::Failed(error),
    }
}

async fn usage(
    cx: &Context<'_>,
    label: &str,
    kind: UsageKind,
    width: BucketWidth,
    fetch: Fetch,
) -> Result<u32, SyncError> {
    let range = (fetch.from, fetch.to);
    let size = width.seconds();
    let fetch_page = |next: Option<String>| {
        retrying(cx.client, cx.limiter, cx.tracker, label, move || {
            cx.client.usage_page(kind, width, range, next.clone())
        })
    };
    let mut cursor = Cursor::default();
    let mut pages = 0;
    let mut page = fetch_page(None).await?;
    loop {
        cursor.advance(page.has_more, page.next_page.clone())?;
        let (starts, records) =
            page.into_records(cx.connection_id, kind, width);
        let buckets: Vec<String> = starts
            .iter()
            .map(|start| bucket_key(cx.connection_id, kind, width, *start))
            .collect();
        let position = position(cx, fetch.stream, &starts, size);
        let span = span(&buckets);
        let stored = async {
            let page = Page::usage(span, &records, position.as_ref())?;
            cx.writer.write(page).await
        };
        // The next page is on its way while this one is stored; it is
        // only stored itself once this one is.
        let next = (!cursor.is_done())
            .then(|| fetch_page(cursor.next_page().map(str::to_owned)));
        let (stored, next) = futures::join!(stored, OptionFuture::from(next));
        stored?;
        pages += 1;
        cx.landed.borrow_mut().add_usage(buckets, records);
        cx.tracker.page_done();
        match next {
            Some(next) => page = next?,
            None => return Ok(pages),
        }
    }
}

async fn costs(
    cx: &Context<'_>,
    label: &str,
    fetch: Fetch,
) -> Result<u32, SyncError> {
    let range = (fetch.from, fetch.to);
    let mut cursor = Cursor::default();
    let mut pages = 0;
    while !cursor.is_done() {
        let by_key = cx.costs_by_key.get() != Some(false);
        let attempt =
            retrying(cx.client, cx.limiter, cx.tracker, label, || {
                let next = cursor.next_page().map(str::to_owned);
                cx.client.costs_page(range, by_key, next)
            })
            .await;
        let page = match attempt {
            // Older API versions cannot group costs by key: carry on
            // without it, and remember not to ask again.
            Err(error) if by_key && error.is_bad_request() && pages == 0 => {
                cx.costs_by_key.set(Some(false));
                continue;
            }
            other => other?,
        };
        if by_key {
            cx.costs_by_key.set(Some(true));
        }
        cursor.advance(page.has_more, page.next_page.clone())?;
        let (starts, records) = page
            .into_cost_records(cx.connection_id)
            .map_err(ApiError::Malformed)?;
        let days: Vec<String> = starts
            .iter()
            .map(|start| cost_day_key(cx.connection_id, *start))
            .collect();
        let position = position(cx, fetch.stream, &starts, 86_400);
        let page = Page::costs(span(&days), &records, position.as_ref())?;
        cx.writer.write(page).await?;
        pages += 1;
        cx.landed.borrow_mut().add_costs(days, records);
        cx.tracker.page_done();
    }
    Ok(pages)
}

/// The first and last of a page's bucket (or day) keys, which differ
/// only in their ten-digit start times, so text order is time order.
fn span(keys: &[String]) -> Option<(&str, &str)> {
    let first = keys.iter().min()?;
    let last = keys.iter().max()?;
    Some((first, last))
}

/// The position a page completes: the end of its newest bucket.
fn position(
    cx: &Context<'_>,
    stream: Stream,
    starts: &[i64],
    size: i64,
) -> Option<SyncPosition> {
    starts.iter().max().map(|newest| SyncPosition {
        connection_id: cx.connection_id.to_owned(),
        stream: stream.id(),
        complete_to: newest + size,
    })
}

//! Time-bucketed pages, shared by the usage and costs endpoints: the
//! window a query asks for, where OpenAI puts bucket boundaries, the
//! mock's page cursors and the page envelope.
//!
//! The first bucket starts at `start_time` and the following ones on
//! UTC boundaries of the bucket width (midnights, whole hours). A first
//! bucket that starts between boundaries holds the whole period it falls
//! in, since the data cannot be split finer than its width.

use serde::Serialize;

use super::error::ApiFailure;
use super::now;
use super::query::Query;

/// A bucket width an endpoint serves, with its page limits.
#[derive(Debug)]
pub(crate) struct Width {
    /// The API's spelling (`1d`).
    pub(crate) name: &'static str,
    pub(crate) seconds: i64,
    /// Buckets per page unless `limit` says otherwise.
    pub(crate) default_limit: usize,
    pub(crate) max_limit: usize,
}

/// Every width OpenAI knows, served or not: asking for one the endpoint
/// does not serve is a different mistake from a typo.
const KNOWN_WIDTHS: [&str; 3] = ["1m", "1h", "1d"];

/// Marks the mock's page cursors; the rest is the next bucket's start.
const CURSOR_PREFIX: &str = "mockpage_";

/// The checked time window and paging of a request.
#[derive(Debug)]
pub(crate) struct Span {
    start: i64,
    end: i64,
    width: &'static Width,
    limit: usize,
    /// Where this page starts: `start`, or where the cursor points.
    from: i64,
    /// The cursor the request came with, as sent.
    cursor: Option<String>,
}

/// One page of buckets, in the shape OpenAI sends.
#[derive(Debug, Serialize)]
pub(crate) struct Page<R> {
    object: &'static str,
    data: Vec<Bucket<R>>,
    has_more: bool,
    next_page: Option<String>,
}

/// One bucket of a page.
#[derive(Debug, Serialize)]
pub(crate) struct Bucket<R> {
    object: &'static str,
    start_time: i64,
    end_time: i64,
    results: Vec<R>,
}

impl Span {
    /// Reads `start_time`, `end_time`, `bucket_width` (one of `widths`,
    /// the first being the default), `limit` and `page`.
    pub(crate) fn parse(
        query: &Query,
        widths: &[&'static Width],
    ) -> Result<Self, ApiFailure> {
        let start = query.int("start_time")?.ok_or_else(|| {
            ApiFailure::bad_param(
                "start_time",
                "Missing required parameter: 'start_time'.",
            )
        })?;
        let end = query.int("end_time")?.unwrap_or_else(now);
        if end <= start {
            return Err(ApiFailure::bad_param(
                "end_time",
                "Invalid 'end_time': it must be after 'start_time'.",
            ));
        }
        let width = width(query.first("bucket_width"), widths)?;
        let limit = query.limit(width.default_limit, width.max_limit)?;
        let cursor = query.first("page").map(str::to_owned);
        let from = match &cursor {
            None => start,
            // The window's own start is a valid cursor: it is the one a
            // repeating page hands out on the first page.
            Some(cursor) => cursor
                .strip_prefix(CURSOR_PREFIX)
                .and_then(|at| at.parse::<i64>().ok())
                .filter(|at| (start..end).contains(at))
                .ok_or_else(|| {
                    ApiFailure::bad_param(
                        "page",
                        "Invalid 'page': not a cursor from this query.",
                    )
                })?,
        };
        Ok(Span {
            start,
            end,
            width,
            limit,
            from,
            cursor,
        })
    }

    pub(crate) fn width(&self) -> &'static Width {
        self.width
    }

    /// This page: up to `limit` buckets from the cursor on, each filled
    /// by `fill(start, end)`. With `repeat`, the page claims more and
    /// hands back the cursor it was asked with (on the first page, a
    /// cursor to the first page), as a server stuck in a loop would.
    pub(crate) fn page<R>(
        &self,
        repeat: bool,
        mut fill: impl FnMut(i64, i64) -> Vec<R>,
    ) -> Page<R> {
        let mut data = Vec::new();
        let mut from = self.from;
        while from < self.end && data.len() < self.limit {
            let to = from.div_euclid(self.width.seconds) * self.width.seconds
                + self.width.seconds;
            data.push(Bucket {
                object: "bucket",
                start_time: from,
                end_time: to,
                results: fill(from, to),
            });
            from = to;
        }
        let (has_more, next_page) = if repeat {
            let again = self
                .cursor
                .clone()
                .unwrap_or_else(|| format!("{CURSOR_PREFIX}{}", self.start));
            (true, Some(again))
        } else {
            let more = from < self.end;
            (more, more.then(|| format!("{CURSOR_PREFIX}{from}")))
        };
        Page {
            object: "page",
            data,
            has_more,
            next_page,
        }
    }
}

/// The width `bucket_width` names (the first of `widths` if absent).
fn width(
    asked: Option<&str>,
    widths: &[&'static Width],
) -> Result<&'static Width, ApiFailure> {
    let Some(asked) = asked else {
        return Ok(widths[0]);
    };
    if let Some(width) = widths.iter().find(|width| width.name == asked) {
        return Ok(width);
    }
    let served: Vec<&str> = widths.iter().map(|width| width.name).collect();
    let message = if KNOWN_WIDTHS.contains(&asked) {
        format!(
            "The mock API does not serve bucket_width={asked} here: it has \
             data by {} only.",
            served.join(" and ")
        )
    } else {
        format!(
            "Invalid 'bucket_width': '{asked}'. Expected one of {}.",
            served.join(", ")
        )
    };
    Err(ApiFailure::bad_param("bucket_width", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Width = Width {
        name: "1h",
        seconds: 3600,
        default_limit: 24,
        max_limit: 168,
    };

    fn span(raw: &str) -> Span {
        Span::parse(&Query::parse(Some(raw)), &[&HOUR]).unwrap()
    }

    #[test]
    fn buckets_after_the_first_sit_on_boundaries() {
        let page = span("start_time=5400&end_time=10000")
            .page(false, |_, _| Vec::<()>::new());
        let bounds: Vec<(i64, i64)> = page
            .data
            .iter()
            .map(|bucket| (bucket.start_time, bucket.end_time))
            .collect();
        assert_eq!(bounds, [(5400, 7200), (7200, 10800)]);
        assert!(!page.has_more);
    }

    #[test]
    fn a_repeating_page_hands_back_the_cursor_it_got() {
        let first = span("start_time=0&end_time=36000&limit=2");
        let again = first.page(true, |_, _| Vec::<()>::new());
        assert_eq!(again.next_page.as_deref(), Some("mockpage_0"));
        let later = span("start_time=0&end_time=36000&page=mockpage_7200");
        let again = later.page(true, |_, _| Vec::<()>::new());
        assert_eq!(again.next_page.as_deref(), Some("mockpage_7200"));
        assert!(again.has_more);
    }
}

//! Deliberate misbehaviour, to test how a client copes with a flaky API:
//! faults that answer the next few matching requests wrongly, and a
//! latency added to every reply. Both are set from the Rust handle
//! ([`MockServer::fail`](super::MockServer::fail),
//! [`MockServer::set_latency`](super::MockServer::set_latency)) or over
//! HTTP, for a session driven from outside the test process:
//!
//! - `POST /__mock/faults` with a [`Fault`] as JSON, e.g.
//!   `{"path_contains": "/usage/", "times": 2,
//!   "kind": {"type": "status", "status": 429, "retry_after": 3}}`;
//! - `GET /__mock/faults` lists what is still pending;
//! - `DELETE /__mock/faults` drops every pending fault;
//! - `POST /__mock/latency?ms=N` sets the latency (0 turns it off).
//!
//! A faulted reply passes through the request log like any other, with
//! the status actually sent, so a test can see the retries it caused.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{OriginalUri, RawQuery, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::error::ApiFailure;
use super::query::Query;
use super::Shared;

/// A fault to inject: `kind` answers the next `times` requests whose
/// path (prefix included, e.g. `/v1/organization/costs`; query left out)
/// contains `path_contains`. An empty `path_contains` matches every API
/// request. Preflights never match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub path_contains: String,
    /// How many matching requests get the fault; counts down with each,
    /// and the fault is gone at zero. 1 when left out of the JSON.
    #[serde(default = "once")]
    pub times: u32,
    pub kind: FaultKind,
}

fn once() -> u32 {
    1
}

/// How a faulted request is answered. In JSON, tagged by `type` in
/// snake case: `{"type": "status", "status": 429, "retry_after": 3}`,
/// `{"type": "html", "status": 502}`, `{"type": "truncated"}`,
/// `{"type": "not_a_page"}`, `{"type": "repeat_cursor"}`,
/// `{"type": "delay", "millis": 1500}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultKind {
    /// `status` with OpenAI's JSON error body (429 as a rate limit, 5xx
    /// as a server error), and `Retry-After: <seconds>` when given.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u32>,
    },
    /// `status` with an HTML error page, as a proxy or CDN in front of
    /// the API sends.
    Html { status: u16 },
    /// 200 with the first half of the real reply's body: a connection
    /// cut mid-reply.
    Truncated,
    /// 200 with `{"object":"list","data":[]}` whatever was asked: valid
    /// JSON that is not the page the client expects.
    NotAPage,
    /// 200 with the real page, but claiming more and handing back the
    /// cursor the request was sent with (`next_page` for buckets,
    /// `last_id` for listings). A first page hands back a cursor to
    /// itself (buckets) or its first id (listings). A client that
    /// follows cursors blindly loops forever.
    RepeatCursor,
    /// The real reply, `millis` milliseconds late.
    Delay { millis: u64 },
}

impl Fault {
    /// A fault of `kind` for the next `times` requests whose path
    /// contains `path_contains`.
    pub fn new(
        path_contains: impl Into<String>,
        times: u32,
        kind: FaultKind,
    ) -> Self {
        Fault {
            path_contains: path_contains.into(),
            times,
            kind,
        }
    }

    /// Refuses statuses HTTP cannot send, before a request meets them.
    fn check(&self) -> Result<(), String> {
        match self.kind {
            FaultKind::Status { status, .. } | FaultKind::Html { status } => {
                StatusCode::from_u16(status)
                    .map(drop)
                    .map_err(|_| format!("{status} is not an HTTP status"))
            }
            _ => Ok(()),
        }
    }
}

/// Tells a handler to answer with a repeating cursor; put on the
/// request by [`inject`] for [`FaultKind::RepeatCursor`], since only
/// the handler knows the cursor and the page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RepeatCursor;

/// The pending faults and the latency, shared by the middleware, the
/// handle and the control endpoints.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Mutex<Vec<Fault>>,
    latency: Mutex<Duration>,
}

/// Reads a lock even if a handler panicked holding it: the data is a
/// plain list and a duration, never left half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Faults {
    /// Queues `fault` after those already pending; a fault for zero
    /// requests is dropped at once.
    pub(crate) fn add(&self, fault: Fault) -> Result<(), String> {
        fault.check()?;
        if fault.times > 0 {
            lock(&self.pending).push(fault);
        }
        Ok(())
    }

    /// The faults still pending, with the requests they have left.
    pub(crate) fn pending(&self) -> Vec<Fault> {
        lock(&self.pending).clone()
    }

    pub(crate) fn clear(&self) {
        lock(&self.pending).clear();
    }

    /// The kind of the oldest pending fault matching `path`, counted
    /// down by one request.
    fn take(&self, path: &str) -> Option<FaultKind> {
        let mut pending = lock(&self.pending);
        let at = pending
            .iter()
            .position(|fault| path.contains(&fault.path_contains))?;
        let fault = &mut pending[at];
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            pending.remove(at);
        }
        Some(kind)
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        *lock(&self.latency) = latency;
    }

    fn latency(&self) -> Duration {
        *lock(&self.latency)
    }
}

/// Delays every API reply, preflights included, by the set latency:
/// the round trip a benchmark wants to simulate.
pub(crate) async fn delay(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    next.run(request).await
}

/// Answers a request with the first pending fault that matches its path,
/// if any. Sits outside the key check, so a fault needs no valid key.
pub(crate) async fn inject(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |original| original.path())
        .to_owned();
    let Some(kind) = shared.faults.take(&path) else {
        return next.run(request).await;
    };
    match kind {
        FaultKind::Status {
            status,
            retry_after,
        } => error_status(status, retry_after),
        FaultKind::Html { status } => html_page(status),
        FaultKind::Truncated => {
            let response = next.run(request).await;
            let body = to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            json_reply(body.slice(..body.len() / 2))
        }
        FaultKind::NotAPage => {
            json_reply(Bytes::from_static(br#"{"object":"list","data":[]}"#))
        }
        FaultKind::RepeatCursor => {
            request.extensions_mut().insert(RepeatCursor);
            next.run(request).await
        }
        FaultKind::Delay { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
    }
}

/// The status of a fault; checked when the fault was added.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// OpenAI's JSON error for `status`, worded as OpenAI words it for rate
/// limits and server errors.
fn error_status(status: u16, retry_after: Option<u32>) -> Response {
    let code = status_code(status);
    let failure = match status {
        429 => ApiFailure::new(
            code,
            "Rate limit reached for requests to the mock API. Please try \
             again later.",
        )
        .with_type("requests")
        .with_code("rate_limit_exceeded"),
        500.. => {
            let message = match status {
                500 => "The server had an error while processing your \
                        request. Sorry about that!"
                    .to_owned(),
                503 => "The server is overloaded or not ready yet.".to_owned(),
                _ => format!("The mock API was told to fail with {status}."),
            };
            ApiFailure::new(code, message).with_type("server_error")
        }
        _ => ApiFailure::new(
            code,
            format!("The mock API was told to refuse with {status}."),
        ),
    };
    let mut response = failure.into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// A bare HTML error page with `status`, like the ones a proxy sends.
fn html_page(status: u16) -> Response {
    let code = status_code(status);
    let title = format!(
        "{} {}",
        code.as_u16(),
        code.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
         <center><h1>{title}</h1></center>\r\n<hr><center>mock-proxy\
         </center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = (code, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// 200 with `body` as JSON, whether or not it parses.
fn json_reply(body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `POST /__mock/faults`: queues the [`Fault`] in the body. The body is
/// read as JSON whatever its content type, so `curl -d` works as is.
pub(crate) async fn add_fault(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Response {
    let added = serde_json::from_slice::<Fault>(&body)
        .map_err(|error| format!("not a fault: {error}"))
        .and_then(|fault| shared.faults.add(fault));
    match added {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(message) => (StatusCode::BAD_REQUEST, message).into_response(),
    }
}

/// `GET /__mock/faults`: the faults still pending.
pub(crate) async fn list_faults(
    State(shared): State<Arc<Shared>>,
) -> Json<Vec<Fault>> {
    Json(shared.faults.pending())
}

/// `DELETE /__mock/faults`: drops every pending fault.
pub(crate) async fn clear_faults(
    State(shared): State<Arc<Shared>>,
) -> StatusCode {
    shared.faults.clear();
    StatusCode::NO_CONTENT
}

/// `POST /__mock/latency?ms=N`: every API reply `N` milliseconds late.
pub(crate) async fn set_latency(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = Query::parse(raw.as_deref());
    match query
        .first("ms")
        .and_then(|ms| ms.trim().parse::<u64>().ok())
    {
        Some(ms) => {
            shared.faults.set_latency(Duration::from_millis(ms));
            StatusCode::NO_CONTENT.into_response()
        }
        None => (
            StatusCode::BAD_REQUEST,
            "expected ?ms=N, N a whole number of milliseconds",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_from_tagged_json() {
        let fault: Fault = serde_json::from_str(
            r#"{"path_contains": "/usage/",
                "kind": {"type": "status", "status": 429}}"#,
        )
        .unwrap();
        assert_eq!(
            fault,
            Fault::new(
                "/usage/",
                1,
                FaultKind::Status {
                    status: 429,
                    retry_after: None
                }
            )
        );
        let kind: FaultKind =
            serde_json::from_str(r#"{"type": "not_a_page"}"#).unwrap();
        assert_eq!(kind, FaultKind::NotAPage);
    }

    #[test]
    fn the_oldest_matching_fault_counts_down_then_goes() {
        let faults = Faults::default();
        faults
            .add(Fault::new("/costs", 2, FaultKind::Truncated))
            .unwrap();
        faults.add(Fault::new("", 1, FaultKind::NotAPage)).unwrap();
        assert_eq!(faults.take("/v1/x"), Some(FaultKind::NotAPage));
        assert_eq!(faults.take("/v1/x"), None);
        assert_eq!(faults.take("/v1/costs"), Some(FaultKind::Truncated));
        assert_eq!(faults.pending()[0].times, 1);
        assert_eq!(faults.take("/v1/costs"), Some(FaultKind::Truncated));
        assert!(faults.pending().is_empty());
    }

    #[test]
    fn impossible_statuses_are_refused() {
        let faults = Faults::default();
        let html = Fault::new("", 1, FaultKind::Html { status: 1000 });
        assert!(faults.add(html).is_err());
    }
}

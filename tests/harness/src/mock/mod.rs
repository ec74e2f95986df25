//! A local OpenAI Admin API serving the demo organization: usage of
//! every kind (daily and hourly), billed costs, and the listings.
//!
//! The same handlers answer under two prefixes: `/v1` behaves like OpenAI
//! with CORS allowed for any page, and `/nocors/v1` sends no CORS headers
//! at all, so a test can watch the browser block the reply and check the
//! app's "could not reach the API" message. Every request is recorded, so
//! tests can assert what the app asked for, not only what it showed.
//! Faults and latency can be injected (see [`Fault`]) to test retries,
//! error messages and speed against a misbehaving API.
//!
//! This module owns the configuration, the shared state, the handle and
//! the routing; each endpoint family lives in its own submodule.

mod access;
mod buckets;
mod copies;
mod costs;
mod error;
mod faults;
mod listings;
mod query;
mod usage;

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use keymeter::domain::demo::{demo_org, DemoOrg};
use keymeter::domain::time::Date;
use keymeter::domain::usage::UsageKind;
use serde::Serialize;

use crate::server::{self, Running};
use crate::tls;
use costs::CostsByDay;
use error::ApiFailure;
use faults::Faults;
pub use faults::{Fault, FaultKind};
use listings::Listings;
use usage::UsageByDay;

/// The admin key the mock accepts unless told otherwise. It is not a real
/// key and never was.
pub const DEFAULT_ADMIN_KEY: &str = "sk-admin-mock-0123456789abcdef";

/// The port `mock-api` listens on unless given `--port`.
pub const DEFAULT_PORT: u16 = 8787;

/// The connection id the served demo records carry; the app never sees it.
const CONNECTION: &str = "mock";

/// What the mock serves.
#[derive(Clone, Debug, PartialEq)]
pub struct MockConfig {
    /// The one key answered with data; any other key is refused the way
    /// OpenAI refuses it.
    pub admin_key: String,
    /// The last day (UTC) that has usage.
    pub last_day: Date,
    /// How many days of usage end with `last_day`.
    pub days: u32,
    /// Usage kinds whose endpoint answers 404, as an API older than them
    /// does (`file_search_calls`, `web_search_calls`).
    pub missing_kinds: Vec<UsageKind>,
    /// Whether costs may be grouped by `api_key_id`, as newer API
    /// versions allow; when false that grouping is refused with a 400.
    pub costs_by_key: bool,
    /// API keys added to the demo's nine, each a copy of a demo key with
    /// usage (see `copies`), for measuring a larger organization.
    pub extra_keys: u32,
    /// Serve HTTPS, offering HTTP/2 as OpenAI does, with a self-signed
    /// certificate the browser must be told to accept; plain HTTP/1.1
    /// when false.
    pub https: bool,
}

impl Default for MockConfig {
    /// 120 days of usage up to today (UTC), so the app's default ranges
    /// are full; every usage kind served, costs not groupable by key.
    fn default() -> Self {
        MockConfig {
            admin_key: DEFAULT_ADMIN_KEY.to_owned(),
            last_day: Date::from_unix(now()),
            days: 120,
            missing_kinds: Vec::new(),
            costs_by_key: false,
            extra_keys: 0,
            https: false,
        }
    }
}

/// One request the mock answered (preflights excepted). The
/// `Authorization` header is deliberately not kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    /// The path as sent, prefix included (`/v1/organization/projects`).
    pub path: String,
    /// The raw query string, still percent-encoded; empty if none.
    pub query: String,
    pub status: u16,
    /// The HTTP version the request came over (`HTTP/1.1`, `HTTP/2.0`).
    pub version: String,
}

impl RecordedRequest {
    /// The decoded values of query parameter `name`, in order, so repeated
    /// keys such as `group_by` can be checked.
    pub fn query_values(&self, name: &str) -> Vec<String> {
        query::Query::parse(Some(&self.query))
            .all(name)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

/// State shared by the handlers and the handle.
pub(crate) struct Shared {
    admin_key: String,
    org: DemoOrg,
    listings: Listings,
    /// The demo's daily records of each kind, by day.
    usage: HashMap<UsageKind, UsageByDay>,
    /// The demo's billed costs, by day.
    costs_by_day: CostsByDay,
    missing_kinds: Vec<UsageKind>,
    costs_by_key: bool,
    https: bool,
    faults: Faults,
    log: Mutex<Vec<RecordedRequest>>,
    /// Keys deleted since the server started: gone from the listings,
    /// their past usage still served, as OpenAI does.
    revoked: Mutex<HashSet<String>>,
    /// Usage of days from this UTC midnight on is served as empty, as if
    /// it had not happened yet; `i64::MAX` when nothing is held back.
    held_back: AtomicI64,
}

impl Shared {
    fn new(config: MockConfig) -> Self {
        let mut org = demo_org(CONNECTION, config.last_day, config.days);
        copies::add_keys(&mut org, config.extra_keys);
        let mut usage: HashMap<UsageKind, UsageByDay> = HashMap::new();
        for record in &org.usage {
            usage
                .entry(record.kind)
                .or_default()
                .entry(record.start_time)
                .or_default()
                .push(record.clone());
        }
        let mut costs_by_day = CostsByDay::new();
        for cost in &org.costs {
            costs_by_day
                .entry(cost.start_time)
                .or_default()
                .push(cost.clone());
        }
        Shared {
            admin_key: config.admin_key,
            listings: Listings::new(&org, config.last_day, config.days),
            org,
            usage,
            costs_by_day,
            missing_kinds: config.missing_kinds,
            costs_by_key: config.costs_by_key,
            https: config.https,
            faults: Faults::default(),
            log: Mutex::new(Vec::new()),
            revoked: Mutex::new(HashSet::new()),
            held_back: AtomicI64::new(i64::MAX),
        }
    }

    /// The first held-back day, if any.
    pub(crate) fn held_back_from(&self) -> Option<i64> {
        let from = self.held_back.load(Ordering::Relaxed);
        (from != i64::MAX).then_some(from)
    }

    pub(crate) fn revoked(&self) -> MutexGuard<'_, HashSet<String>> {
        self.revoked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The request log. A handler that panicked mid-push cannot leave it
    /// half-written, so a poisoned lock is still safe to read.
    fn log(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running mock API. Dropping it stops the server.
pub struct MockServer {
    shared: Arc<Shared>,
    running: Running,
}

impl MockServer {
    /// The address the server listens on (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    /// The API base to give the app: `http://127.0.0.1:PORT/v1`
    /// (`https://` when serving HTTPS).
    pub fn base_url(&self) -> String {
        format!("{}://{}/v1", self.scheme(), self.addr())
    }

    /// An API base whose replies carry no CORS headers, which a browser
    /// refuses to hand to the page.
    pub fn nocors_base_url(&self) -> String {
        format!("{}://{}/nocors/v1", self.scheme(), self.addr())
    }

    fn scheme(&self) -> &'static str {
        if self.shared.https {
            "https"
        } else {
            "http"
        }
    }

    /// The admin key the server accepts.
    pub fn admin_key(&self) -> &str {
        &self.shared.admin_key
    }

    /// The organization served, to compute expected totals from.
    pub fn org(&self) -> &DemoOrg {
        &self.shared.org
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log().clone()
    }

    /// Forgets the recorded requests, so a test can look at one step only.
    pub fn clear_requests(&self) {
        self.shared.log().clear();
    }

    /// Deletes an API key: later listings leave it out, while its past
    /// usage stays in the usage replies.
    pub fn revoke_key(&self, key_id: &str) {
        self.shared.revoked().insert(key_id.to_owned());
    }

    /// Serves the usage of `day` and later as empty until called again
    /// with `None`: usage that arrives between two syncs. Costs are
    /// served as they are.
    pub fn hold_back_usage_from(&self, day: Option<Date>) {
        let from = day.map_or(i64::MAX, Date::to_unix);
        self.shared.held_back.store(from, Ordering::Relaxed);
    }

    /// Answers the next `fault.times` API requests whose path contains
    /// `fault.path_contains` as `fault.kind` says, after any faults
    /// already pending for them. The same as `POST /__mock/faults`.
    ///
    /// # Panics
    /// If the fault names a status HTTP cannot send (outside 100-999):
    /// a mistake in the test, better caught where it is made.
    pub fn fail(&self, fault: Fault) {
        if let Err(reason) = self.shared.faults.add(fault) {
            panic!("cannot inject that fault: {reason}");
        }
    }

    /// The faults not used up yet, each with the requests it has left.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.shared.faults.pending()
    }

    /// Drops every pending fault. The same as `DELETE /__mock/faults`.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Delays every API reply (preflights included) by `latency`, to
    /// measure the app against a distant API; zero turns it off. The
    /// same as `POST /__mock/latency?ms=N`.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.faults.set_latency(latency);
    }

    /// Stops the server and waits until it no longer listens.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// Starts the mock on a free port of 127.0.0.1.
///
/// # Panics
/// If no loopback port can be bound, which leaves a test nothing to do.
pub async fn start(config: MockConfig) -> MockServer {
    start_on(config, 0)
        .await
        .expect("bind a free port on 127.0.0.1 for the mock API")
}

/// Starts the mock on `port` of 127.0.0.1 (0 picks a free one).
pub async fn start_on(config: MockConfig, port: u16) -> io::Result<MockServer> {
    let listener = server::bind(port).await?;
    let tls = if config.https {
        Some(tls::loopback_config()?)
    } else {
        None
    };
    let shared = Arc::new(Shared::new(config));
    let router = router(shared.clone());
    let running = match tls {
        Some(tls) => server::spawn_tls(listener, router, tls),
        None => server::spawn(listener, router),
    };
    Ok(MockServer { shared, running })
}

/// The whole site: the API twice (with and without CORS), the log and
/// the fault controls.
///
/// Layers, outermost first: the log (so it sees what was finally sent),
/// the latency, CORS (so faulted replies stay readable by the page), the
/// faults, then the key check inside [`api`].
fn router(shared: Arc<Shared>) -> Router {
    let with_cors = api(shared.clone())
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn(access::cors))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::delay,
        ))
        .layer(middleware::from_fn_with_state(shared.clone(), record));
    let without_cors = api(shared.clone())
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::delay,
        ))
        .layer(middleware::from_fn_with_state(shared.clone(), record));
    Router::new()
        .nest("/v1", with_cors)
        .nest("/nocors/v1", without_cors)
        .route(
            "/__mock/requests",
            get(list_requests).delete(clear_requests),
        )
        .route(
            "/__mock/faults",
            get(faults::list_faults)
                .post(faults::add_fault)
                .delete(faults::clear_faults),
        )
        .route("/__mock/latency", post(faults::set_latency))
        .with_state(shared)
}

/// The Admin API endpoints, each behind the key check.
fn api(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/organization/projects", get(listings::projects))
        .route(
            "/organization/projects/{project_id}/api_keys",
            get(listings::api_keys),
        )
        .route(
            "/organization/projects/{project_id}/service_accounts",
            get(listings::service_accounts),
        )
        .route("/organization/users", get(listings::users))
        .route("/organization/usage/{kind}", get(usage::usage))
        .route("/organization/costs", get(costs::costs))
        .fallback(unknown_endpoint)
        .layer(middleware::from_fn_with_state(shared, access::authorize))
}

/// Logs each answered request with its status. Preflights are left out:
/// they say nothing about what the app asked for, and a browser may or may
/// not send them depending on its cache.
async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |original| original.0.clone());
    let method = request.method().to_string();
    let version = format!("{:?}", request.version());
    let response = next.run(request).await;
    shared.log().push(RecordedRequest {
        method,
        path: uri.path().to_owned(),
        query: uri.query().unwrap_or_default().to_owned(),
        status: response.status().as_u16(),
        version,
    });
    response
}

/// OpenAI's answer to a path it does not serve.
async fn unknown_endpoint(
    method: Method,
    OriginalUri(uri): OriginalUri,
) -> ApiFailure {
    ApiFailure::unknown_url(method.as_str(), uri.path())
}

/// `GET /__mock/requests`: the log as JSON, for poking at by hand. Any page
/// may read it, so it can be checked from the app's own console.
async fn list_requests(State(shared): State<Arc<Shared>>) -> Response {
    let log = shared.log().clone();
    let mut response = Json(log).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// `DELETE /__mock/requests`: empties the log.
async fn clear_requests(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.log().clear();
    StatusCode::NO_CONTENT
}

/// Unix seconds now. A clock before 1970 is a broken machine; reading it
/// as 0 keeps the mock answering rather than panicking mid-test.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

//! The browser's client for the Admin API, over gloo-net (`fetch`).
//!
//! The admin key goes only to the configured API base, in the one header
//! the API needs; it is never logged, and `Debug` does not show it. Every
//! request can be cancelled and gives up after `TIMEOUT_MS`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, ReferrerPolicy, RequestCredentials};

use super::endpoints;
use super::error::ApiError;
use super::types::{
    ApiKeyObject, CostsPage, ListPage, PersonObject, ProjectObject, UsagePage,
};
use crate::domain::keys::{ApiKey, OwnerKind, Project};
use crate::domain::people::Person;
use crate::domain::usage::{BucketWidth, UsageKind};

/// How long one request may take before it is abandoned and retried.
pub const TIMEOUT_MS: i32 = 30_000;

/// Stops every request of a task at once (the Cancel button).
#[derive(Clone, Default)]
pub struct CancelToken(Rc<CancelState>);

#[derive(Default)]
struct CancelState {
    cancelled: Cell<bool>,
    in_flight: RefCell<Vec<AbortController>>,
}

impl CancelToken {
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        for controller in self.0.in_flight.borrow_mut().drain(..) {
            controller.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }
}

/// A connection's base URL and admin key, for the length of a task.
#[derive(Clone)]
pub struct Client {
    base: String,
    secret: String,
    cancel: CancelToken,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("secret", &"<hidden>")
            .finish()
    }
}

impl Client {
    pub fn new(base: &str, secret: &str) -> Self {
        Client {
            base: endpoints::normalize_base(base),
            secret: secret.trim().to_owned(),
            cancel: CancelToken::default(),
        }
    }

    /// Ties every request of this client to `cancel`.
    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// GETs `url` and reads the JSON reply as `T`.
    async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        if self.cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        let controller =
            AbortController::new().map_err(|_| ApiError::Unreachable)?;
        self.cancel
            .0
            .in_flight
            .borrow_mut()
            .push(controller.clone());
        let timer = Timeout::start(&controller);

        let sent = Request::get(url)
            .header("Authorization", &format!("Bearer {}", self.secret))
            // No cookies and no referrer: the API needs neither, and the
            // page's address is nobody else's business.
            .credentials(RequestCredentials::Omit)
            .referrer_policy(ReferrerPolicy::NoReferrer)
            .abort_signal(Some(&controller.signal()))
            .send()
            .await;
        let outcome = match sent {
            Ok(reply) => {
                let status = reply.status();
                let retry_after = reply
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.trim().parse::<u32>().ok());
                reply.text().await.map(|body| (status, retry_after, body))
            }
            Err(error) => Err(error),
        };
        let timed_out = timer.finish();
        self.cancel
            .0
            .in_flight
            .borrow_mut()
            .retain(|c| c != &controller);

        // fetch() hides the reason of a network or CORS failure from the
        // page, so both reach us as the same error.
        let (status, retry_after, body) = outcome.map_err(|_| {
            if self.cancel.is_cancelled() {
                ApiError::Cancelled
            } else if timed_out {
                ApiError::Timeout
            } else {
                ApiError::Unreachable
            }
        })?;
        if !(200..300).contains(&status) {
            return Err(match ApiError::from_reply(status, &body) {
                ApiError::RateLimited { .. } => {
                    ApiError::RateLimited { retry_after }
                }
                other => other,
            });
        }
        serde_json::from_str(&body).map_err(|e| {
            let what = if body.trim_start().starts_with('<') {
                "an HTML page instead of JSON".to_owned()
            } else {
                e.to_string()
            };
            ApiError::Malformed(what)
        })
    }

    /// Every item of a cursor-paged listing.
    async fn list<T: DeserializeOwned>(
        &self,
        url_of: impl Fn(Option<&str>) -> String,
    ) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page: ListPage<T> = self.get(&url_of(after.as_deref())).await?;
            expect_object(&page.object, "list")?;
            let last = page.last_id.clone();
            out.extend(page.data);
            if !page.has_more {
                return Ok(out);
            }
            after = next_after(after, last)?;
        }
    }

    /// Every project of the organization, archived ones included.
    pub async fn projects(
        &self,
        connection_id: &str,
    ) -> Result<Vec<Project>, ApiError> {
        let all: Vec<ProjectObject> = self
            .list(|after| endpoints::projects(&self.base, after))
            .await?;
        Ok(all
            .into_iter()
            .map(|p| p.into_project(connection_id))
            .collect())
    }

    /// Every API key of one project, whoever owns it.
    pub async fn api_keys(
        &self,
        connection_id: &str,
        project_id: &str,
    ) -> Result<Vec<ApiKey>, ApiError> {
        let all: Vec<ApiKeyObject> = self
            .list(|after| endpoints::api_keys(&self.base, project_id, after))
            .await?;
        Ok(all
            .into_iter()
            .map(|k| k.into_key(connection_id, project_id))
            .collect())
    }

    /// Every user of the organization.
    pub async fn users(
        &self,
        connection_id: &str,
    ) -> Result<Vec<Person>, ApiError> {
        let all: Vec<PersonObject> = self
            .list(|after| endpoints::users(&self.base, after))
            .await?;
        Ok(all
            .into_iter()
            .map(|p| p.into_person(connection_id, OwnerKind::User))
            .collect())
    }

    /// Every service account of one project.
    pub async fn service_accounts(
        &self,
        connection_id: &str,
        project_id: &str,
    ) -> Result<Vec<Person>, ApiError> {
        let all: Vec<PersonObject> = self
            .list(|after| {
                endpoints::service_accounts(&self.base, project_id, after)
            })
            .await?;
        Ok(all
            .into_iter()
            .map(|p| p.into_person(connection_id, OwnerKind::ServiceAccount))
            .collect())
    }

    /// Whether the task this client belongs to was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// One page of usage: the first when `page` is `None`.
    pub async fn usage_page(
        &self,
        kind: UsageKind,
        width: BucketWidth,
        range: (i64, i64),
        page: Option<String>,
    ) -> Result<UsagePage, ApiError> {
        let url = endpoints::usage(
            &self.base,
            kind,
            width,
            range.0,
            range.1,
            page.as_deref(),
        );
        let page: UsagePage = self.get(&url).await?;
        expect_object(&page.object, "page")?;
        Ok(page)
    }

    /// One page of billed costs: the first when `page` is `None`.
    pub async fn costs_page(
        &self,
        range: (i64, i64),
        by_key: bool,
        page: Option<String>,
    ) -> Result<CostsPage, ApiError> {
        let url = endpoints::costs(
            &self.base,
            range.0,
            range.1,
            by_key,
            page.as_deref(),
        );
        let page: CostsPage = self.get(&url).await?;
        expect_object(&page.object, "page")?;
        Ok(page)
    }
}

/// Aborts a request after `TIMEOUT_MS`, remembering that it did.
struct Timeout {
    handle: Option<i32>,
    fired: Rc<Cell<bool>>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    fn start(controller: &AbortController) -> Timeout {
        let fired = Rc::new(Cell::new(false));
        let callback = {
            let (fired, controller) = (fired.clone(), controller.clone());
            Closure::<dyn FnMut()>::new(move || {
                fired.set(true);
                controller.abort();
            })
        };
        let handle = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
        });
        Timeout {
            handle,
            fired,
            _callback: callback,
        }
    }

    /// Stops the timer; true when it had already fired.
    fn finish(self) -> bool {
        if let (Some(handle), Some(window)) = (self.handle, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
        self.fired.get()
    }
}

fn expect_object(found: &str, wanted: &str) -> Result<(), ApiError> {
    if found == wanted {
        Ok(())
    } else {
        Err(ApiError::Malformed(format!(
            "expected a {wanted}, got \"{found}\""
        )))
    }
}

/// The `after` cursor of a listing's next page; it must move forward.
fn next_after(
    previous: Option<String>,
    last_id: Option<String>,
) -> Result<Option<String>, ApiError> {
    match last_id {
        Some(last) if previous.as_deref() != Some(last.as_str()) => {
            Ok(Some(last))
        }
        Some(_) => Err(ApiError::PagingLoop),
        None => Err(ApiError::Malformed("has_more without last_id".into())),
    }
}

/// Waits `millis` without blocking the page.
pub async fn sleep(millis: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    millis.min(i32::MAX as u32) as i32,
                );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

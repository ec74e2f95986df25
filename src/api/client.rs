//! The browser's client for the Admin API, over gloo-net (`fetch`).
//!
//! The admin key goes only to the configured API base, in the one header
//! the API needs; it is never logged, and `Debug` does not show it.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use web_sys::{AbortSignal, ReferrerPolicy, RequestCredentials};

use super::endpoints;
use super::error::ApiError;
use super::paging::Cursor;
use super::types::{ApiKeyObject, ListPage, ProjectObject, UsagePage};
use crate::domain::keys::{ApiKey, Project};
use crate::domain::usage::{BucketWidth, UsageKind};

/// A connection's base URL and admin key, for the length of a task.
#[derive(Clone)]
pub struct Client {
    base: String,
    secret: String,
    signal: Option<AbortSignal>,
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
            signal: None,
        }
    }

    /// Cancels in-flight requests when `signal` aborts.
    pub fn with_abort(mut self, signal: AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }

    /// GETs `url` and reads the JSON reply as `T`.
    async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        let reply = Request::get(url)
            .header("Authorization", &format!("Bearer {}", self.secret))
            // No cookies and no referrer: the API needs neither, and the
            // page's address is nobody else's business.
            .credentials(RequestCredentials::Omit)
            .referrer_policy(ReferrerPolicy::NoReferrer)
            .abort_signal(self.signal.as_ref())
            .send()
            .await
            // fetch() hides the reason of a network or CORS failure from
            // the page, so both reach us as the same error.
            .map_err(|_| ApiError::Unreachable)?;
        let status = reply.status();
        let body = reply.text().await.map_err(|_| ApiError::Unreachable)?;
        if !(200..300).contains(&status) {
            return Err(ApiError::from_reply(status, &body));
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

    /// Every project of the organization, archived ones included.
    pub async fn projects(
        &self,
        connection_id: &str,
    ) -> Result<Vec<Project>, ApiError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let url = endpoints::projects(&self.base, after.as_deref());
            let page: ListPage<ProjectObject> = self.get(&url).await?;
            expect_object(&page.object, "list")?;
            let last = page.last_id.clone();
            out.extend(
                page.data.into_iter().map(|p| p.into_project(connection_id)),
            );
            if !page.has_more {
                return Ok(out);
            }
            after = next_after(after, last)?;
        }
    }

    /// Every API key of one project, whoever owns it.
    pub async fn api_keys(
        &self,
        connection_id: &str,
        project_id: &str,
    ) -> Result<Vec<ApiKey>, ApiError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let url =
                endpoints::api_keys(&self.base, project_id, after.as_deref());
            let page: ListPage<ApiKeyObject> = self.get(&url).await?;
            expect_object(&page.object, "list")?;
            let last = page.last_id.clone();
            out.extend(
                page.data
                    .into_iter()
                    .map(|k| k.into_key(connection_id, project_id)),
            );
            if !page.has_more {
                return Ok(out);
            }
            after = next_after(after, last)?;
        }
    }

    /// One page of usage; `cursor` says which and records where it ends.
    pub async fn usage_page(
        &self,
        kind: UsageKind,
        width: BucketWidth,
        range: (i64, i64),
        cursor: &mut Cursor,
    ) -> Result<UsagePage, ApiError> {
        let url = endpoints::usage(
            &self.base,
            kind,
            width,
            range.0,
            range.1,
            cursor.next_page(),
        );
        let page: UsagePage = self.get(&url).await?;
        expect_object(&page.object, "page")?;
        cursor.advance(page.has_more, page.next_page.clone())?;
        Ok(page)
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

//! Who may call the mock and from which pages: the admin key check with
//! OpenAI's replies for the wrong kinds of key, and the CORS headers that
//! let a page on another origin read the replies.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiFailure;
use super::Shared;

/// Prefixes of project and service-account keys: real keys that OpenAI
/// knows but that lack the admin scopes.
const SCOPED_KEY_PREFIXES: [&str; 2] = ["sk-proj-", "sk-svcacct-"];

/// Lets the request through only with the configured admin key.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    // Usage (costs included) and management endpoints need different
    // scopes, and OpenAI names the missing one; the app relies on that
    // wording.
    let path = request.uri().path();
    let scope = if path.contains("/organization/usage/")
        || path.ends_with("/organization/costs")
    {
        "api.usage.read"
    } else {
        "api.management.read"
    };
    match check(&shared.admin_key, request.headers(), scope) {
        Ok(()) => next.run(request).await,
        Err(failure) => failure.into_response(),
    }
}

fn check(
    admin_key: &str,
    headers: &HeaderMap,
    scope: &str,
) -> Result<(), ApiFailure> {
    let Some(key) = bearer(headers) else {
        return Err(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            "You didn't provide an API key. You need to provide your API key \
             in an Authorization header using Bearer auth (i.e. \
             Authorization: Bearer YOUR_KEY).",
        )
        .with_code("invalid_api_key"));
    };
    if key == admin_key {
        return Ok(());
    }
    if SCOPED_KEY_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        return Err(ApiFailure::new(
            StatusCode::FORBIDDEN,
            format!(
                "You have insufficient permissions for this operation. \
                 Missing scopes: {scope}."
            ),
        ));
    }
    Err(ApiFailure::new(
        StatusCode::UNAUTHORIZED,
        format!(
            "Incorrect API key provided: {}. You can find your API key at \
             https://platform.openai.com/account/api-keys.",
            mask(&key)
        ),
    )
    .with_code("invalid_api_key"))
}

/// The key of an `Authorization: Bearer <key>` header, if there is one.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?;
    let value = String::from_utf8_lossy(value.as_bytes());
    let (scheme, key) = value.trim().split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty())
        .then(|| key.to_owned())
}

/// A key as OpenAI quotes it back: a few characters from each end, so the
/// owner recognizes it while a log reader learns nothing useful. Short
/// keys are hidden entirely.
fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        return "***".to_owned();
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}***{tail}")
}

/// Answers preflights and marks every reply readable by any page. Applied
/// outside [`authorize`], because a browser sends preflights without the
/// key and drops any reply, error or not, that lacks these headers.
pub(crate) async fn cors(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        allow_any_origin(headers);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return response;
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    allow_any_origin(headers);
    // Without this the page cannot read how long a 429 asks it to wait.
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    response
}

fn allow_any_origin(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_never_shows_a_key_whole() {
        assert_eq!(mask("sk-admin-wrong-key-xyz"), "sk-ad***xyz");
        assert_eq!(mask("sk-short"), "***");
        assert_eq!(mask("ключ-ключ-ключ"), "ключ-***люч");
    }

    #[test]
    fn only_bearer_credentials_count() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic abc"),
        );
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  k1 "),
        );
        assert_eq!(bearer(&headers).as_deref(), Some("k1"));
    }
}

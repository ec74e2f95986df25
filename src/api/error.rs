//! What can go wrong when talking to the Admin API, classified from the
//! status and body so that each failure reaches the user as a sentence
//! saying what happened and what to do.

use super::types::ErrorBody;

/// A failed call to the Admin API.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "This key cannot read organization usage. keymeter needs an Admin \
         key (it starts with sk-admin-); project and service-account keys \
         are refused. An organization owner can create one on OpenAI's \
         platform under Settings, Organization, Admin keys."
    )]
    NotAdminKey,
    #[error(
        "OpenAI did not accept this key. Check that it was copied whole and \
         has not been revoked."
    )]
    WrongKey,
    #[error("The API refused access: {0}")]
    Forbidden(String),
    #[error(
        "The browser could not reach the API, or the API did not allow this \
         page to read its replies (CORS). Check the API base URL, or use a \
         proxy that allows this page."
    )]
    Unreachable,
    #[error("The API is rate limiting requests. Try again in a minute.")]
    RateLimited { retry_after: Option<u32> },
    #[error("The API had a problem (HTTP {0}). Try again later.")]
    Server(u16),
    #[error("The API answered HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error(
        "The API sent a reply keymeter could not read ({0}). Nothing from it \
         was stored."
    )]
    Malformed(String),
    #[error("The API kept pointing to the same page, so fetching stopped.")]
    PagingLoop,
    #[error("The API took too long to answer.")]
    Timeout,
    #[error("Cancelled.")]
    Cancelled,
}

impl ApiError {
    /// Classifies a non-success reply from its status and body text.
    pub fn from_reply(status: u16, body: &str) -> Self {
        let detail = serde_json::from_str::<ErrorBody>(body)
            .ok()
            .and_then(|b| b.error)
            .unwrap_or_default();
        let message = detail.message.unwrap_or_default();
        let code = detail.code.unwrap_or_default();
        let missing_scope = message.contains("Missing scopes")
            || message.contains("insufficient permissions");
        match status {
            401 | 403 if missing_scope => ApiError::NotAdminKey,
            401 => ApiError::WrongKey,
            403 if code == "invalid_api_key" => ApiError::WrongKey,
            403 => ApiError::Forbidden(short(&message)),
            429 => ApiError::RateLimited { retry_after: None },
            500..=599 => ApiError::Server(status),
            _ => ApiError::Status {
                status,
                message: short(&message),
            },
        }
    }

    /// Whether trying the same request again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server(_)
                | ApiError::Unreachable
                | ApiError::Timeout
        )
    }

    /// Whether the endpoint does not exist on this API.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Status { status: 404, .. })
    }

    /// Whether the API refused a parameter (as older versions do for
    /// grouping costs by key).
    pub fn is_bad_request(&self) -> bool {
        matches!(self, ApiError::Status { status: 400, .. })
    }
}

/// An API message cut to a length that fits a sentence in the UI.
fn short(message: &str) -> String {
    let trimmed = message.trim();
    if trimmed.is_empty() {
        return "no details given".to_owned();
    }
    match trimmed.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(message: &str, code: Option<&str>) -> String {
        serde_json::json!({
            "error": {"message": message, "type": "invalid_request_error",
                      "param": null, "code": code}
        })
        .to_string()
    }

    #[test]
    fn a_project_key_is_told_it_needs_an_admin_key() {
        let reply = body(
            "You have insufficient permissions for this operation. \
             Missing scopes: api.usage.read.",
            None,
        );
        assert_eq!(ApiError::from_reply(403, &reply), ApiError::NotAdminKey);
        assert_eq!(ApiError::from_reply(401, &reply), ApiError::NotAdminKey);
        assert!(ApiError::NotAdminKey.to_string().contains("Admin key"));
    }

    #[test]
    fn a_wrong_key_is_named_as_such() {
        let reply = body(
            "Incorrect API key provided: sk-ad...xyz.",
            Some("invalid_api_key"),
        );
        assert_eq!(ApiError::from_reply(401, &reply), ApiError::WrongKey);
    }

    #[test]
    fn html_error_pages_and_empty_bodies_still_classify() {
        assert_eq!(
            ApiError::from_reply(502, "<html>Bad gateway</html>"),
            ApiError::Server(502)
        );
        assert_eq!(
            ApiError::from_reply(404, ""),
            ApiError::Status {
                status: 404,
                message: "no details given".into()
            }
        );
        assert!(ApiError::from_reply(429, "").is_transient());
        assert!(!ApiError::WrongKey.is_transient());
    }
}

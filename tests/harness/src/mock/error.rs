//! OpenAI's error envelope, so the app's error classification meets the
//! same bodies here that it meets in production.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A refused request, answered as
/// `{"error": {"message", "type", "param", "code"}}`.
#[derive(Debug)]
pub(crate) struct ApiFailure {
    status: StatusCode,
    message: String,
    kind: &'static str,
    param: Option<&'static str>,
    code: Option<&'static str>,
}

impl ApiFailure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            message: message.into(),
            kind: "invalid_request_error",
            param: None,
            code: None,
        }
    }

    /// A 400 naming the query parameter at fault.
    pub(crate) fn bad_param(
        param: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiFailure {
            param: Some(param),
            ..ApiFailure::new(StatusCode::BAD_REQUEST, message)
        }
    }

    /// OpenAI's answer to a path it does not serve, which is also how an
    /// older API answers for an endpoint it does not have yet.
    pub(crate) fn unknown_url(method: &str, path: &str) -> Self {
        ApiFailure::new(
            StatusCode::NOT_FOUND,
            format!("Invalid URL ({method} {path})"),
        )
    }

    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The `type` field; `invalid_request_error` unless set.
    pub(crate) fn with_type(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param,
                "code": self.code,
            }
        });
        (self.status, Json(body)).into_response()
    }
}

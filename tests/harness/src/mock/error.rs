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
    param: Option<&'static str>,
    code: Option<&'static str>,
}

impl ApiFailure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            message: message.into(),
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

    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "message": self.message,
                "type": "invalid_request_error",
                "param": self.param,
                "code": self.code,
            }
        });
        (self.status, Json(body)).into_response()
    }
}

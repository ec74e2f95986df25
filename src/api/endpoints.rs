//! URLs of the Admin API endpoints keymeter calls, built from the
//! user-chosen API base so that a proxy or the local mock can stand in.

use crate::domain::usage::{BucketWidth, UsageKind};

/// The API base used when the user gives none.
pub const DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// The most items a listing page may hold.
pub const LIST_LIMIT: u32 = 100;

/// Normalizes a user-typed base URL: trims spaces and trailing slashes.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        DEFAULT_BASE.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Checks that a base URL is http(s) with a host, in words the user reads.
pub fn validate_base(base: &str) -> Result<(), String> {
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .ok_or("The API base URL must start with https:// or http://.")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("The API base URL needs a host name.".to_owned());
    }
    if rest.contains(['?', '#', '@', ' ']) {
        return Err("The API base URL cannot hold a query, a fragment, a \
                    user name or spaces; give just the address, such as \
                    https://api.openai.com/v1."
            .to_owned());
    }
    // The page's security policy lets plain http reach this machine only,
    // so an admin key never crosses a network unencrypted.
    if base.starts_with("http://") && !loopback(rest) {
        return Err("Plain http:// is allowed only to this machine \
                    (127.0.0.1 or localhost), so the admin key never \
                    crosses a network unencrypted. Use an https:// address."
            .to_owned());
    }
    Ok(())
}

/// Whether the host of `rest` (a URL after its scheme) is this machine.
fn loopback(rest: &str) -> bool {
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(authority, |(host, _)| host);
    host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")
}

/// `GET {base}/organization/projects`, one page.
pub fn projects(base: &str, after: Option<&str>) -> String {
    let mut q = Query::new();
    q.push("include_archived", "true");
    q.push("limit", &LIST_LIMIT.to_string());
    if let Some(after) = after {
        q.push("after", after);
    }
    format!("{base}/organization/projects?{}", q.0)
}

/// `GET {base}/organization/projects/{id}/api_keys`, one page.
pub fn api_keys(base: &str, project_id: &str, after: Option<&str>) -> String {
    let mut q = Query::new();
    q.push("owner_project_access", "any");
    q.push("limit", &LIST_LIMIT.to_string());
    if let Some(after) = after {
        q.push("after", after);
    }
    format!(
        "{base}/organization/projects/{}/api_keys?{}",
        encode(project_id),
        q.0
    )
}

/// `GET {base}/organization/usage/{kind}`, one page grouped by every
/// dimension the kind allows, so each stored row is as fine as it can be.
pub fn usage(
    base: &str,
    kind: UsageKind,
    width: BucketWidth,
    start: i64,
    end: i64,
    page: Option<&str>,
) -> String {
    let mut q = Query::new();
    q.push("start_time", &start.to_string());
    q.push("end_time", &end.to_string());
    q.push("bucket_width", width.as_str());
    for group in kind.group_by() {
        q.push("group_by", group);
    }
    q.push("limit", &width.max_page_limit().to_string());
    if let Some(page) = page {
        q.push("page", page);
    }
    format!("{base}/organization/usage/{}?{}", kind.path(), q.0)
}

/// `GET {base}/organization/costs`, one page of daily costs grouped by
/// project and line item, and by key when `by_key`.
pub fn costs(
    base: &str,
    start: i64,
    end: i64,
    by_key: bool,
    page: Option<&str>,
) -> String {
    let mut q = Query::new();
    q.push("start_time", &start.to_string());
    q.push("end_time", &end.to_string());
    q.push("bucket_width", "1d");
    q.push("group_by", "project_id");
    q.push("group_by", "line_item");
    if by_key {
        q.push("group_by", "api_key_id");
    }
    q.push("limit", "180");
    if let Some(page) = page {
        q.push("page", page);
    }
    format!("{base}/organization/costs?{}", q.0)
}

/// `GET {base}/organization/users`, one page.
pub fn users(base: &str, after: Option<&str>) -> String {
    let mut q = Query::new();
    q.push("limit", &LIST_LIMIT.to_string());
    if let Some(after) = after {
        q.push("after", after);
    }
    format!("{base}/organization/users?{}", q.0)
}

/// `GET {base}/organization/projects/{id}/service_accounts`, one page.
pub fn service_accounts(
    base: &str,
    project_id: &str,
    after: Option<&str>,
) -> String {
    let mut q = Query::new();
    q.push("limit", &LIST_LIMIT.to_string());
    if let Some(after) = after {
        q.push("after", after);
    }
    format!(
        "{base}/organization/projects/{}/service_accounts?{}",
        encode(project_id),
        q.0
    )
}

struct Query(String);

impl Query {
    fn new() -> Self {
        Query(String::new())
    }

    fn push(&mut self, name: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(name);
        self.0.push('=');
        self.0.push_str(&encode(value));
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_url_repeats_group_by_and_asks_for_full_pages() {
        let url = usage(
            "http://127.0.0.1:9/v1",
            UsageKind::Completions,
            BucketWidth::Day,
            100,
            200,
            Some("page/2+x"),
        );
        assert_eq!(
            url,
            "http://127.0.0.1:9/v1/organization/usage/completions?\
             start_time=100&end_time=200&bucket_width=1d\
             &group_by=project_id&group_by=user_id&group_by=api_key_id\
             &group_by=model&group_by=batch&group_by=service_tier\
             &limit=31&page=page%2F2%2Bx"
        );
    }

    #[test]
    fn base_urls_are_normalized_and_checked() {
        assert_eq!(normalize_base(" https://x.test/v1/ "), "https://x.test/v1");
        assert_eq!(normalize_base(""), DEFAULT_BASE);
        assert!(validate_base("https://api.openai.com/v1").is_ok());
        assert!(validate_base("ftp://x").is_err());
        assert!(validate_base("https:///v1").is_err());
        assert!(validate_base("http://127.0.0.1:8787/v1?x=1").is_err());
        assert!(validate_base("https://user:pw@proxy.test/v1").is_err());
    }

    #[test]
    fn plain_http_reaches_this_machine_only() {
        for base in [
            "http://127.0.0.1:8787/v1",
            "http://localhost/v1",
            "http://LOCALHOST:3000",
        ] {
            assert!(validate_base(base).is_ok(), "{base}");
        }
        for base in [
            "http://example.com/v1",
            "http://127.0.0.1.example.com/v1",
            "http://localhost.example.com:80/v1",
            "http://10.0.0.1:8787/v1",
        ] {
            let said = validate_base(base).unwrap_err();
            assert!(said.contains("https://"), "{base}: {said}");
        }
        assert!(validate_base("https://proxy.example.com/v1").is_ok());
    }
}

//! The mock Admin API, exercised over loopback the way the app calls it:
//! paging, grouping, keys, CORS and the request log.

mod common;

use common::{send, Reply};
use keymeter::domain::time::{Date, DAY};
use keymeter::domain::usage::TokenCounts;
use keymeter_harness::mock::{start, MockConfig, MockServer};
use serde_json::Value;

const ADMIN_KEY: &str = "sk-admin-test-0000000000000000";

/// A fixed last day, so every run sees the same data.
const LAST_DAY: Date = Date {
    year: 2026,
    month: 3,
    day: 31,
};

fn config(days: u32) -> MockConfig {
    MockConfig {
        admin_key: ADMIN_KEY.to_owned(),
        last_day: LAST_DAY,
        days,
    }
}

/// `GET /v1{path}` with `key`.
async fn get_with(server: &MockServer, path: &str, key: &str) -> Reply {
    let auth = format!("Bearer {key}");
    send(
        server.addr(),
        "GET",
        &format!("/v1{path}"),
        &[("Authorization", &auth)],
    )
    .await
}

async fn get(server: &MockServer, path: &str) -> Reply {
    get_with(server, path, ADMIN_KEY).await
}

/// The usage query for `days` whole days ending with `LAST_DAY`.
fn usage_path(days: i64, limit: u32, group_by: &[&str]) -> String {
    let end = LAST_DAY.to_unix() + DAY;
    let mut path = format!(
        "/organization/usage/completions?start_time={}&end_time={end}\
         &bucket_width=1d&limit={limit}",
        end - days * DAY
    );
    for group in group_by {
        path.push_str(&format!("&group_by={group}"));
    }
    path
}

/// Follows `next_page` to the end; returns the buckets and the requests it
/// took.
async fn all_buckets(server: &MockServer, path: &str) -> (Vec<Value>, usize) {
    let mut buckets = Vec::new();
    let mut page: Option<String> = None;
    for requests in 1.. {
        let target = match &page {
            Some(cursor) => format!("{path}&page={cursor}"),
            None => path.to_owned(),
        };
        let reply = get(server, &target).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let body = reply.json();
        assert_eq!(body["object"], "page");
        buckets.extend(body["data"].as_array().unwrap().iter().cloned());
        if body["has_more"] != true {
            assert!(body["next_page"].is_null());
            return (buckets, requests);
        }
        page = Some(body["next_page"].as_str().unwrap().to_owned());
    }
    unreachable!()
}

fn counts_of(result: &Value) -> TokenCounts {
    let n = |name: &str| result[name].as_u64().unwrap();
    TokenCounts {
        requests: n("num_model_requests"),
        input: n("input_tokens"),
        cached_input: n("input_cached_tokens"),
        output: n("output_tokens"),
        input_audio: n("input_audio_tokens"),
        output_audio: n("output_audio_tokens"),
    }
}

fn results(buckets: &[Value]) -> Vec<&Value> {
    buckets
        .iter()
        .flat_map(|bucket| bucket["results"].as_array().unwrap())
        .collect()
}

/// The generator's totals for the days starting in `[from, to)`.
fn expected_totals(server: &MockServer, from: i64, to: i64) -> TokenCounts {
    let mut total = TokenCounts::default();
    for record in &server.org().usage {
        if (from..to).contains(&record.start_time) {
            total.add(&record.counts);
        }
    }
    total
}

#[tokio::test]
async fn paging_400_daily_buckets_by_31_takes_13_requests() {
    let server = start(config(400)).await;
    let path = usage_path(400, 31, &["model"]);

    let (buckets, requests) = all_buckets(&server, &path).await;

    assert_eq!(requests, 13);
    assert_eq!(server.requests().len(), 13);
    assert_eq!(buckets.len(), 400);
    let first = LAST_DAY.to_unix() - 399 * DAY;
    for (i, bucket) in buckets.iter().enumerate() {
        let start = first + i as i64 * DAY;
        assert_eq!(bucket["object"], "bucket");
        assert_eq!(bucket["start_time"], start);
        assert_eq!(bucket["end_time"], start + DAY);
        assert!(!bucket["results"].as_array().unwrap().is_empty());
    }
    // Later pages keep the query and only add the cursor.
    for request in server.requests() {
        assert_eq!(request.query_values("limit"), ["31"]);
        assert_eq!(request.query_values("group_by"), ["model"]);
    }
}

#[tokio::test]
async fn totals_under_any_grouping_equal_the_generators_records() {
    let server = start(config(60)).await;
    let end = LAST_DAY.to_unix() + DAY;
    let expected = expected_totals(&server, end - 45 * DAY, end);
    let groupings: [&[&str]; 5] = [
        &[],
        &["model"],
        &["project_id", "api_key_id"],
        &["user_id", "batch", "service_tier"],
        &["project_id", "user_id", "api_key_id", "model", "batch"],
    ];

    for group_by in groupings {
        let path = usage_path(45, 31, group_by);
        let (buckets, _) = all_buckets(&server, &path).await;

        let mut total = TokenCounts::default();
        for result in results(&buckets) {
            total.add(&counts_of(result));
        }
        assert_eq!(total, expected, "group_by {group_by:?}");
    }
}

#[tokio::test]
async fn fields_left_out_of_group_by_are_null_and_their_rows_summed() {
    let server = start(config(10)).await;

    let (buckets, _) =
        all_buckets(&server, &usage_path(10, 31, &["model"])).await;

    for bucket in &buckets {
        let rows = bucket["results"].as_array().unwrap();
        let mut models: Vec<&str> =
            rows.iter().map(|r| r["model"].as_str().unwrap()).collect();
        models.sort_unstable();
        models.dedup();
        assert_eq!(models.len(), rows.len(), "one row per model");
        for row in rows {
            assert_eq!(row["object"], "organization.usage.completions.result");
            for field in [
                "project_id",
                "user_id",
                "api_key_id",
                "batch",
                "service_tier",
            ] {
                assert!(row[field].is_null(), "{field} in {row}");
            }
        }
    }
}

#[tokio::test]
async fn usage_without_a_key_stays_null_when_grouped_by_key() {
    let server = start(config(3)).await;

    let (buckets, _) =
        all_buckets(&server, &usage_path(3, 31, &["api_key_id"])).await;

    for bucket in &buckets {
        let rows = bucket["results"].as_array().unwrap();
        assert!(rows.iter().any(|r| r["api_key_id"].is_null()));
        assert!(rows.iter().any(|r| r["api_key_id"].is_string()));
    }
}

#[tokio::test]
async fn first_bucket_starts_at_start_time_then_on_utc_midnights() {
    let server = start(config(10)).await;
    let start_time = LAST_DAY.to_unix() - 3 * DAY + 5 * 3600;
    let path = format!(
        "/organization/usage/completions?start_time={start_time}\
         &end_time={}&limit=31",
        LAST_DAY.to_unix() + DAY
    );

    let body = get(&server, &path).await.json();

    let starts: Vec<i64> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|bucket| bucket["start_time"].as_i64().unwrap())
        .collect();
    let midnight = start_time - 5 * 3600;
    assert_eq!(
        starts,
        [
            start_time,
            midnight + DAY,
            midnight + 2 * DAY,
            midnight + 3 * DAY
        ]
    );
}

#[tokio::test]
async fn days_without_usage_come_back_as_empty_buckets() {
    let server = start(config(10)).await;
    let after = LAST_DAY.to_unix() + DAY;
    let path = format!(
        "/organization/usage/completions?start_time={after}\
         &end_time={}",
        after + 3 * DAY
    );

    let body = get(&server, &path).await.json();

    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert!(data.iter().all(|b| b["results"] == serde_json::json!([])));
    assert_eq!(body["has_more"], false);
}

#[tokio::test]
async fn usage_query_mistakes_answer_400_with_a_reason() {
    let server = start(config(10)).await;
    let start_time = LAST_DAY.to_unix();
    let base = "/organization/usage/completions";
    let cases = [
        (format!("{base}?end_time={start_time}"), "start_time"),
        (format!("{base}?start_time={start_time}&limit=32"), "limit"),
        (format!("{base}?start_time={start_time}&limit=0"), "limit"),
        (
            format!("{base}?start_time={start_time}&bucket_width=1h"),
            "bucket_width",
        ),
        (
            format!("{base}?start_time={start_time}&group_by=colour"),
            "group_by",
        ),
        (format!("{base}?start_time={start_time}&page=nope"), "page"),
    ];

    for (path, param) in cases {
        let reply = get(&server, &path).await;
        assert_eq!(reply.status, 400, "{path}");
        let error = &reply.json()["error"];
        assert_eq!(error["param"], param, "{path}");
        assert_eq!(error["type"], "invalid_request_error");
        assert!(error["message"].as_str().unwrap().contains(param));
    }
}

#[tokio::test]
async fn a_project_or_service_account_key_is_refused_for_missing_scopes() {
    let server = start(config(3)).await;
    let usage = usage_path(3, 7, &[]);
    let cases = [
        ("sk-proj-abcdefghijklmnop", usage.as_str(), "api.usage.read"),
        ("sk-svcacct-abcdefghijkl", usage.as_str(), "api.usage.read"),
        (
            "sk-proj-abcdefghijklmnop",
            "/organization/projects",
            "api.management.read",
        ),
    ];

    for (key, path, scope) in cases {
        let reply = get_with(&server, path, key).await;

        assert_eq!(reply.status, 403);
        let message = reply.json()["error"]["message"].to_string();
        assert!(message.contains(&format!("Missing scopes: {scope}")));
    }
}

#[tokio::test]
async fn a_wrong_key_gets_401_invalid_api_key_without_being_echoed() {
    let server = start(config(3)).await;
    let wrong = "sk-admin-wrong-0123456789xyz";

    let reply = get_with(&server, "/organization/projects", wrong).await;

    assert_eq!(reply.status, 401);
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "invalid_api_key");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("sk-ad***xyz"), "{message}");
    assert!(!reply.text().contains(wrong));
}

#[tokio::test]
async fn a_request_without_a_key_gets_401() {
    let server = start(config(3)).await;

    let reply =
        send(server.addr(), "GET", "/v1/organization/projects", &[]).await;

    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["error"]["code"], "invalid_api_key");
}

#[tokio::test]
async fn preflights_are_answered_without_a_key_and_not_logged() {
    let server = start(config(3)).await;
    let headers = [
        ("Origin", "http://127.0.0.1:1"),
        ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "authorization"),
    ];

    let reply = send(
        server.addr(),
        "OPTIONS",
        "/v1/organization/usage/completions?start_time=0",
        &headers,
    )
    .await;

    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET, OPTIONS")
    );
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("authorization, content-type")
    );
    assert_eq!(reply.header("access-control-max-age"), Some("600"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn every_v1_reply_errors_included_allows_any_origin() {
    let server = start(config(3)).await;

    let ok = get(&server, "/organization/users").await;
    let refused = get_with(&server, "/organization/users", "sk-nope").await;
    let missing = get(&server, "/organization/nothing-here").await;

    for reply in [ok, refused, missing] {
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        assert_eq!(
            reply.header("access-control-expose-headers"),
            Some("Retry-After")
        );
    }
}

#[tokio::test]
async fn nocors_replies_carry_no_cors_headers() {
    let server = start(config(3)).await;
    let auth = format!("Bearer {ADMIN_KEY}");
    let path = "/nocors/v1/organization/projects";

    let ok =
        send(server.addr(), "GET", path, &[("Authorization", &auth)]).await;
    let preflight = send(
        server.addr(),
        "OPTIONS",
        path,
        &[("Origin", "http://127.0.0.1:1")],
    )
    .await;

    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["object"], "list");
    assert!(server.nocors_base_url().ends_with("/nocors/v1"));
    for reply in [ok, preflight] {
        assert!(reply.headers.iter().all(|(name, _)| !name
            .to_ascii_lowercase()
            .starts_with("access-control-")));
    }
}

const ALL_PROJECTS: &str = "/organization/projects?include_archived=true";

#[tokio::test]
async fn listings_page_by_after_and_hide_archived_projects_by_default() {
    let server = start(config(3)).await;

    let first = get(&server, &format!("{ALL_PROJECTS}&limit=3"))
        .await
        .json();
    let last_id = first["last_id"].as_str().unwrap();
    let second =
        get(&server, &format!("{ALL_PROJECTS}&limit=3&after={last_id}"))
            .await
            .json();
    let active = get(&server, "/organization/projects").await.json();

    assert_eq!(first["data"].as_array().unwrap().len(), 3);
    assert_eq!(first["has_more"], true);
    assert_eq!(first["first_id"], first["data"][0]["id"]);
    let rest = second["data"].as_array().unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(second["has_more"], false);
    assert_eq!(rest[0]["status"], "archived");
    assert!(rest[0]["archived_at"].is_i64());
    let active = active["data"].as_array().unwrap();
    assert_eq!(active.len(), 3);
    assert!(active.iter().all(|p| p["archived_at"].is_null()));
}

#[tokio::test]
async fn api_keys_list_their_owners_and_unknown_projects_are_404() {
    let server = start(config(3)).await;
    let project = &server.org().projects[0].id;

    let keys = get(
        &server,
        &format!(
            "/organization/projects/{project}/api_keys\
             ?owner_project_access=any&limit=100"
        ),
    )
    .await
    .json();
    let unknown =
        get(&server, "/organization/projects/proj_nope/api_keys").await;

    let keys = keys["data"].as_array().unwrap();
    let expected = server
        .org()
        .keys
        .iter()
        .filter(|k| &k.project_id == project);
    assert_eq!(keys.len(), expected.count());
    assert!(keys
        .iter()
        .all(|k| k["object"] == "organization.project.api_key"));
    let owners: Vec<&Value> = keys.iter().map(|k| &k["owner"]).collect();
    assert!(owners.iter().any(|o| o["type"] == "service_account"
        && o["service_account"]["name"].is_string()));
    assert!(owners
        .iter()
        .any(|o| o["type"] == "user" && o["user"]["email"].is_string()));
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["error"]["message"].is_string());
}

#[tokio::test]
async fn users_are_listed_as_organization_users() {
    let server = start(config(3)).await;

    let users = get(&server, "/organization/users?limit=2").await.json();

    assert_eq!(users["has_more"], true);
    let data = users["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert!(data.iter().all(|u| u["object"] == "organization.user"
        && u["email"].is_string()
        && u["added_at"].is_i64()));
}

#[tokio::test]
async fn a_listing_limit_above_100_is_refused() {
    let server = start(config(3)).await;

    let reply = get(&server, "/organization/projects?limit=101").await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"]["param"], "limit");
}

#[tokio::test]
async fn the_log_records_requests_with_status_but_never_the_key() {
    let server = start(config(3)).await;
    get(&server, "/organization/users?limit=2&after=x%20y").await;
    get_with(&server, "/organization/users", "sk-proj-abcdefghijklm").await;

    let log = server.requests();
    let over_http = send(server.addr(), "GET", "/__mock/requests", &[])
        .await
        .text();
    server.clear_requests();

    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/v1/organization/users");
    assert_eq!(log[0].query, "limit=2&after=x%20y");
    assert_eq!(log[0].query_values("after"), ["x y"]);
    assert_eq!(log[0].status, 400);
    assert_eq!(log[1].status, 403);
    assert!(over_http.contains("/v1/organization/users"));
    assert!(!over_http.contains(ADMIN_KEY) && !over_http.contains("sk-proj"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_shut_down_server_no_longer_listens() {
    let server = start(config(3)).await;
    let addr = server.addr();

    server.shutdown().await;

    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

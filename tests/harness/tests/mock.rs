//! The mock Admin API, exercised over loopback the way the app calls it:
//! paging, grouping, every usage kind by day and hour, costs, keys,
//! CORS, the request log, and injected faults and latency.

mod common;

use std::time::{Duration, Instant};

use common::{send, send_body, Reply};
use keymeter::domain::cost::parse_usd;
use keymeter::domain::money::Usd;
use keymeter::domain::time::{Date, DAY};
use keymeter::domain::usage::{TokenCounts, UsageKind};
use keymeter_harness::mock::{start, Fault, FaultKind, MockConfig, MockServer};
use serde::Deserialize;
use serde_json::value::RawValue;
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
        missing_kinds: Vec::new(),
        costs_by_key: false,
        extra_keys: 0,
        https: false,
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
        ..TokenCounts::default()
    }
}

fn results(buckets: &[Value]) -> Vec<&Value> {
    buckets
        .iter()
        .flat_map(|bucket| bucket["results"].as_array().unwrap())
        .collect()
}

/// The generator's completions totals for the days starting in
/// `[from, to)`.
fn expected_totals(server: &MockServer, from: i64, to: i64) -> TokenCounts {
    let mut total = TokenCounts::default();
    for record in &server.org().usage {
        if record.kind == UsageKind::Completions
            && (from..to).contains(&record.start_time)
        {
            total.add(&record.counts.unpack());
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
            format!("{base}?start_time={start_time}&bucket_width=1m"),
            "bucket_width",
        ),
        (
            format!("{base}?start_time={start_time}&bucket_width=2d"),
            "bucket_width",
        ),
        (
            format!("{base}?start_time={start_time}&bucket_width=1h&limit=169"),
            "limit",
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
async fn extra_keys_are_listed_and_have_usage_of_their_own() {
    let server = start(MockConfig {
        extra_keys: 41,
        ..config(3)
    })
    .await;

    let mut listed = Vec::new();
    for project in &server.org().projects {
        let keys = get(
            &server,
            &format!(
                "/organization/projects/{}/api_keys?limit=100",
                project.id
            ),
        )
        .await
        .json();
        for key in keys["data"].as_array().unwrap() {
            listed.push(key["id"].as_str().unwrap().to_owned());
        }
    }
    let (buckets, _) =
        all_buckets(&server, &usage_path(1, 1, &["api_key_id"])).await;

    assert_eq!(listed.len(), 50);
    let used: Vec<&str> = results(&buckets)
        .iter()
        .filter_map(|r| r["api_key_id"].as_str())
        .collect();
    let copy = server.org().keys.last().unwrap();
    assert!(listed.contains(&copy.id));
    assert!(used.contains(&copy.id.as_str()));
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

// ---- Every usage kind, daily and hourly ----

/// What each kind's results carry, as the API reference lists it:
/// (count fields, grouping fields).
fn fields_of(
    kind: UsageKind,
) -> (&'static [&'static str], &'static [&'static str]) {
    const KEYED: &[&str] = &["project_id", "user_id", "api_key_id", "model"];
    const TOKENS: &[&str] = &["input_tokens", "num_model_requests"];
    match kind {
        UsageKind::Completions => (
            &[
                "input_tokens",
                "output_tokens",
                "input_cached_tokens",
                "input_audio_tokens",
                "output_audio_tokens",
                "num_model_requests",
            ],
            &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "batch",
                "service_tier",
            ],
        ),
        UsageKind::Embeddings | UsageKind::Moderations => (TOKENS, KEYED),
        UsageKind::Images => (
            &["images", "num_model_requests"],
            &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "size",
                "source",
            ],
        ),
        UsageKind::AudioSpeeches => {
            (&["characters", "num_model_requests"], KEYED)
        }
        UsageKind::AudioTranscriptions => {
            (&["seconds", "num_model_requests"], KEYED)
        }
        UsageKind::VectorStores => (&["usage_bytes"], &["project_id"]),
        UsageKind::CodeInterpreterSessions => {
            (&["num_sessions"], &["project_id"])
        }
        UsageKind::FileSearchCalls => (
            &["num_requests"],
            &["project_id", "user_id", "api_key_id", "vector_store_id"],
        ),
        UsageKind::WebSearchCalls => (
            &["num_model_requests", "num_requests"],
            &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "context_level",
            ],
        ),
    }
}

/// The generator's value of a result's count field.
fn count_field(counts: &TokenCounts, field: &str) -> u64 {
    match field {
        "input_tokens" => counts.input,
        "output_tokens" => counts.output,
        "input_cached_tokens" => counts.cached_input,
        "input_audio_tokens" => counts.input_audio,
        "output_audio_tokens" => counts.output_audio,
        "num_model_requests" => counts.requests,
        "images" => counts.images,
        "characters" => counts.characters,
        "seconds" => counts.seconds,
        "usage_bytes" => counts.usage_bytes,
        "num_sessions" => counts.sessions,
        "num_requests" => counts.calls,
        other => panic!("no count field {other}"),
    }
}

/// `GET /organization/usage/{kind}` over `[from, to)`.
fn kind_path(
    kind: UsageKind,
    width: &str,
    (from, to): (i64, i64),
    limit: u32,
    group_by: &[&str],
) -> String {
    let mut path = format!(
        "/organization/usage/{}?start_time={from}&end_time={to}\
         &bucket_width={width}&limit={limit}",
        kind.path()
    );
    for group in group_by {
        path.push_str(&format!("&group_by={group}"));
    }
    path
}

/// The last `days` whole days of the demo, as `[from, to)`.
fn last_days(days: i64) -> (i64, i64) {
    let end = LAST_DAY.to_unix() + DAY;
    (end - days * DAY, end)
}

/// Sums of `fields` over `rows`, per combination of `groups` values.
fn sums_by_group(
    rows: &[&Value],
    fields: &[&str],
    groups: &[&str],
) -> std::collections::BTreeMap<String, Vec<u64>> {
    let mut sums = std::collections::BTreeMap::new();
    for row in rows {
        let key: Vec<&Value> = groups.iter().map(|g| &row[*g]).collect();
        let sum: &mut Vec<u64> = sums
            .entry(serde_json::to_string(&key).unwrap())
            .or_insert_with(|| vec![0; fields.len()]);
        for (total, field) in sum.iter_mut().zip(fields) {
            *total += row[*field].as_u64().unwrap();
        }
    }
    sums
}

#[tokio::test]
async fn every_kind_answers_with_only_its_own_fields_and_totals() {
    let server = start(config(5)).await;
    let window = last_days(5);

    for kind in UsageKind::ALL {
        let (counts, groups) = fields_of(kind);
        let mut expected = vec![0u64; counts.len()];
        for record in &server.org().usage {
            if record.kind == kind
                && (window.0..window.1).contains(&record.start_time)
            {
                for (total, field) in expected.iter_mut().zip(counts) {
                    *total += count_field(&record.counts.unpack(), field);
                }
            }
        }
        assert!(expected.iter().any(|&n| n > 0), "{kind:?} has no data");
        let mut wanted: Vec<&str> =
            counts.iter().chain(groups).copied().collect();
        wanted.push("object");
        wanted.sort_unstable();

        for group_by in [&[][..], groups] {
            let path = kind_path(kind, "1d", window, 31, group_by);
            let (buckets, _) = all_buckets(&server, &path).await;

            assert_eq!(buckets.len(), 5, "{kind:?}");
            let rows = results(&buckets);
            let mut totals = vec![0u64; counts.len()];
            for row in &rows {
                let mut keys: Vec<&str> = row
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                keys.sort_unstable();
                assert_eq!(keys, wanted, "{kind:?}");
                assert_eq!(
                    row["object"],
                    format!("organization.usage.{}.result", kind.path())
                );
                for group in groups.iter().filter(|g| !group_by.contains(g)) {
                    assert!(row[*group].is_null(), "{group} in {row}");
                }
                for (total, field) in totals.iter_mut().zip(counts) {
                    *total += row[*field].as_u64().unwrap();
                }
            }
            assert_eq!(totals, expected, "{kind:?} by {group_by:?}");
            if group_by.is_empty() {
                assert_eq!(rows.len(), 5, "one row a day for {kind:?}");
            } else {
                assert!(rows.iter().all(|r| r["project_id"].is_string()));
            }
        }
    }
}

#[tokio::test]
async fn hourly_buckets_of_every_kind_sum_to_the_daily_ones() {
    let server = start(config(4)).await;
    let window = last_days(2);

    for kind in UsageKind::ALL {
        let (counts, groups) = fields_of(kind);
        let daily = kind_path(kind, "1d", window, 31, groups);
        let hourly = kind_path(kind, "1h", window, 168, groups);
        let (days, _) = all_buckets(&server, &daily).await;
        let (hours, requests) = all_buckets(&server, &hourly).await;

        assert_eq!(requests, 1);
        assert_eq!(hours.len(), 48, "{kind:?}");
        for (i, hour) in hours.iter().enumerate() {
            let start = window.0 + i as i64 * 3600;
            assert_eq!(hour["start_time"], start);
            assert_eq!(hour["end_time"], start + 3600);
        }
        // Quiet hours leave their groups out rather than send zeros.
        for row in results(&hours) {
            assert!(counts.iter().any(|c| row[*c].as_u64() > Some(0)));
        }
        for (day, hours) in days.iter().zip(hours.chunks(24)) {
            let by_day = sums_by_group(
                &results(std::slice::from_ref(day)),
                counts,
                groups,
            );
            let mut by_hours = sums_by_group(&results(hours), counts, groups);
            // Stored bytes are a level: every hour holds the day's.
            if let Some(at) = counts.iter().position(|c| *c == "usage_bytes") {
                for sums in by_hours.values_mut() {
                    assert_eq!(sums[at] % 24, 0);
                    sums[at] /= 24;
                }
            }
            assert_eq!(by_hours, by_day, "{kind:?}");
        }
    }
}

#[tokio::test]
async fn an_hourly_page_holds_at_most_168_buckets() {
    let server = start(config(10)).await;
    let window = last_days(10);
    let path = kind_path(UsageKind::Completions, "1h", window, 168, &[]);

    let first = get(&server, &path).await.json();
    let (all, requests) = all_buckets(&server, &path).await;
    let by_default = get(
        &server,
        &format!(
            "/organization/usage/completions?start_time={}\
             &end_time={}&bucket_width=1h",
            window.0, window.1
        ),
    )
    .await
    .json();
    let too_many = get(
        &server,
        &kind_path(UsageKind::Completions, "1h", window, 169, &[]),
    )
    .await;

    assert_eq!(first["data"].as_array().unwrap().len(), 168);
    assert_eq!(first["has_more"], true);
    assert_eq!(all.len(), 240);
    assert_eq!(requests, 2);
    assert_eq!(by_default["data"].as_array().unwrap().len(), 24);
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.json()["error"]["param"], "limit");
}

#[tokio::test]
async fn hourly_buckets_start_at_start_time_then_on_whole_hours() {
    let server = start(config(3)).await;
    let hour_22 = LAST_DAY.to_unix() + 22 * 3600;
    let start_time = hour_22 + 1800;
    let end = LAST_DAY.to_unix() + DAY + 2 * 3600;
    let kind = UsageKind::Completions;
    let (_, groups) = fields_of(kind);

    let body = get(
        &server,
        &kind_path(kind, "1h", (start_time, end), 24, groups),
    )
    .await
    .json();
    let whole_hour = get(
        &server,
        &kind_path(kind, "1h", (hour_22, hour_22 + 3600), 24, groups),
    )
    .await
    .json();

    let data = body["data"].as_array().unwrap();
    let bounds: Vec<(i64, i64)> = data
        .iter()
        .map(|b| {
            (
                b["start_time"].as_i64().unwrap(),
                b["end_time"].as_i64().unwrap(),
            )
        })
        .collect();
    let h = |n: i64| hour_22 + n * 3600;
    assert_eq!(
        bounds,
        [(start_time, h(1)), (h(1), h(2)), (h(2), h(3)), (h(3), h(4))]
    );
    // A bucket cut short still holds its whole hour, and hours after the
    // last day come back empty.
    assert_eq!(data[0]["results"], whole_hour["data"][0]["results"]);
    assert!(!data[1]["results"].as_array().unwrap().is_empty());
    assert_eq!(data[2]["results"], serde_json::json!([]));
    assert_eq!(data[3]["results"], serde_json::json!([]));
}

#[tokio::test]
async fn a_grouping_the_kind_does_not_allow_is_refused_by_name() {
    let server = start(config(3)).await;
    let window = last_days(1);
    let refused = [
        (UsageKind::Embeddings, "batch"),
        (UsageKind::VectorStores, "api_key_id"),
        (UsageKind::CodeInterpreterSessions, "user_id"),
        (UsageKind::Completions, "size"),
        (UsageKind::FileSearchCalls, "model"),
        (UsageKind::AudioSpeeches, "context_level"),
    ];
    let allowed = [
        (UsageKind::WebSearchCalls, "context_level"),
        (UsageKind::FileSearchCalls, "vector_store_id"),
        (UsageKind::Images, "source"),
    ];

    for (kind, group) in refused {
        let reply =
            get(&server, &kind_path(kind, "1d", window, 7, &[group])).await;
        assert_eq!(reply.status, 400, "{kind:?} by {group}");
        let error = &reply.json()["error"];
        assert_eq!(error["param"], "group_by");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(group), "{message}");
        assert!(message.contains(kind.path()), "{message}");
    }
    for (kind, group) in allowed {
        let reply =
            get(&server, &kind_path(kind, "1d", window, 7, &[group])).await;
        assert_eq!(reply.status, 200, "{kind:?} by {group}");
    }
}

#[tokio::test]
async fn a_missing_kind_answers_404_like_an_older_api() {
    let missing = vec![UsageKind::FileSearchCalls, UsageKind::WebSearchCalls];
    let server = start(MockConfig {
        missing_kinds: missing.clone(),
        ..config(3)
    })
    .await;
    let window = last_days(1);

    for kind in UsageKind::ALL {
        let reply = get(&server, &kind_path(kind, "1d", window, 7, &[])).await;
        if missing.contains(&kind) {
            assert_eq!(reply.status, 404, "{kind:?}");
            let error = &reply.json()["error"];
            assert_eq!(error["type"], "invalid_request_error");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains("Invalid URL"), "{message}");
            assert!(message.contains(kind.path()), "{message}");
        } else {
            assert_eq!(reply.status, 200, "{kind:?}");
        }
    }
    let unknown = get(
        &server,
        &format!("/organization/usage/teleportation?start_time={}", window.0),
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert!(server.requests().iter().any(|r| r.status == 404));
}

// ---- Costs ----

#[derive(Debug, Deserialize)]
struct CostsPage {
    data: Vec<CostBucket>,
    has_more: bool,
    next_page: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CostBucket {
    start_time: i64,
    end_time: i64,
    results: Vec<CostRow>,
}

#[derive(Debug, Deserialize)]
struct CostRow {
    object: String,
    amount: CostAmount,
    line_item: Option<String>,
    project_id: Option<String>,
}

/// The amount with its value still as sent.
#[derive(Debug, Deserialize)]
struct CostAmount {
    value: Box<RawValue>,
    currency: String,
}

impl CostRow {
    /// The amount read exactly, and whether it came as a JSON string.
    fn usd(&self) -> (Usd, bool) {
        let text = self.amount.value.get();
        let (digits, quoted) = match text.strip_prefix('"') {
            Some(inner) => (inner.strip_suffix('"').unwrap(), true),
            None => (text, false),
        };
        let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
        if quoted {
            assert!(decimals >= 2, "{text}");
        } else {
            assert_eq!(decimals, 16, "{text}");
        }
        (parse_usd(digits).unwrap(), quoted)
    }
}

fn costs_path(days: i64, limit: u32, group_by: &[&str]) -> String {
    let (from, to) = last_days(days);
    let mut path = format!(
        "/organization/costs?start_time={from}&end_time={to}\
         &bucket_width=1d&limit={limit}"
    );
    for group in group_by {
        path.push_str(&format!("&group_by={group}"));
    }
    path
}

/// Every cost bucket of `path`, following `next_page`.
async fn all_costs(server: &MockServer, path: &str) -> Vec<CostBucket> {
    let mut buckets = Vec::new();
    let mut target = path.to_owned();
    loop {
        let reply = get(server, &target).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let page: CostsPage = serde_json::from_slice(&reply.body).unwrap();
        buckets.extend(page.data);
        match page.next_page {
            Some(cursor) if page.has_more => {
                target = format!("{path}&page={cursor}");
            }
            _ => return buckets,
        }
    }
}

/// The generator's billed total of the rows `keep` picks.
fn billed(
    server: &MockServer,
    keep: impl Fn(&keymeter::domain::cost::CostRecord) -> bool,
) -> Usd {
    server
        .org()
        .costs
        .iter()
        .filter(|c| keep(c))
        .map(|c| c.amount)
        .sum()
}

#[tokio::test]
async fn cost_amounts_in_both_forms_add_up_to_the_generators_exactly() {
    let server = start(config(10)).await;
    let path = costs_path(10, 180, &["project_id", "line_item"]);

    let buckets = all_costs(&server, &path).await;

    assert_eq!(buckets.len(), 10);
    let (mut strings, mut numbers) = (0, 0);
    for bucket in &buckets {
        assert_eq!(bucket.end_time, bucket.start_time + DAY);
        let mut day = Usd::ZERO;
        for (i, row) in bucket.results.iter().enumerate() {
            let (amount, quoted) = row.usd();
            assert_eq!(quoted, i % 4 == 3, "every 4th value is a string");
            if quoted {
                strings += 1;
            } else {
                numbers += 1;
            }
            assert_eq!(row.object, "organization.costs.result");
            assert_eq!(row.amount.currency, "usd");
            let exact = billed(&server, |c| {
                c.start_time == bucket.start_time
                    && c.project_id == row.project_id
                    && c.line_item == row.line_item
            });
            assert_eq!(amount, exact, "{row:?}");
            day += amount;
        }
        let expected = billed(&server, |c| c.start_time == bucket.start_time);
        assert!(expected > Usd::ZERO);
        assert_eq!(day, expected);
    }
    assert!(strings > 0 && numbers > 0);
}

#[tokio::test]
async fn ungrouped_costs_are_one_total_a_day_and_line_items_sum_projects() {
    let server = start(config(5)).await;

    let totals = all_costs(&server, &costs_path(5, 7, &[])).await;
    let items = all_costs(&server, &costs_path(5, 7, &["line_item"])).await;

    assert_eq!(totals.len(), 5);
    for bucket in &totals {
        assert_eq!(bucket.results.len(), 1);
        let row = &bucket.results[0];
        assert_eq!((&row.project_id, &row.line_item), (&None, &None));
        let day = bucket.start_time;
        assert_eq!(row.usd().0, billed(&server, |c| c.start_time == day));
    }
    for bucket in &items {
        let mut seen: Vec<&str> = Vec::new();
        for row in &bucket.results {
            assert!(row.project_id.is_none());
            let item = row.line_item.as_deref().unwrap();
            assert!(!seen.contains(&item), "{item} twice");
            seen.push(item);
            let expected = billed(&server, |c| {
                c.start_time == bucket.start_time
                    && c.line_item.as_deref() == Some(item)
            });
            assert_eq!(row.usd().0, expected, "{item}");
        }
    }
}

#[tokio::test]
async fn costs_by_key_are_refused_unless_the_api_is_new_enough() {
    let old = start(config(3)).await;
    let new = start(MockConfig {
        costs_by_key: true,
        ..config(3)
    })
    .await;
    let by_key = costs_path(3, 7, &["project_id", "api_key_id"]);

    let refused = get(&old, &by_key).await;
    let plain = get(&old, &costs_path(3, 7, &["project_id"])).await.json();
    let answered = get(&new, &by_key).await;

    assert_eq!(refused.status, 400);
    let error = &refused.json()["error"];
    assert_eq!(error["param"], "group_by");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("Invalid value for 'group_by': api_key_id"));
    let rows = plain["data"][0]["results"].as_array().unwrap();
    assert!(rows.iter().all(|r| r.get("api_key_id").is_none()));
    assert_eq!(answered.status, 200);
    let body = answered.json();
    let rows = body["data"][0]["results"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r.get("api_key_id") == Some(&Value::Null)
            && r["project_id"].is_string()));
}

#[tokio::test]
async fn cost_query_mistakes_answer_400() {
    let server = start(config(10)).await;
    let (from, _) = last_days(10);
    let base = "/organization/costs";
    let cases = [
        (format!("{base}?limit=3"), "start_time"),
        (format!("{base}?start_time={from}&limit=181"), "limit"),
        (
            format!("{base}?start_time={from}&bucket_width=1h"),
            "bucket_width",
        ),
        (
            format!("{base}?start_time={from}&group_by=model"),
            "group_by",
        ),
    ];

    for (path, param) in cases {
        let reply = get(&server, &path).await;
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.json()["error"]["param"], param, "{path}");
    }
    let most = get(&server, &costs_path(10, 180, &[])).await.json();
    let default = get(
        &server,
        &format!("{base}?start_time={from}&end_time={}", last_days(0).1),
    )
    .await
    .json();
    assert_eq!(most["data"].as_array().unwrap().len(), 10);
    assert_eq!(default["data"].as_array().unwrap().len(), 7);
    assert_eq!(default["has_more"], true);
}

#[tokio::test]
async fn costs_need_the_usage_scope() {
    let server = start(config(3)).await;

    let reply =
        get_with(&server, &costs_path(3, 7, &[]), "sk-proj-abcdefghijklmnop")
            .await;

    assert_eq!(reply.status, 403);
    assert!(reply.text().contains("Missing scopes: api.usage.read"));
}

// ---- Service accounts ----

#[tokio::test]
async fn service_accounts_are_the_owners_of_a_projects_keys() {
    use keymeter::domain::keys::OwnerKind;
    let server = start(config(3)).await;

    for project in &server.org().projects {
        let mut expected: Vec<(&str, &str)> = Vec::new();
        for key in server
            .org()
            .keys
            .iter()
            .filter(|k| k.project_id == project.id)
        {
            let owner = key.owner.as_ref().unwrap();
            let account = (owner.id.as_str(), owner.name.as_str());
            if owner.kind == OwnerKind::ServiceAccount
                && !expected.contains(&account)
            {
                expected.push(account);
            }
        }
        let path = format!(
            "/organization/projects/{}/service_accounts?limit=100",
            project.id
        );

        let body = get(&server, &path).await.json();

        assert_eq!(body["object"], "list");
        assert_eq!(body["has_more"], false);
        let listed: Vec<(&str, &str)> = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                assert_eq!(a["object"], "organization.project.service_account");
                assert_eq!(a["role"], "member");
                assert!(a["created_at"].is_i64());
                (a["id"].as_str().unwrap(), a["name"].as_str().unwrap())
            })
            .collect();
        assert_eq!(listed, expected, "{}", project.id);
    }
}

#[tokio::test]
async fn service_accounts_page_by_after_and_unknown_projects_are_404() {
    let server = start(config(3)).await;
    let project = &server.org().projects[0].id;
    let path = format!("/organization/projects/{project}/service_accounts");

    let first = get(&server, &format!("{path}?limit=1")).await.json();
    let last_id = first["last_id"].as_str().unwrap();
    let second = get(&server, &format!("{path}?limit=1&after={last_id}"))
        .await
        .json();
    let unknown =
        get(&server, "/organization/projects/proj_nope/service_accounts").await;

    assert_eq!(first["has_more"], true);
    assert_eq!(second["has_more"], false);
    assert_ne!(second["data"][0]["id"], first["data"][0]["id"]);
    assert_eq!(unknown.status, 404);
}

// ---- Faults and latency ----

const USERS: &str = "/organization/users";

#[tokio::test]
async fn a_status_fault_hits_the_next_n_matching_requests_then_stops() {
    let server = start(config(3)).await;
    let usage = usage_path(3, 7, &[]);
    server.fail(Fault::new(
        "/organization/usage/",
        2,
        FaultKind::Status {
            status: 429,
            retry_after: Some(7),
        },
    ));

    let other = get(&server, USERS).await;
    let first = get(&server, &usage).await;
    let left = server.pending_faults();
    let second = get(&server, &usage).await;
    let third = get(&server, &usage).await;

    assert_eq!(other.status, 200);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].times, 1);
    for reply in [&first, &second] {
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header("retry-after"), Some("7"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        let error = &reply.json()["error"];
        assert_eq!(error["code"], "rate_limit_exceeded");
        assert!(error["message"].is_string());
    }
    assert_eq!(third.status, 200);
    assert!(server.pending_faults().is_empty());
    let statuses: Vec<u16> =
        server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 429, 429, 200]);
}

#[tokio::test]
async fn a_server_error_fault_has_no_retry_after_unless_asked() {
    let server = start(config(3)).await;
    server.fail(Fault::new(
        USERS,
        1,
        FaultKind::Status {
            status: 500,
            retry_after: None,
        },
    ));

    let reply = get(&server, USERS).await;

    assert_eq!(reply.status, 500);
    assert_eq!(reply.header("retry-after"), None);
    assert_eq!(reply.json()["error"]["type"], "server_error");
}

#[tokio::test]
async fn an_html_fault_sends_an_error_page() {
    let server = start(config(3)).await;
    server.fail(Fault::new(USERS, 1, FaultKind::Html { status: 502 }));

    let reply = get(&server, USERS).await;

    assert_eq!(reply.status, 502);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(reply.text().contains("<title>502 Bad Gateway</title>"));
    assert!(serde_json::from_slice::<Value>(&reply.body).is_err());
}

#[tokio::test]
async fn a_truncated_reply_is_the_first_half_of_the_real_one() {
    let server = start(config(3)).await;
    let usage = usage_path(3, 7, &["model"]);
    let real = get(&server, &usage).await;
    server.fail(Fault::new("usage/completions", 1, FaultKind::Truncated));

    let cut = get(&server, &usage).await;

    assert_eq!(cut.status, 200);
    assert_eq!(cut.body, real.body[..real.body.len() / 2]);
    assert!(serde_json::from_slice::<Value>(&cut.body).is_err());
}

#[tokio::test]
async fn a_not_a_page_fault_answers_an_empty_list() {
    let server = start(config(3)).await;
    server.fail(Fault::new("/organization/costs", 1, FaultKind::NotAPage));

    let reply = get(&server, &costs_path(3, 7, &[])).await;

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        serde_json::json!({"object": "list", "data": []})
    );
}

#[tokio::test]
async fn a_repeating_cursor_points_back_at_the_same_page() {
    let server = start(config(5)).await;
    let usage = usage_path(5, 2, &[]);
    let real = get(&server, &usage).await.json();
    server.fail(Fault::new("usage/completions", 2, FaultKind::RepeatCursor));

    let first = get(&server, &usage).await.json();
    let cursor = first["next_page"].as_str().unwrap().to_owned();
    let again = get(&server, &format!("{usage}&page={cursor}")).await.json();
    let after = get(&server, &format!("{usage}&page={cursor}")).await.json();

    assert_eq!(first["data"], real["data"]);
    assert_eq!(first["has_more"], true);
    assert_ne!(Some(cursor.as_str()), real["next_page"].as_str());
    assert_eq!(again["data"], real["data"]);
    assert_eq!(again["next_page"], cursor.as_str());
    // Once the fault is used up, the cursor is a valid one to page 1.
    assert_eq!(after, real);
}

#[tokio::test]
async fn a_repeating_listing_names_the_cursor_it_was_sent() {
    let server = start(config(3)).await;
    let first = get(&server, &format!("{ALL_PROJECTS}&limit=1"))
        .await
        .json();
    let after = first["last_id"].as_str().unwrap().to_owned();
    server.fail(Fault::new(
        "/organization/projects",
        1,
        FaultKind::RepeatCursor,
    ));

    let page = get(&server, &format!("{ALL_PROJECTS}&limit=1&after={after}"))
        .await
        .json();

    assert_eq!(page["has_more"], true);
    assert_eq!(page["last_id"], after.as_str());
    assert_ne!(page["data"][0]["id"], after.as_str());
}

#[tokio::test]
async fn a_delay_fault_answers_normally_but_late() {
    let server = start(config(3)).await;
    server.fail(Fault::new(USERS, 1, FaultKind::Delay { millis: 300 }));

    let started = Instant::now();
    let reply = get(&server, USERS).await;
    let late = started.elapsed();

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["object"], "list");
    assert!(late >= Duration::from_millis(300), "{late:?}");
    assert_eq!(server.requests()[0].status, 200);
}

#[tokio::test]
async fn faults_are_set_listed_and_cleared_over_http() {
    let server = start(config(3)).await;
    let post = |body: &'static str| {
        send_body(
            server.addr(),
            "POST",
            "/__mock/faults",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };

    let added = post(
        r#"{"path_contains": "/organization/users", "times": 1,
            "kind": {"type": "status", "status": 503, "retry_after": 2}}"#,
    )
    .await;
    let listed = send(server.addr(), "GET", "/__mock/faults", &[]).await;
    let faulted = get(&server, USERS).await;
    let bad = post(r#"{"path_contains": "x", "kind": {"type": "nope"}}"#).await;
    let impossible = post(
        r#"{"path_contains": "x", "kind": {"type": "html", "status": 42}}"#,
    )
    .await;
    post(
        r#"{"path_contains": "/organization/users", "times": 5,
             "kind": {"type": "not_a_page"}}"#,
    )
    .await;
    let cleared = send(server.addr(), "DELETE", "/__mock/faults", &[]).await;
    let healthy = get(&server, USERS).await;

    assert_eq!(added.status, 204);
    assert_eq!(listed.json()[0]["kind"]["type"], "status");
    assert_eq!(listed.json()[0]["times"], 1);
    assert_eq!(faulted.status, 503);
    assert_eq!(faulted.header("retry-after"), Some("2"));
    assert_eq!(bad.status, 400);
    assert_eq!(impossible.status, 400);
    assert_eq!(cleared.status, 204);
    assert!(server.pending_faults().is_empty());
    assert_eq!(healthy.status, 200);
    assert_eq!(healthy.json()["data"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn latency_delays_every_api_reply() {
    let server = start(config(3)).await;
    let server = &server;
    let timed = |path: &'static str| async move {
        let started = Instant::now();
        let reply = get(server, path).await;
        assert_eq!(reply.status, 200);
        started.elapsed()
    };

    server.set_latency(Duration::from_millis(250));
    let slow_users = timed(USERS).await;
    let slow_projects = timed("/organization/projects").await;
    let over_http =
        send(server.addr(), "POST", "/__mock/latency?ms=400", &[]).await;
    let slower = timed(USERS).await;
    let refused =
        send(server.addr(), "POST", "/__mock/latency?ms=soon", &[]).await;
    let log_started = Instant::now();
    send(server.addr(), "GET", "/__mock/requests", &[]).await;
    let log_time = log_started.elapsed();

    assert!(slow_users >= Duration::from_millis(250), "{slow_users:?}");
    assert!(slow_projects >= Duration::from_millis(250));
    assert_eq!(over_http.status, 204);
    assert!(slower >= Duration::from_millis(400), "{slower:?}");
    assert_eq!(refused.status, 400);
    // The mock's own controls are not part of the API and not delayed.
    assert!(log_time < Duration::from_millis(400), "{log_time:?}");
}

//! Reading Admin API replies shaped as in the API reference: nulls,
//! missing fields and unknown fields must all be taken in stride.
#![cfg(not(target_arch = "wasm32"))]

use keymeter::api::types::{ApiKeyObject, ListPage, ProjectObject, UsagePage};
use keymeter::domain::keys::OwnerKind;
use keymeter::domain::usage::{BucketWidth, UsageKind};

const COMPLETIONS_PAGE: &str = r#"{
  "object": "page",
  "has_more": true,
  "next_page": "page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=",
  "something_new": {"nested": [1, 2]},
  "data": [
    {
      "object": "bucket",
      "start_time": 1730419200,
      "end_time": 1730505600,
      "results": [
        {
          "object": "organization.usage.completions.result",
          "input_tokens": 59200,
          "output_tokens": 1200,
          "input_cached_tokens": 5760,
          "input_audio_tokens": 0,
          "output_audio_tokens": null,
          "input_uncached_tokens": 53440,
          "num_model_requests": 12,
          "project_id": "proj_4BhNtYH0z7dWbBtzhibxa65W",
          "user_id": "user-dAU7Ud7OljwJvKfi4wQzWHyV",
          "api_key_id": null,
          "model": "gpt-4o-2024-08-06",
          "batch": false,
          "service_tier": null
        },
        {
          "object": "organization.usage.completions.result",
          "input_tokens": 10,
          "num_model_requests": 1,
          "api_key_id": "key_OYRZfEkH5R9CNgtY"
        }
      ]
    },
    {"object": "bucket", "start_time": 1730505600,
     "end_time": 1730592000, "results": []},
    {"object": "bucket", "start_time": 1730592000,
     "end_time": 1730678400, "results": null}
  ]
}"#;

#[test]
fn a_completions_page_reads_with_nulls_missing_and_unknown_fields() {
    let page: UsagePage = serde_json::from_str(COMPLETIONS_PAGE).unwrap();
    assert!(page.has_more);
    assert_eq!(
        page.next_page.as_deref(),
        Some("page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=")
    );

    let (starts, records) =
        page.into_records("c1", UsageKind::Completions, BucketWidth::Day);

    assert_eq!(starts, vec![1730419200, 1730505600, 1730592000]);
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first.api_key_id, None, "null key id means unattributed");
    let counts = first.counts.unpack();
    assert_eq!(counts.input, 59_200);
    assert_eq!(counts.cached_input, 5_760);
    assert_eq!(counts.uncached_input(), 53_440);
    assert_eq!(counts.output_audio, 0);
    assert_eq!(first.batch, Some(false));
    assert_eq!(first.end_time(), 1730505600);
    let sparse = &records[1];
    let counts = sparse.counts.unpack();
    assert_eq!((counts.input, counts.output), (10, 0));
    assert_eq!(sparse.model, None);
    assert_eq!(sparse.api_key_id.as_deref(), Some("key_OYRZfEkH5R9CNgtY"));
}

#[test]
fn the_last_page_may_have_a_null_cursor() {
    let page: UsagePage = serde_json::from_str(
        r#"{"object": "page", "has_more": false, "next_page": null,
            "data": []}"#,
    )
    .unwrap();
    assert!(!page.has_more);
    assert_eq!(page.next_page, None);
}

#[test]
fn a_reply_that_is_not_a_page_is_refused() {
    for body in ["", "[]", "<html>Bad gateway</html>", r#"{"data": 5}"#] {
        assert!(serde_json::from_str::<UsagePage>(body).is_err(), "{body}");
    }
}

#[test]
fn api_key_listings_read_user_and_service_account_owners() {
    let body = r#"{
      "object": "list",
      "data": [
        {"object": "organization.project.api_key", "id": "key_abc",
         "name": "default", "redacted_value": "sk-abc...def",
         "created_at": 1711471533, "last_used_at": null,
         "owner": {"type": "user", "user": {"object":
           "organization.project.user", "id": "user-abc", "name": "Ada",
           "email": "ada@example.com", "role": "owner",
           "added_at": 1711471533}}},
        {"object": "organization.project.api_key", "id": "key_svc",
         "name": null, "redacted_value": "sk-svcacct-...wxyz",
         "owner": {"type": "service_account", "service_account": {
           "object": "organization.project.service_account",
           "id": "svc_acct_1", "name": "ci", "role": "member"}}},
        {"object": "organization.project.api_key", "id": "key_bare"}
      ],
      "first_id": "key_abc", "last_id": "key_bare", "has_more": false
    }"#;
    let page: ListPage<ApiKeyObject> = serde_json::from_str(body).unwrap();
    assert_eq!(page.last_id.as_deref(), Some("key_bare"));
    let keys: Vec<_> = page
        .data
        .into_iter()
        .map(|k| k.into_key("c1", "proj_1"))
        .collect();

    let owner = keys[0].owner.as_ref().unwrap();
    assert_eq!((owner.kind, owner.name.as_str()), (OwnerKind::User, "Ada"));
    assert_eq!(keys[0].masked(), "…def");
    let owner = keys[1].owner.as_ref().unwrap();
    assert_eq!(owner.kind, OwnerKind::ServiceAccount);
    assert_eq!(keys[1].name, "");
    assert_eq!(keys[2].owner, None);
    assert_eq!(keys[2].project_id, "proj_1");
}

#[test]
fn archived_projects_are_recognised_by_status_or_date() {
    let body = r#"{"object": "list", "has_more": false, "data": [
        {"id": "proj_a", "object": "organization.project", "name": "A",
         "created_at": 1, "archived_at": null, "status": "active"},
        {"id": "proj_b", "name": "B", "archived_at": 1700000000},
        {"id": "proj_c", "status": "archived"}
    ]}"#;
    let page: ListPage<ProjectObject> = serde_json::from_str(body).unwrap();
    let projects: Vec<_> = page
        .data
        .into_iter()
        .map(|p| p.into_project("c1"))
        .collect();
    let archived: Vec<bool> = projects.iter().map(|p| p.archived).collect();
    assert_eq!(archived, [false, true, true]);
    assert_eq!(
        projects[2].name, "proj_c",
        "a nameless project shows its id"
    );
}

#[test]
fn billed_amounts_given_as_strings_or_long_decimals_sum_exactly() {
    let body = r#"{"object": "page", "has_more": false, "next_page": null,
      "data": [{"object": "bucket", "start_time": 1730419200,
        "end_time": 1730505600, "results": [
          {"object": "organization.costs.result",
           "amount": {"value": "12.50", "currency": "usd"},
           "line_item": "gpt-4o-2024-08-06, output", "project_id": "proj_a"},
          {"object": "organization.costs.result",
           "amount": {"value": 0.8958740000000000, "currency": "USD"},
           "line_item": "Vector storage", "project_id": "proj_a",
           "quantity": 3.5}
        ]}]}"#;
    let page: keymeter::api::types::CostsPage =
        serde_json::from_str(body).unwrap();
    let (starts, rows) = page.into_cost_records("c1").unwrap();
    assert_eq!(starts, vec![1730419200]);
    let day: keymeter::domain::money::Usd = rows.iter().map(|r| r.amount).sum();
    assert_eq!(day.to_fixed(6), "13.395874");
    assert_eq!(rows[1].currency, "usd");
}

#[test]
fn a_costs_page_with_an_unreadable_amount_is_refused_whole() {
    let body = r#"{"object": "page", "data": [{"start_time": 1,
      "results": [{"amount": {"value": 1.5}},
                  {"amount": {"value": "about ten"}}]}]}"#;
    let page: keymeter::api::types::CostsPage =
        serde_json::from_str(body).unwrap();
    assert!(page.into_cost_records("c1").is_err());
}

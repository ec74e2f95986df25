//! The sync under stress: rate limits, failing and broken pages, missing
//! endpoints, the costs fallback, and cancelling.

use std::time::Duration;

use keymeter::domain::time::DAY;
use keymeter::domain::usage::UsageKind;
use keymeter_harness::{Fault, FaultKind, MockConfig, MockServer};

use crate::browser::{Browser, ACCEPT_MOCK_CERTIFICATE};
use crate::expected::{expected_where, Expected};
use crate::{
    choose_range, told_key_refused_by_one_request, wait_for_table,
    wanted_table, world, world_with, World,
};

/// The range the overview shows after `choose_range(90)`.
fn last_90_days() -> (i64, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let to = now - now.rem_euclid(DAY) + DAY;
    (to - 90 * DAY, to)
}

fn statuses(mock: &MockServer, path: &str) -> Vec<u16> {
    mock.requests()
        .iter()
        .filter(|r| r.path.ends_with(path))
        .map(|r| r.status)
        .collect()
}

async fn expect_totals(browser: &Browser, wanted: Expected) {
    choose_range(browser, 90).await;
    wait_for_table(browser, &wanted_table(&wanted)).await;
}

/// Submits the connect form for the mock, without waiting for the sync.
async fn submit_connection(browser: &Browser, mock: &MockServer) {
    browser.fill("#connect-key", mock.admin_key()).await;
    browser.fill("#connect-base", &mock.base_url()).await;
    browser.click("#connect-submit").await;
}

/// Syncs again and finds every row of the last 90 days in the overview.
async fn sync_again_in_full(browser: &Browser, mock: &MockServer) {
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
    let (from, to) = last_90_days();
    expect_totals(browser, expected_where(mock.org(), from, to, |_| true))
        .await;
}

/// Waits until the sync's progress line satisfies `shows`, and returns
/// the line.
async fn progress_until(
    browser: &Browser,
    what: &str,
    shows: impl Fn(&str) -> bool,
) -> String {
    browser
        .until(what, || async {
            let text = browser
                .js("const p = document.getElementById('sync-progress'); \
                     return p ? p.innerText : ''")
                .await;
            let text = text.as_str().unwrap_or_default().to_owned();
            if shows(&text) {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await
}

/// The whole number that follows `marker` in `text`.
fn number_after(text: &str, marker: &str) -> Option<u32> {
    let rest = text.split(marker).nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

/// OpenAI serves its API over HTTP/2; the app's requests then share one
/// connection, and the sync must land exactly what it does over HTTP/1.1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_over_https_and_http2_lands_every_row() {
    let World { site, mock } = world_with(MockConfig {
        https: true,
        ..MockConfig::default()
    })
    .await;
    assert!(mock.base_url().starts_with("https://127.0.0.1:"));
    let browser =
        Browser::open_with(&site.url(), &[ACCEPT_MOCK_CERTIFICATE]).await;
    submit_connection(&browser, &mock).await;
    browser.notice_containing("Sync finished.").await;
    let requests = mock.requests();
    assert!(requests.len() > 20, "{} requests", requests.len());
    let versions: std::collections::BTreeSet<&str> =
        requests.iter().map(|r| r.version.as_str()).collect();
    assert_eq!(versions, ["HTTP/2.0"].into());
    let (from, to) = last_90_days();
    expect_totals(&browser, expected_where(mock.org(), from, to, |_| true))
        .await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_waited_out_and_server_errors_retried() {
    let World { site, mock } = world().await;
    mock.fail(Fault {
        path_contains: "/usage/completions".into(),
        times: 1,
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(2),
        },
    });
    mock.fail(Fault {
        path_contains: "/usage/embeddings".into(),
        times: 2,
        kind: FaultKind::Status {
            status: 500,
            retry_after: None,
        },
    });
    let browser = Browser::open(&site.url()).await;
    browser.fill("#connect-label", "Busy API").await;
    submit_connection(&browser, &mock).await;
    let shown =
        progress_until(&browser, "the wait", |t| t.contains("waiting 2 s"))
            .await;
    // The wait counts down.
    let later = progress_until(&browser, "a second less", |t| {
        t.contains("waiting 1 s")
    })
    .await;
    assert!(later.contains(": Completions"), "{later}");
    browser.notice_containing("Sync finished.").await;
    assert!(shown.contains("Completions"), "{shown}");

    let completions = statuses(&mock, "/usage/completions");
    assert_eq!(completions.first(), Some(&429));
    assert_eq!(completions.iter().filter(|s| **s == 200).count(), 12 + 5);
    let embeddings = statuses(&mock, "/usage/embeddings");
    assert_eq!(&embeddings[..2], &[500, 500]);
    let (from, to) = last_90_days();
    expect_totals(&browser, expected_where(mock.org(), from, to, |_| true))
        .await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_kind_stops_alone_and_the_next_sync_completes_it() {
    let World { site, mock } = world().await;
    let broken = [
        ("/usage/images", FaultKind::Truncated),
        ("/usage/moderations", FaultKind::NotAPage),
        ("/usage/audio_speeches", FaultKind::RepeatCursor),
        (
            "/usage/audio_transcriptions",
            FaultKind::Html { status: 502 },
        ),
    ];
    for (path, kind) in broken.clone() {
        mock.fail(Fault {
            path_contains: path.into(),
            times: 1_000,
            kind,
        });
    }
    let browser = Browser::open(&site.url()).await;
    submit_connection(&browser, &mock).await;
    let (text, is_error) = browser
        .notice_containing("some data could not be fetched")
        .await;
    assert!(is_error);
    for name in [
        "Images (daily)",
        "Moderations (daily)",
        "Speech (daily)",
        "Transcription (daily)",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    browser.element("#sync-status").await;
    let status = browser
        .js("return document.getElementById('sync-status').innerText")
        .await;
    assert!(
        status.as_str().unwrap_or_default().contains("incomplete"),
        "{status}"
    );

    // Everything else arrived whole; nothing of the broken kinds did.
    let broken_kinds = [
        UsageKind::Images,
        UsageKind::Moderations,
        UsageKind::AudioSpeeches,
        UsageKind::AudioTranscriptions,
    ];
    let (from, to) = last_90_days();
    let partial = expected_where(mock.org(), from, to, |r| {
        !broken_kinds.contains(&r.kind)
    });
    expect_totals(&browser, partial).await;

    // The API mends; the next sync fills the gaps, counting nothing twice.
    mock.clear_faults();
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
    expect_totals(&browser, expected_where(mock.org(), from, to, |_| true))
        .await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn costs_fall_back_without_key_grouping_and_missing_kinds_are_noted() {
    let config = MockConfig {
        missing_kinds: vec![UsageKind::WebSearchCalls],
        ..MockConfig::default()
    };
    let World { site, mock } = world_with(config).await;
    let browser = Browser::open(&site.url()).await;
    submit_connection(&browser, &mock).await;
    let (text, is_error) = browser.notice_containing("Sync finished.").await;
    assert!(!is_error);
    assert!(text.contains("does not offer: Web search"), "{text}");

    let costs: Vec<(u16, bool)> = mock
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/costs"))
        .map(|r| {
            (
                r.status,
                r.query_values("group_by")
                    .contains(&"api_key_id".to_owned()),
            )
        })
        .collect();
    assert_eq!(costs[0], (400, true), "{costs:?}");
    assert!(costs[1..].iter().all(|c| *c == (200, false)), "{costs:?}");

    // The fallback is remembered: the next sync asks once, without keys.
    mock.clear_requests();
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
    let costs = statuses(&mock, "/costs");
    assert_eq!(costs, [200]);
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_ends_a_long_rate_limit_wait_at_once() {
    let World { site, mock } = world().await;
    // Ten minutes: far longer than any wait in these tests.
    mock.fail(Fault {
        path_contains: "/usage/completions".into(),
        times: 1,
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(600),
        },
    });
    let browser = Browser::open(&site.url()).await;
    submit_connection(&browser, &mock).await;
    progress_until(&browser, "the long wait", |text| {
        number_after(text, "waiting ").is_some_and(|seconds| seconds > 60)
    })
    .await;
    browser.click("#sync-cancel").await;
    let (_, is_error) = browser.notice_containing("Sync cancelled").await;
    assert!(is_error);

    sync_again_in_full(&browser, &mock).await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sync_keeps_its_pages_and_the_next_one_finishes() {
    let World { site, mock } = world().await;
    mock.set_latency(Duration::from_millis(150));
    let browser = Browser::open(&site.url()).await;
    submit_connection(&browser, &mock).await;
    // Pages arrive several at a time, so look for "at least 5".
    progress_until(&browser, "some pages to arrive", |text| {
        number_after(text, "(page ").is_some_and(|done| done >= 5)
    })
    .await;
    browser.click("#sync-cancel").await;
    let (_, is_error) = browser.notice_containing("Sync cancelled").await;
    assert!(is_error);
    let status = browser
        .js("return document.getElementById('sync-status').innerText")
        .await;
    assert!(
        status.as_str().unwrap_or_default().contains("incomplete"),
        "{status}"
    );

    mock.set_latency(Duration::ZERO);
    sync_again_in_full(&browser, &mock).await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_revoked_since_the_last_sync_is_told_by_one_request() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    submit_connection(&browser, &mock).await;
    browser.notice_containing("Sync finished.").await;

    // The key is revoked while the tab still holds it: every request is
    // refused from now on.
    mock.fail(Fault {
        path_contains: "/organization/".into(),
        times: 1_000,
        kind: FaultKind::Status {
            status: 401,
            retry_after: None,
        },
    });
    mock.clear_requests();
    browser.click("#sync-run").await;
    told_key_refused_by_one_request(&browser, &mock).await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

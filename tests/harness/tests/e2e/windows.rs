//! The sync windows are the user's to set: a longer daily history is
//! fetched back to its new start on the next sync, a shorter hourly
//! window keeps the sync within it, and impossible windows are refused.

use keymeter::domain::time::DAY;
use keymeter_harness::MockServer;

use crate::browser::Browser;
use crate::{connect, now_unix, world, World};

/// The earliest `start_time` the sync asked completions for, per width.
fn earliest_start(mock: &MockServer, width: &str) -> Option<i64> {
    mock.requests()
        .iter()
        .filter(|r| r.path.ends_with("/usage/completions"))
        .filter(|r| r.query_values("bucket_width") == [width])
        .filter_map(|r| r.query_values("start_time").first()?.parse().ok())
        .min()
}

async fn save_windows(browser: &Browser, history: &str, hourly: &str) {
    browser.click("#tab-organization").await;
    browser.fill("#org-history", history).await;
    browser.fill("#org-hourly", hourly).await;
    browser.click("#org-windows-save").await;
    browser.notice_containing("Saved.").await;
}

async fn sync(browser: &Browser) {
    browser.click("#notice .close").await;
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn longer_windows_back_fill_and_shorter_ones_are_kept_to() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Acme", &mock, None).await;
    let today = now_unix() - now_unix().rem_euclid(DAY);
    let first = earliest_start(&mock, "1d").expect("a daily request");
    // 365 days: today and the 364 before it.
    assert_eq!((today - first) / DAY, 364, "the default history");

    let first_hourly = earliest_start(&mock, "1h").expect("an hourly request");
    assert!(
        today - first_hourly >= 30 * DAY,
        "the default hourly window"
    );

    // A longer history and a shorter hourly window: the next sync goes
    // back 400 days for daily buckets and only two days for hourly ones.
    save_windows(&browser, "400", "2").await;
    mock.clear_requests();
    sync(&browser).await;
    let back = earliest_start(&mock, "1d").expect("a daily request");
    assert_eq!((today - back) / DAY, 399, "the longer history is fetched");
    let hourly = earliest_start(&mock, "1h").expect("an hourly request");
    assert!(
        today - hourly <= 2 * DAY,
        "hourly data is kept to two days: {} hours back",
        (today - hourly) / 3600
    );

    // Refused values change nothing and say why.
    browser.click("#tab-organization").await;
    browser.fill("#org-history", "7").await;
    browser.fill("#org-hourly", "30").await;
    browser.click("#org-windows-save").await;
    let (text, error) = browser.notice_containing("further back").await;
    assert!(error, "{text}");
    let history = browser
        .js("return document.getElementById('org-history').value")
        .await;
    assert_eq!(history, "7", "the form keeps what was typed to correct it");

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

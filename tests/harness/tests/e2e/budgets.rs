//! A daily budget on an API key, set in the page, crossed by a sync that
//! brings in the day's usage: exactly one alert and one browser
//! notification, and none more on the next sync.

use keymeter::domain::analytics::rows::price_rows;
use keymeter::domain::money::Usd;
use keymeter::domain::price::built_in_table;
use keymeter::domain::time::{Date, DAY};
use keymeter::domain::usage::BucketWidth;

use crate::browser::Browser;
use crate::{connect, now_unix, world, World};

const KEY: &str = "key_demoApiServer001";

/// Waits, when needed, until the next UTC midnight is at least three
/// minutes away, so that "today" is the same day for the whole test.
async fn clear_of_midnight() {
    let left = DAY - now_unix().rem_euclid(DAY);
    if left < 180 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 1))
            .await;
    }
}

/// Sets the select `#id` to `value` as a user would.
pub(crate) async fn choose(browser: &Browser, id: &str, value: &str) {
    browser.element(&format!("#{id}")).await;
    browser
        .js(&format!(
            "const s = document.getElementById('{id}'); s.value = {value:?}; \
             s.dispatchEvent(new Event('change', {{bubbles: true}}));"
        ))
        .await;
}

async fn alerts_listed(browser: &Browser) -> usize {
    browser
        .js("return document.querySelectorAll('#alert-list li').length")
        .await
        .as_u64()
        .unwrap_or(0) as usize
}

async fn notifications(browser: &Browser) -> Vec<String> {
    let shown = browser.js("return window.__shown || []").await;
    serde_json::from_value(shown).unwrap_or_default()
}

async fn sync(browser: &Browser) {
    browser
        .js("const b = document.querySelector('#notice .close'); if (b) b.click();")
        .await;
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_crossed_by_a_sync_alerts_once_and_notifies_once() {
    clear_of_midnight().await;
    let World { site, mock } = world().await;
    let today = Date::from_unix(now_unix());
    mock.hold_back_usage_from(Some(today));
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Acme", &mock, None).await;

    // Notifications allowed, and counted as the page creates them.
    browser.allow_notifications().await;
    browser
        .js("const Real = window.Notification; window.__shown = []; \
             window.Notification = class extends Real { \
               constructor(title, options) { super(title, options); \
                 window.__shown.push(options && options.body || title); } };")
        .await;

    // What the key spends today once the day's usage arrives, priced as
    // the page prices it; the budget allows a ninth more than that.
    let today_rows: Vec<_> = mock
        .org()
        .usage
        .iter()
        .filter(|r| {
            r.width == BucketWidth::Day && r.start_time == today.to_unix()
        })
        .filter(|r| r.api_key_id.as_deref() == Some(KEY))
        .collect();
    let spend: Usd = price_rows(built_in_table(), today_rows.iter().copied())
        .iter()
        .filter_map(|row| row.cost())
        .fold(Usd::ZERO, |sum, cost| sum + cost);
    assert!(
        spend > Usd(1_000_000_000_000),
        "api-server spends over $1 a day"
    );
    let cents = (spend.0 * 10 / 9).div_ceil(10_000_000_000);
    let limit = format!("{}.{:02}", cents / 100, cents % 100);

    browser.click("#tab-budgets").await;
    browser.element("#notify-state").await;
    let state = browser
        .js("return document.getElementById('notify-state').innerText")
        .await;
    assert!(state.as_str().unwrap_or_default().contains("on"), "{state}");
    choose(&browser, "budget-scope", &format!("key:{KEY}")).await;
    choose(&browser, "budget-period", "day").await;
    // A zone the browser does not know is refused, and nothing is saved.
    browser.fill("#budget-zone", "Mars/Olympus").await;
    browser.fill("#budget-amount", &limit).await;
    browser.fill("#budget-thresholds", "80, 100").await;
    browser.click("#budget-save").await;
    let (text, is_error) =
        browser.notice_containing("is not a time zone").await;
    assert!(is_error && text.contains("Mars/Olympus"), "{text}");
    let rows = browser
        .js("return document.querySelectorAll('#budget-list tbody tr').length")
        .await;
    assert_eq!(rows, 0, "no budget with an unknown zone");

    // The form keeps what was typed; only the zone changes. A double
    // click stores one budget.
    browser.fill("#budget-zone", "UTC").await;
    browser.click("#budget-thresholds").await;
    browser
        .js("const b = document.getElementById('budget-save'); b.click(); b.click();")
        .await;
    browser.notice_containing("Budget saved.").await;
    // The same budget once more is refused.
    browser.fill("#budget-amount", &limit).await;
    browser.click("#budget-save").await;
    let (_, is_error) = browser.notice_containing("exists already").await;
    assert!(is_error);
    let rows = browser
        .js("return document.querySelectorAll('#budget-list tbody tr').length")
        .await;
    assert_eq!(rows, 1, "one budget however often it was saved");
    let row = browser
        .until("the budget's row", || async {
            let text = browser
                .js("const r = document.querySelector('#budget-list tbody tr'); return r ? r.innerText : null;")
                .await;
            text.as_str().map(str::to_owned).ok_or_else(|| text.to_string())
        })
        .await;
    assert!(row.contains("0.0 %"), "nothing spent yet today: {row}");
    assert!(notifications(&browser).await.is_empty());

    // The day's usage arrives; the next sync crosses 80 %, not 100 %.
    mock.hold_back_usage_from(None);
    sync(&browser).await;
    browser.element("#alert-banner").await;
    browser.click("#tab-alerts").await;
    browser
        .until("one alert in the centre", || async {
            match alerts_listed(&browser).await {
                1 => Ok(()),
                n => Err(n.to_string()),
            }
        })
        .await;
    let text = browser
        .js("return document.querySelector('#alert-list li').innerText")
        .await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("80 %") && text.contains("api-server"),
        "{text}"
    );
    let shown = notifications(&browser).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("80 %"), "{shown:?}");

    // Syncing the same data again raises nothing new.
    sync(&browser).await;
    assert_eq!(alerts_listed(&browser).await, 1);
    assert_eq!(notifications(&browser).await.len(), 1);

    // A sync of recent days leaves the history synced before covered.
    browser.click("#tab-overview").await;
    browser.element("#overview").await;
    let partly = browser
        .js("return document.getElementById('coverage-note') !== null")
        .await;
    assert_eq!(partly, false, "the range counts as synced");
    browser.click("#tab-alerts").await;

    // Acknowledged, the banner goes away and the alert stays in history.
    browser.click("#alert-list .acknowledge").await;
    browser
        .until("the banner to go", || async {
            let gone = browser
                .js("return document.getElementById('alert-banner') === null")
                .await;
            if gone == true {
                Ok(())
            } else {
                Err(gone.to_string())
            }
        })
        .await;
    choose(&browser, "alerts-show", "all").await;
    assert_eq!(alerts_listed(&browser).await, 1);

    // The history downloads with UTC and local times.
    browser.clear_downloads();
    browser.click("#alerts-csv").await;
    let (name, csv) = browser.downloaded().await;
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert!(name.starts_with("keymeter-acme-alerts-"), "{name}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].starts_with("raised_at_utc,raised_at_local,time_zone,kind")
    );
    assert!(
        lines[1].contains(",UTC,Budget,") && lines[1].contains("80 %"),
        "{csv}"
    );

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

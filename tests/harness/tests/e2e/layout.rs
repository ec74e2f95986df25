//! Every page fits the screen it is shown on: on a phone nothing scrolls
//! sideways, even with a long organization name in the header, and on a
//! desktop the tables that grow a budget column stay inside their panels.

use crate::browser::Browser;
use crate::budgets::choose;
use crate::charts::viewport;
use crate::{connect, pick_organization, world, World};

/// An organization name as long as some companies write theirs.
const LONG_NAME: &str = "Acme Corporation Production EU West 2";

/// Every tab of one organization, by the id of its button.
const TABS: [&str; 13] = [
    "tab-overview",
    "tab-analytics",
    "tab-compare",
    "tab-users",
    "tab-projects",
    "tab-keys",
    "tab-costs",
    "tab-budgets",
    "tab-alerts",
    "tab-prices",
    "tab-backup",
    "tab-organization",
    "tab-overview",
];

/// Opens the tab `id` and waits until the page shows it.
async fn open_tab(browser: &Browser, id: &str) {
    browser.click(&format!("#{id}")).await;
    let script = format!(
        "return document.getElementById('{id}')\
         .getAttribute('aria-selected') === 'true' \
         && document.querySelector('main').dataset.loaded !== undefined"
    );
    browser
        .until(&format!("the tab {id}"), || async {
            match browser.js(&script).await.as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
}

/// How much wider the page is than the window shows beside its
/// scrollbar, in CSS pixels.
async fn sideways(browser: &Browser) -> i64 {
    browser
        .js("const page = document.documentElement; \
             return page.scrollWidth - page.clientWidth")
        .await
        .as_i64()
        .expect("a width")
}

/// How much wider the table `#id` is than the scrolling box it sits in,
/// once it has at least `rows` body rows.
async fn overflow(browser: &Browser, id: &str, rows: usize) -> i64 {
    let script = format!(
        "const t = document.getElementById('{id}'); \
         if (!t || t.tBodies[0].rows.length < {rows}) return null; \
         const s = t.closest('.scroll'); \
         return s.scrollWidth - s.clientWidth;"
    );
    browser
        .until(&format!("the table {id} with {rows} rows"), || async {
            let value = browser.js(&script).await;
            value.as_i64().ok_or_else(|| value.to_string())
        })
        .await
}

/// One budget as the form takes it: scope, period, zone, unit, limit.
type Budget = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Adds `budget` through the form and waits until it is saved.
async fn add_budget(browser: &Browser, budget: Budget) {
    let (scope, period, zone, unit, limit) = budget;
    choose(browser, "budget-scope", scope).await;
    choose(browser, "budget-period", period).await;
    choose(browser, "budget-unit", unit).await;
    browser.fill("#budget-zone", zone).await;
    browser.fill("#budget-amount", limit).await;
    browser.click("#budget-save").await;
    browser.notice_containing("Budget saved.").await;
    browser
        .js("const b = document.querySelector('#notice .close'); \
             if (b) b.click();")
        .await;
}

/// Budgets whose rows hold the widest figures: tokens, notes that the
/// figure is understated or counted in UTC days, long period names.
const BUDGETS: [Budget; 5] = [
    ("org", "month", "UTC", "usd", "20"),
    (
        "project:proj_demoResearch0000000003",
        "month",
        "UTC",
        "tokens",
        "1000000",
    ),
    ("key:key_demoApiServer001", "week", "UTC", "usd", "20"),
    (
        "key:key_demoZhKey0000007",
        "month",
        "Asia/Kolkata",
        "usd",
        "1000.50",
    ),
    (
        "key:key_demoUnused000009",
        "day",
        "Pacific/Kiritimati",
        "usd",
        "5",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_scrolls_sideways_on_a_phone_with_a_long_organization_name() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    viewport(&browser, 375, 800).await;

    connect(&browser, LONG_NAME, &mock, None).await;
    browser.click("#add-connection").await;
    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    pick_organization(&browser, LONG_NAME).await;

    for tab in TABS {
        open_tab(&browser, tab).await;
        let extra = sideways(&browser).await;
        if extra > 0 {
            browser.screenshot(&format!("sideways-{tab}")).await;
        }
        assert!(extra <= 0, "{tab} scrolls sideways by {extra} px");
    }
    browser.screenshot("phone-long-organization-name").await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_with_budgets_fit_their_panels_on_a_desktop() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    viewport(&browser, 1280, 900).await;

    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    open_tab(&browser, "tab-budgets").await;
    for budget in BUDGETS {
        add_budget(&browser, budget).await;
    }

    let budgets = overflow(&browser, "budget-list", BUDGETS.len()).await;
    if budgets > 0 {
        browser.screenshot("budgets-too-wide").await;
    }
    assert!(budgets <= 0, "the budgets table is {budgets} px too wide");

    open_tab(&browser, "tab-overview").await;
    browser
        .until("a budget on the overview", || async {
            let text = browser
                .js("return document.querySelector('#overview tfoot \
                     td[data-col=\"budget\"]').innerText")
                .await;
            let text = text.as_str().unwrap_or_default().to_owned();
            if text.contains('%') {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;
    let overview = overflow(&browser, "overview", 9).await;
    if overview > 0 {
        browser.screenshot("overview-too-wide").await;
    }
    assert!(overview <= 0, "the overview is {overview} px too wide");

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

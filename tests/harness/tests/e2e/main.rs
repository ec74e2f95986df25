//! End-to-end journeys: the release bundle served under `/keymeter/` (as on
//! GitHub Pages), driven in headless Chromium, against the mock Admin API.
//!
//! `scripts/test.sh` builds the bundle into `$KEYMETER_DIST` first.

mod analytics;
mod backup;
mod browser;
mod budgets;
mod charts;
mod expected;
mod exports;
mod import;
mod keys;
mod layout;
mod monitor;
mod prices;
mod ranges;
mod secrets;
mod ship;
mod sync;
mod windows;

use std::collections::BTreeMap;
use std::path::PathBuf;

use browser::Browser;
use expected::{expected, Expected, Line};
use keymeter::domain::money::Usd;
use keymeter::domain::time::DAY;
use keymeter_harness::{
    serve_dir, start, MockConfig, MockServer, StaticServer,
};

/// Unix seconds now, as the page's clock reads them.
fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

/// The built app under a sub-path, and the mock API.
struct World {
    site: StaticServer,
    mock: MockServer,
}

async fn world() -> World {
    world_with(MockConfig::default()).await
}

async fn world_with(config: MockConfig) -> World {
    let dist = std::env::var("KEYMETER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/e2e-dist")
        });
    assert!(
        dist.join("index.html").is_file(),
        "no bundle in {}: build it with `trunk build --release --offline \
         --public-url /keymeter/ --dist {}` (scripts/test.sh does)",
        dist.display(),
        dist.display()
    );
    World {
        site: serve_dir(dist, "/keymeter/").await,
        mock: start(config).await,
    }
}

/// The overview as shown: `data-key` to the five number cells.
pub(crate) async fn shown_table(
    browser: &Browser,
) -> BTreeMap<String, [String; 5]> {
    let rows = browser
        .js(
            "return [...document.querySelectorAll('#overview tr[data-key]')]\
             .map(tr => [tr.dataset.key, ['requests', 'input', 'cached', \
             'output', 'cost'].map(c => \
             tr.querySelector(`td[data-col=\"${c}\"]`).innerText)]);",
        )
        .await;
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row[1]
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c.as_str().unwrap_or_default().to_owned())
                .collect();
            let key = row[0].as_str().unwrap_or_default().to_owned();
            (key, cells.try_into().expect("five cells"))
        })
        .collect()
}

fn wanted_table(expected: &Expected) -> BTreeMap<String, [String; 5]> {
    let mut table: BTreeMap<String, [String; 5]> = expected
        .keys
        .iter()
        .map(|(key, line)| (key.clone(), line.shown()))
        .collect();
    if expected.unattributed != Line::default() {
        table.insert("unattributed".into(), expected.unattributed.shown());
    }
    table.insert("total".into(), expected.total.shown());
    table
}

/// Waits until the overview shows exactly `wanted`.
async fn wait_for_table(
    browser: &Browser,
    wanted: &BTreeMap<String, [String; 5]>,
) {
    browser
        .until("the overview to show the mock's totals", || async {
            let shown = shown_table(browser).await;
            if &shown == wanted {
                Ok(())
            } else {
                Err(format!("{shown:#?}\nwanted {wanted:#?}"))
            }
        })
        .await;
}

/// One daily completions request the mock saw.
#[derive(Debug)]
struct UsageRequest {
    start: i64,
    end: i64,
    page: Option<String>,
}

/// The daily completions requests the mock saw, oldest first.
fn daily_completions(mock: &MockServer) -> Vec<UsageRequest> {
    mock.requests()
        .iter()
        .filter(|r| r.path.ends_with("/usage/completions"))
        .filter(|r| r.query_values("bucket_width") == ["1d"])
        .map(|r| {
            let number = |name| {
                r.query_values(name)
                    .first()
                    .and_then(|v| v.parse::<i64>().ok())
                    .expect("a numeric time")
            };
            UsageRequest {
                start: number("start_time"),
                end: number("end_time"),
                page: r.query_values("page").into_iter().next(),
            }
        })
        .collect()
}

/// Adds an organization through the form and waits for its first sync.
async fn connect(
    browser: &Browser,
    label: &str,
    mock: &MockServer,
    passphrase: Option<&str>,
) {
    // The page has loaded its stored state once it shows either the form
    // (nothing stored yet) or the organization picker.
    let form_open = browser
        .until("the page to load its state", || async {
            match browser
                .js("return document.querySelector('#connect-key') !== null \
                     || (document.querySelector('#connection') !== null \
                         ? false : null)")
                .await
            {
                serde_json::Value::Bool(open) => Ok(open),
                other => Err(other.to_string()),
            }
        })
        .await;
    if !form_open {
        browser.click("#add-connection").await;
    }
    browser.fill("#connect-label", label).await;
    browser.fill("#connect-key", mock.admin_key()).await;
    browser.fill("#connect-base", &mock.base_url()).await;
    if let Some(passphrase) = passphrase {
        browser.click("#connect-remember").await;
        browser.fill("#connect-passphrase", passphrase).await;
    }
    browser.click("#connect-submit").await;
    browser.notice_containing("Sync finished.").await;
}

/// Chooses an entry of the organization picker by its visible text.
async fn pick_organization(browser: &Browser, text: &str) {
    let script = format!(
        "const s = document.getElementById('connection'); if (!s) return false; \
         const o = [...s.options].find(o => o.text === {text:?}); \
         if (!o) return false; s.value = o.value; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); \
         return o.value;"
    );
    let mut picked = String::new();
    browser
        .until(&format!("the organization {text:?}"), || async {
            match browser.js(&script).await {
                serde_json::Value::String(value) => Ok(value),
                other => Err(other.to_string()),
            }
        })
        .await
        .clone_into(&mut picked);
    // Its data is shown once the page says it loaded that selection.
    browser
        .until(&format!("the data of {text:?}"), || async {
            let loaded = browser
                .js("return document.querySelector('main').dataset.loaded || ''")
                .await;
            if loaded.as_str() == Some(picked.as_str()) {
                Ok(())
            } else {
                Err(loaded.to_string())
            }
        })
        .await;
}

/// Waits for the page to say the API refused the key, and checks that one
/// request (refused) was all it took: no API call since the mock's log
/// was last cleared but that one, preflights aside.
async fn told_key_refused_by_one_request(browser: &Browser, mock: &MockServer) {
    let (_, is_error) =
        browser.notice_containing("did not accept this key").await;
    assert!(is_error);
    let sent: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .collect();
    assert_eq!(sent.len(), 1, "one refused request tells it: {sent:?}");
    assert_eq!(sent[0].status, 401);
}

async fn choose_range(browser: &Browser, days: u32) {
    let script = format!(
        "const s = document.getElementById('range'); s.value = '{days}d'; \
         s.dispatchEvent(new Event('change', {{bubbles: true}}));"
    );
    browser.element("#range").await;
    browser.js(&script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_sync_download_and_reload_show_the_mocks_totals() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;

    // Connect: the key is checked by listing projects, then a first sync
    // back-fills a year of daily buckets in full pages of 31.
    browser.fill("#connect-label", "Mock organization").await;
    browser.fill("#connect-key", mock.admin_key()).await;
    browser.fill("#connect-base", &mock.base_url()).await;
    browser.click("#connect-submit").await;
    browser.notice_containing("Sync finished.").await;
    let key_field = browser
        .js("return document.querySelector('#connect-key')")
        .await;
    assert!(
        key_field.is_null(),
        "the connect form closes after connecting"
    );
    let daily = daily_completions(&mock);
    assert_eq!(daily.len(), 12, "365 days in pages of 31: {daily:?}");
    assert!(
        daily[0].page.is_none() && daily[1..].iter().all(|r| r.page.is_some())
    );
    let to = daily[0].end;
    assert_eq!((to - daily[0].start) / DAY, 365);
    let from = to - 90 * DAY;

    choose_range(&browser, 90).await;
    let wanted = wanted_table(&expected(mock.org(), from, to));
    wait_for_table(&browser, &wanted).await;
    assert!(wanted.contains_key("unattributed"));
    assert_eq!(
        wanted["key_demoUnused000009"][0], "0",
        "a key without usage"
    );
    let billed: Usd = mock
        .org()
        .costs
        .iter()
        .filter(|c| c.start_time >= from && c.start_time < to)
        .map(|c| c.amount)
        .sum();
    let shown = browser.element("#billed-total").await.text().await.unwrap();
    assert_eq!(shown, billed.display(), "billed costs, read exactly");
    let shot = browser.screenshot("overview-after-sync").await;
    println!("screenshot: {}", shot.display());

    // Syncing an up-to-date store again costs one request per stream and
    // changes nothing.
    mock.clear_requests();
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
    let pages = mock
        .requests()
        .iter()
        .filter(|r| r.path.contains("/usage/") || r.path.ends_with("/costs"))
        .count();
    assert_eq!(
        pages,
        21,
        "10 kinds x 2 widths + costs: {:?}",
        mock.requests()
    );
    wait_for_table(&browser, &wanted).await;

    // The CSV download holds the same numbers.
    browser.click("#overview-csv").await;
    let (name, bytes) = browser.downloaded().await;
    assert!(
        name.starts_with("keymeter-mock-organization-keys-"),
        "{name}"
    );
    assert!(name.ends_with(".csv"), "{name}");
    check_csv(&bytes, &expected(mock.org(), from, to));

    // A reload shows the stored numbers without a single API call.
    mock.clear_requests();
    browser.client.refresh().await.expect("the page reloads");
    choose_range(&browser, 90).await;
    wait_for_table(&browser, &wanted).await;
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
    let key_prompt = browser.element("#unlock-key").await;
    assert!(key_prompt.is_displayed().await.unwrap_or(false));

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // A wrong key is told at once, by one request, and not taken.
    browser
        .fill("#unlock-key", "sk-admin-not-the-key-0000")
        .await;
    browser.click("#unlock-submit").await;
    told_key_refused_by_one_request(&browser, &mock).await;
    assert!(browser
        .element("#unlock-key")
        .await
        .is_displayed()
        .await
        .unwrap_or(false));
    let disabled = browser
        .js("return document.getElementById('sync-run').disabled")
        .await;
    assert_eq!(disabled, true, "no sync without an accepted key");
    // The right one is.
    browser.fill("#unlock-key", mock.admin_key()).await;
    browser.click("#unlock-submit").await;
    browser.notice_containing("Key accepted").await;
    browser
        .until("Sync now to be enabled", || async {
            let disabled = browser
                .js("return document.getElementById('sync-run').disabled")
                .await;
            if disabled == false {
                Ok(())
            } else {
                Err(disabled.to_string())
            }
        })
        .await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

fn check_csv(bytes: &[u8], expected: &Expected) {
    let text = std::str::from_utf8(bytes).expect("UTF-8 CSV");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (id, name) = (column("key_id"), column("name"));
    let numbers = [
        "requests",
        "input_tokens",
        "cached_input_tokens",
        "output_tokens",
        "unpriced_tokens",
    ]
    .map(column);
    let cost = column("estimated_cost_usd");

    let mut seen = 0;
    for record in reader.records() {
        let record = record.expect("a well-formed CSV line");
        let line = match (&record[id], &record[name]) {
            ("", "Unattributed") => &expected.unattributed,
            ("", "Total") => &expected.total,
            (key, _) => &expected.keys[key],
        };
        let wanted = [
            line.requests,
            line.input,
            line.cached,
            line.output,
            line.unpriced,
        ];
        for (col, value) in numbers.iter().zip(wanted) {
            assert_eq!(
                record[*col].parse::<u64>().ok(),
                Some(value),
                "{record:?}"
            );
        }
        // A line with no priced usage has no cost, not $0.
        let wanted_cost = if line.understated && line.cost == Usd::ZERO {
            String::new()
        } else {
            line.cost.to_fixed(6)
        };
        assert_eq!(&record[cost], wanted_cost, "{record:?}");
        seen += 1;
    }
    assert_eq!(seen, expected.keys.len() + 2, "keys, Unattributed, Total");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_that_cannot_read_usage_get_their_own_message_and_store_nothing() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;

    let attempts = [
        (
            "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
            mock.base_url(),
            "needs an Admin key",
        ),
        (
            "sk-admin-wrong-0000",
            mock.base_url(),
            "did not accept this key",
        ),
        (
            mock.admin_key(),
            mock.nocors_base_url(),
            "could not reach the API",
        ),
        (
            mock.admin_key(),
            "http://127.0.0.1:9/v1".to_owned(),
            "could not reach the API",
        ),
    ];
    for (key, base, message) in attempts {
        browser.fill("#connect-key", key).await;
        browser.fill("#connect-base", &base).await;
        browser.click("#connect-submit").await;
        let (text, is_error) = browser.notice_containing(message).await;
        assert!(is_error, "{text}");
        let admin_hint = "Settings, Organization, Admin keys";
        if message.contains("Admin key") {
            assert!(text.contains(admin_hint), "{text}");
        }
        browser.click("#notice .close").await;
    }

    let nothing_stored = browser
        .js("return document.querySelector('#connection') === null")
        .await;
    assert_eq!(nothing_stored, true, "no organization was added");
    let page = browser.js("return document.body.innerText").await;
    assert!(!page.as_str().unwrap_or_default().contains("sk-proj-abc"));
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_organization_needs_no_network_and_shows_every_key() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;

    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    let table = browser
        .until("the demo overview", || async {
            let table = shown_table(&browser).await;
            if table.len() >= 11 {
                Ok(table)
            } else {
                Err(format!("{table:?}"))
            }
        })
        .await;
    assert_eq!(table.len(), 9 + 2, "nine keys, Unattributed and Total");
    let names = browser
        .js("return [...document.querySelectorAll('#overview td.name')].map(t => t.innerText).join('|')")
        .await;
    let names = names.as_str().unwrap_or_default();
    assert!(
        names.contains("生产环境") && names.contains("Producción"),
        "{names}"
    );
    assert_eq!(
        names.matches("default").count(),
        2,
        "same-name keys stay two rows"
    );
    assert!(
        table["total"][4].ends_with("+ unpriced"),
        "{:?}",
        table["total"]
    );
    let drawn = browser.chart_ink("daily-chart").await;
    assert!(drawn > 1000, "the chart has bars: {drawn}");
    assert!(mock.requests().is_empty(), "the demo made API calls");
    browser.screenshot("demo-overview").await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

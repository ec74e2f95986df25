//! The analytics views of the demo organization, opened by link in a
//! half-hour zone: each renders without console errors and shows the
//! numbers the same functions compute natively from the same data. The
//! view, its filters, range and zone live in the URL and survive a
//! reload under the GitHub Pages sub-path.

use keymeter::domain::analytics::{
    analytics, Analytics, Days, Filter, Inputs, Options,
};
use keymeter::domain::demo::{
    self, demo_org, stored_usage, DEMO_CONNECTION, DEMO_DAYS,
};
use keymeter::domain::keys::visible_name;
use keymeter::domain::money::group_thousands;
use keymeter::domain::price::PriceTable;
use keymeter::domain::range::RangeChoice;
use keymeter::domain::time::Date;
use keymeter::domain::zone::Zone;

use crate::browser::Browser;
use crate::{now_unix, world, World};

const KOLKATA: i32 = 5 * 3600 + 1800;

/// What the page computes for the demo, computed here.
fn native(filter: &Filter) -> Analytics {
    let now = now_unix();
    let org = demo_org(DEMO_CONNECTION, Date::from_unix(now), DEMO_DAYS);
    let usage = stored_usage(&org, now);
    let people = demo::people(&org, DEMO_CONNECTION);
    let prices = PriceTable::built_in();
    let inputs = Inputs {
        records: &usage,
        keys: &org.keys,
        projects: &org.projects,
        people: &people,
        prices: &prices,
    };
    let zone = Zone::fixed("Asia/Kolkata", KOLKATA);
    let span = RangeChoice::Days(7).resolve(&zone, now);
    let days = Days::new(span.first, span.last);
    let options = Options {
        top: usize::MAX,
        ..Options::default()
    };
    analytics(&inputs, filter, &zone, days, now, &options)
}

fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// Waits until `#id` reads `wanted`.
async fn shows(browser: &Browser, id: &str, wanted: &str) {
    browser
        .until(&format!("#{id} to read {wanted}"), || async {
            let text = browser
                .js(&format!(
                    "const e = document.getElementById('{id}'); return e ? e.innerText : null;"
                ))
                .await;
            let text = text.as_str().unwrap_or_default().trim().to_owned();
            if text == wanted {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;
}

/// The text of every cell of table `#id`, row by row.
async fn cells(browser: &Browser, id: &str) -> Vec<Vec<String>> {
    let value = browser
        .js(&format!(
            "return [...document.querySelectorAll('#{id} tbody tr')]\
             .map(r => [...r.cells].map(c => c.innerText.trim()));"
        ))
        .await;
    serde_json::from_value(value).unwrap_or_default()
}

/// Pixels of the canvas `#id` that are not its background.
async fn ink(browser: &Browser, id: &str) -> u64 {
    browser
        .js(&format!(
            "const c = document.getElementById('{id}'); if (!c) return 0; \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
             let ink = 0; for (let i = 0; i < d.length; i += 4) \
             {{ if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++; }} return ink;"
        ))
        .await
        .as_u64()
        .unwrap_or(0)
}

/// Waits, when needed, until the next half hour is at least two minutes
/// away: the demo holds hours up to the moment it is loaded, and Kolkata's
/// days turn at half past, so page and test must see the same hour and
/// day. A condition on the clock, bounded by two minutes.
async fn clear_of_the_half_hour() {
    let left = 1800 - now_unix().rem_euclid(1800);
    if left < 120 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 1))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_analytics_view_opens_by_link_and_matches_the_native_figures() {
    clear_of_the_half_hour().await;
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    browser.element("#overview").await;

    let query = "?view=analytics&org=demo&range=7d&zone=Asia%2FKolkata";
    browser
        .client
        .goto(&format!("{}{query}", site.url()))
        .await
        .expect("the link opens");

    // Totals, by model and the hourly pattern.
    let all = native(&Filter::default());
    let total = all.trend.total();
    assert!(total.tokens > 0, "the demo has usage in the last 7 days");
    shows(&browser, "total-tokens", &count(total.tokens)).await;
    shows(&browser, "total-requests", &count(total.requests)).await;
    // A part of the usage has no price, and the cost says so.
    assert!(total.is_understated());
    shows(&browser, "total-cost", &total.cost_text()).await;
    let zone = browser
        .js("return document.getElementById('zone').value")
        .await;
    assert_eq!(zone, "Asia/Kolkata");
    let models = cells(&browser, "models-table").await;
    let wanted: Vec<(String, String)> = all
        .models
        .iter()
        .map(|m| (visible_name(&m.label), count(m.tally.tokens)))
        .collect();
    let shown: Vec<(String, String)> = models
        .iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    assert_eq!(shown, wanted);
    assert!(!all.pattern.is_unavailable(), "the demo has hourly rows");
    for chart in [
        "trend-chart",
        "cost-chart",
        "pattern-chart",
        "forecast-chart",
    ] {
        browser
            .until(&format!("{chart} to be drawn"), || async {
                let drawn = ink(&browser, chart).await;
                if drawn > 1000 {
                    Ok(())
                } else {
                    Err(drawn.to_string())
                }
            })
            .await;
    }
    browser.screenshot("analytics-kolkata").await;

    // Narrowed to one API key through the filter: the URL follows.
    let key = "key_demoApiServer001";
    browser
        .js(&format!(
            "const s = document.getElementById('filter-key'); s.value = '{key}'; \
             s.dispatchEvent(new Event('change', {{bubbles: true}}));"
        ))
        .await;
    let one = native(&Filter {
        key: Some(key.to_owned()),
        ..Filter::default()
    });
    shows(&browser, "total-tokens", &count(one.trend.total().tokens)).await;
    assert!(one.trend.total().tokens < total.tokens);
    let search = browser.js("return location.search").await;
    assert!(
        search
            .as_str()
            .unwrap_or_default()
            .contains(&format!("key={key}")),
        "{search}"
    );

    // The view's usage rows download holds that key's rows only.
    browser.clear_downloads();
    browser.click("#scope-usage-csv").await;
    let (name, csv) = browser.downloaded().await;
    assert!(name.contains("usage-rows-key-demoapiserver001"), "{name}");
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header = reader.headers().expect("a header").clone();
    let key_column = header
        .iter()
        .position(|h| h == "api_key_id")
        .expect("api_key_id");
    let tokens: u64 = reader
        .records()
        .map(|row| {
            let row = row.expect("a CSV row");
            assert_eq!(&row[key_column], key);
            let n = |name: &str| -> u64 {
                let i = header.iter().position(|h| h == name).expect(name);
                row[i].parse().unwrap_or(0)
            };
            n("input_tokens") + n("output_tokens")
        })
        .sum();
    assert_eq!(
        tokens,
        one.trend.total().tokens,
        "the rows add up to the view"
    );

    // A reload shows the same narrowed view.
    browser.client.refresh().await.expect("the page reloads");
    shows(&browser, "total-tokens", &count(one.trend.total().tokens)).await;

    // Compare: every key, the unused one with zeros, and the team figures.
    browser
        .client
        .goto(&format!(
            "{}?view=compare&org=demo&range=7d&zone=Asia%2FKolkata",
            site.url()
        ))
        .await
        .expect("the link opens");
    shows(&browser, "team-tokens", &count(all.team.tally.tokens)).await;
    let rows = cells(&browser, "comparison-table").await;
    assert_eq!(rows.len(), all.keys.len(), "{rows:?}");
    let unused = rows
        .iter()
        .find(|r| r[0].starts_with("unused-key"))
        .unwrap_or_else(|| panic!("the unused key is listed: {rows:?}"));
    assert_eq!(unused[2], "0");
    let shown: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
    let mut wanted: Vec<String> =
        all.keys.iter().map(|l| count(l.tally.tokens)).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    wanted.sort();
    assert_eq!(sorted, wanted);
    browser
        .until("the stacked chart to be drawn", || async {
            let drawn = ink(&browser, "stacked-chart").await;
            if drawn > 1000 {
                Ok(())
            } else {
                Err(drawn.to_string())
            }
        })
        .await;

    // Users and projects list the same sums.
    for (view, list) in
        [("users", &all.top.users), ("projects", &all.top.projects)]
    {
        browser
            .client
            .goto(&format!(
                "{}?view={view}&org=demo&range=7d&zone=Asia%2FKolkata",
                site.url()
            ))
            .await
            .expect("the link opens");
        let wanted: Vec<(String, String)> = list
            .iter()
            .map(|c| (visible_name(&c.label), count(c.tally.tokens)))
            .collect();
        browser
            .until(&format!("the {view} list"), || async {
                let shown: Vec<(String, String)> =
                    cells(&browser, &format!("{view}-table"))
                        .await
                        .into_iter()
                        .map(|r| (r[0].clone(), r[1].clone()))
                        .collect();
                if shown == wanted {
                    Ok(())
                } else {
                    Err(format!("{shown:?} != {wanted:?}"))
                }
            })
            .await;
    }

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    assert!(mock.requests().is_empty(), "the demo made API calls");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

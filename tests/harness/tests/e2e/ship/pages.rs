//! Deep links on GitHub Pages: every view opens from its URL under the
//! site's sub-path, and an unknown path under the site (an old or
//! mistyped link) lands in the app with its query kept, through the
//! site's 404 page as Pages serves it.

use keymeter::domain::demo::DEMO_CONNECTION;
use keymeter::domain::route::View;
use keymeter_harness::static_site::serve_dir_as_pages;
use serde_json::Value;

use super::{dist, load_demo, wait_for_view};
use crate::browser::Browser;

/// Waits until the page shows the demo organization's data.
async fn wait_for_demo_data(browser: &Browser) {
    browser
        .until("the demo's data", || async {
            let loaded = browser
                .js("const m = document.querySelector('main'); \
                     return m ? m.dataset.loaded || '' : ''")
                .await;
            if loaded == DEMO_CONNECTION {
                Ok(())
            } else {
                Err(loaded.to_string())
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_opens_by_link_and_unknown_paths_reach_the_app() {
    let site = serve_dir_as_pages(dist(), "/keymeter/").await;
    let browser = Browser::open(&site.url()).await;
    load_demo(&browser).await;

    for view in View::ALL {
        let slug = view.slug();
        let link = format!("{}?view={slug}&org={DEMO_CONNECTION}", site.url());
        browser.client.goto(&link).await.expect("the link opens");
        wait_for_demo_data(&browser).await;
        wait_for_view(&browser, view).await;
        let errors = browser.console_errors().await;
        assert!(errors.is_empty(), "{slug}: console errors {errors:?}");
    }

    let origin = format!("http://{}", site.addr());
    let stray = format!("{origin}/keymeter/nope/deeper?view=compare");
    browser.client.goto(&stray).await.expect("the link opens");
    wait_for_demo_data(&browser).await;
    wait_for_view(&browser, View::Compare).await;
    let at = browser
        .js("return location.pathname + location.search")
        .await;
    let at = at.as_str().unwrap_or_default();
    assert!(
        at.starts_with("/keymeter/?view=compare"),
        "the app's own address: {at}"
    );
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors {errors:?}");

    // The bare site address and the page's own file name work too.
    for (link, path) in [
        (format!("{origin}/keymeter"), "/keymeter/"),
        (
            format!("{origin}/keymeter/index.html"),
            "/keymeter/index.html",
        ),
    ] {
        browser.client.goto(&link).await.expect("the link opens");
        wait_for_demo_data(&browser).await;
        let at = browser.js("return location.pathname").await;
        assert_eq!(at, Value::String(path.to_owned()));
    }
    browser.quit().await;
    site.shutdown().await;
}

/// What the page shows: the selected tab, the range picked in the
/// menu, and the address's query.
async fn showing(browser: &Browser) -> (String, String, String) {
    let shown = browser
        .js("const tab = document.querySelector('.tab[aria-selected=\"true\"]'); \
             const range = document.getElementById('range'); \
             return [tab ? tab.id : '', range ? range.value : '', \
                     location.search];")
        .await;
    let part = |i: usize| shown[i].as_str().unwrap_or_default().to_owned();
    (part(0), part(1), part(2))
}

/// Waits until the page shows tab `tab` and range `range`, with an
/// address that says the same.
async fn until_showing(browser: &Browser, tab: &str, range: &str) {
    browser
        .until(&format!("{tab} over {range}"), || async {
            let (shown_tab, shown_range, query) = showing(browser).await;
            let said = query.contains(&format!("range={range}"))
                && (tab == "tab-overview"
                    || query.contains(&format!("view={}", &tab[4..])));
            if shown_tab == tab && shown_range == range && said {
                Ok(())
            } else {
                Err(format!("{shown_tab} {shown_range} {query}"))
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_and_forward_walk_the_tabs_and_ranges_the_user_chose() {
    let site = serve_dir_as_pages(dist(), "/keymeter/").await;
    let browser = Browser::open(&site.url()).await;
    load_demo(&browser).await;
    wait_for_demo_data(&browser).await;
    until_showing(&browser, "tab-overview", "30d").await;

    browser.click("#tab-analytics").await;
    until_showing(&browser, "tab-analytics", "30d").await;
    browser.click("#tab-compare").await;
    until_showing(&browser, "tab-compare", "30d").await;
    browser
        .js(
            "const s = document.getElementById('range'); s.value = '7d'; \
             s.dispatchEvent(new Event('change'));",
        )
        .await;
    until_showing(&browser, "tab-compare", "7d").await;

    let back = || async { browser.client.back().await.expect("back") };
    back().await;
    until_showing(&browser, "tab-compare", "30d").await;
    back().await;
    until_showing(&browser, "tab-analytics", "30d").await;
    browser.client.forward().await.expect("forward");
    until_showing(&browser, "tab-compare", "30d").await;
    browser.client.forward().await.expect("forward");
    until_showing(&browser, "tab-compare", "7d").await;
    back().await;
    back().await;
    back().await;
    until_showing(&browser, "tab-overview", "30d").await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors {errors:?}");
    browser.quit().await;
    site.shutdown().await;
}

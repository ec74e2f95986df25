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

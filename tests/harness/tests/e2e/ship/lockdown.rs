//! The Content-Security-Policy holds the page to its own files and the
//! API base: a whole journey (the demo, every view, downloads, connecting
//! to the mock API and syncing, a reload) requests nothing from any other
//! origin and trips no violation, while an injected inline script is
//! refused.

use std::collections::BTreeSet;

use keymeter::domain::route::View;
use serde_json::Value;

use super::{
    before_every_page, load_demo, wait_for_demo_overview, wait_for_view,
};
use crate::browser::Browser;
use crate::{connect, world, World};

/// Notes, across reloads (in the tab's session storage), every URL a
/// document of the tab loads or fetches and every policy violation.
const WATCH: &str = r#"
(() => {
  const note = (list, value) => {
    const seen = JSON.parse(sessionStorage.getItem('e2e-seen')
      || '{"urls": [], "violations": []}');
    seen[list].push(value);
    sessionStorage.setItem('e2e-seen', JSON.stringify(seen));
  };
  performance.setResourceTimingBufferSize(100000);
  note('urls', location.href);
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) note('urls', entry.name);
  }).observe({ type: 'resource', buffered: true });
  document.addEventListener('securitypolicyviolation', (event) => {
    note('violations',
      `${event.effectiveDirective} blocked ${event.blockedURI}`);
  }, true);
})();
"#;

/// What the watcher noted so far: URLs and violations.
async fn seen(browser: &Browser) -> (Vec<String>, Vec<String>) {
    let seen = browser
        .js("return JSON.parse(sessionStorage.getItem('e2e-seen'))")
        .await;
    let list = |name: &str| -> Vec<String> {
        seen[name]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    (list("urls"), list("violations"))
}

/// `scheme://host:port` of a URL (the inner URL's, for `blob:`).
fn origin(address: &str) -> String {
    url::Url::parse(address)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| format!("unparsable {address}"))
}

async fn visit_every_view(browser: &Browser) {
    for view in View::ALL {
        browser.click(&format!("#tab-{}", view.slug())).await;
        wait_for_view(browser, view).await;
    }
    browser.click("#tab-overview").await;
    wait_for_demo_overview(browser).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_reaches_only_its_own_origin_and_the_api_base() {
    let World { site, mock } = world().await;
    let browser = Browser::start().await;
    before_every_page(&browser, WATCH).await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page opens");

    load_demo(&browser).await;
    visit_every_view(&browser).await;

    // Downloads are made in the page: a data: URL from the chart's
    // canvas and a blob: URL for a table.
    for (button, ending) in
        [("#daily-chart-png", ".png"), ("#overview-csv", ".csv")]
    {
        browser.clear_downloads();
        browser.click(button).await;
        let (name, bytes) = browser.downloaded().await;
        assert!(name.ends_with(ending) && !bytes.is_empty(), "{name}");
    }

    connect(&browser, "Mock organization", &mock, None).await;
    visit_every_view(&browser).await;
    browser.client.refresh().await.expect("the page reloads");
    browser.element("#overview tr[data-key]").await;

    let (urls, violations) = seen(&browser).await;
    let site_origin = origin(&site.url());
    let api_origin = origin(&mock.base_url());
    let origins: BTreeSet<String> = urls.iter().map(|u| origin(u)).collect();
    assert_eq!(
        origins,
        BTreeSet::from([site_origin.clone(), api_origin.clone()]),
        "every request: {urls:#?}"
    );
    let wasm = urls.iter().any(|u| u.ends_with(".wasm"));
    let usage = urls.iter().any(|u| u.contains("/organization/usage/"));
    assert!(
        wasm && usage,
        "the watcher saw the app and the sync: {urls:?}"
    );
    assert!(violations.is_empty(), "policy violations: {violations:?}");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // The policy is in force: a script slipped into the page does not run.
    let ran = browser
        .js("const s = document.createElement('script'); \
             s.textContent = 'window.e2eInline = true'; \
             document.head.append(s); \
             return window.e2eInline === true")
        .await;
    assert_eq!(ran, Value::Bool(false), "an inline script ran");
    let refused = browser
        .until("the refusal of the inline script", || async {
            let (_, violations) = seen(&browser).await;
            match violations.iter().find(|v| v.contains("script-src")) {
                Some(v) => Ok(v.clone()),
                None => Err(format!("{violations:?}")),
            }
        })
        .await;
    assert!(refused.contains("inline"), "{refused}");

    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

//! The storage panel on the Import and backup tab: it shows what the
//! browser reports about the site's storage, asks for persistence only
//! when its button is pressed, and warns about Safari's seven days.

use serde_json::Value;

use super::{before_every_page, load_demo, wait_for_tab};
use crate::browser::Browser;
use crate::{world, World};

/// Counts the page's calls to `navigator.storage.persist`, from before
/// the app starts.
const COUNT_PERSIST: &str = r#"
(() => {
  const storage = navigator.storage;
  const persist = storage.persist.bind(storage);
  window.e2ePersistCalls = 0;
  storage.persist = () => { window.e2ePersistCalls += 1; return persist(); };
})();
"#;

/// The panel's `data-*` attribute `name`, once the page has filled it.
async fn shown(browser: &Browser, name: &str) -> String {
    let script = format!(
        "const s = document.getElementById('storage'); \
         return s ? s.getAttribute('data-{name}') : null"
    );
    browser
        .until(&format!("the panel's {name}"), || async {
            match browser.js(&script).await {
                Value::String(value) => Ok(value),
                other => Err(other.to_string()),
            }
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_storage_panel_reports_and_asks_only_when_told() {
    let World { site, mock } = world().await;
    let browser = Browser::start().await;
    before_every_page(&browser, COUNT_PERSIST).await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page opens");
    load_demo(&browser).await;
    browser.click("#tab-backup").await;
    wait_for_tab(&browser, "backup").await;

    let quota: f64 = shown(&browser, "quota").await.parse().expect("bytes");
    let usage: f64 = shown(&browser, "usage").await.parse().expect("bytes");
    let browser_says = browser.js("return navigator.storage.estimate()").await;
    // Chromium's quota follows the disk's free space, which other
    // programs change between two readings: the same within 1 %.
    let now = browser_says["quota"].as_f64().expect("a quota");
    assert!(
        (quota - now).abs() <= now * 0.01,
        "the panel says {quota}, the browser {now}"
    );
    assert!(usage > 0.0, "the demo takes room: {usage}");
    let text = browser.element("#storage-used").await.text().await.unwrap();
    assert!(
        text.contains(" of the ") && text.contains("B"),
        "used and allowed, in words: {text}"
    );

    let persisted = browser.js("return navigator.storage.persisted()").await;
    assert_eq!(shown(&browser, "persisted").await, persisted.to_string());
    let calls = browser.js("return window.e2ePersistCalls").await;
    assert_eq!(calls, 0, "nothing asks before the button is pressed");

    if persisted == Value::Bool(false) {
        browser.click("#storage-persist").await;
        let (answer, _) = browser.notice_containing("The browser").await;
        let calls = browser.js("return window.e2ePersistCalls").await;
        assert_eq!(calls, 1, "one question per press");
        let now = browser.js("return navigator.storage.persisted()").await;
        let said_yes = answer.contains("will keep");
        assert_eq!(now, Value::Bool(said_yes), "{answer}");
        let wanted = said_yes.to_string();
        browser
            .until("the panel to show the answer", || async {
                let shown = shown(&browser, "persisted").await;
                if shown == wanted {
                    Ok(())
                } else {
                    Err(shown)
                }
            })
            .await;
    }

    browser
        .js("document.getElementById('storage').scrollIntoView()")
        .await;
    let shot = browser.screenshot("storage-panel").await;
    println!("screenshot: {}", shot.display());

    let safari = browser.element("#storage-safari").await.text().await;
    let safari = safari.unwrap_or_default();
    assert!(
        safari.contains("Safari") && safari.contains("7 days"),
        "{safari}"
    );
    assert!(safari.contains("backup"), "{safari}");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

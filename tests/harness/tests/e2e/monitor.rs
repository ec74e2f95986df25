//! Monitor mode: with auto-refresh on, a visible tab syncs by itself, and
//! another open tab of the same browser shows the new sync without a
//! reload.

use std::time::{Duration, Instant};

use crate::browser::Browser;
use crate::{connect, world, World};

/// The sync panel's status line of the current window.
async fn status(browser: &Browser) -> String {
    let text = browser
        .js("const s = document.getElementById('sync-status'); \
             return s ? s.innerText : ''")
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visible_tab_syncs_by_itself_and_other_tabs_follow() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Watched", &mock, None).await;
    let first = browser.client.window().await.expect("a window");
    let before = status(&browser).await;
    assert!(before.starts_with("Last synced"), "{before}");

    // A second window of the same browser shows the stored data; it has
    // no key, so it can only follow.
    let second = browser
        .client
        .new_window(false)
        .await
        .expect("a new window")
        .handle;
    browser
        .client
        .switch_to_window(second.clone())
        .await
        .expect("switched");
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page opens");
    browser
        .until("the second window to show the sync", || async {
            let text = status(&browser).await;
            if text == before {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;

    browser
        .client
        .switch_to_window(first)
        .await
        .expect("switched");
    mock.clear_requests();
    browser
        .js("const s = document.getElementById('auto-refresh'); s.value = '1'; \
             s.dispatchEvent(new Event('change', {bubbles: true}));")
        .await;

    // The interval is a minute: wait (polling, bounded) for the sync it
    // starts, then for the other window to show it.
    let deadline = Instant::now() + Duration::from_secs(150);
    let after = loop {
        let text = status(&browser).await;
        if text != before && text.starts_with("Last synced") {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no automatic sync; the status still says {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(
        !mock.requests().is_empty(),
        "the automatic sync asked the API"
    );
    browser
        .client
        .switch_to_window(second)
        .await
        .expect("switched");
    browser
        .until("the second window to follow", || async {
            let text = status(&browser).await;
            if text == after {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

//! A custom range typed into the date boxes. Chromium reports every
//! keystroke in a date box as a whole date, so typing the year 2026 passes
//! through 0002, 0020 and 0202: the page must wait for the year in full
//! rather than refuse or apply a date nobody meant.

use crate::browser::Browser;
use crate::{world, World};

/// Sets `#id` to `value` as a keystroke in the box would, and says what
/// the box holds right after the page has handled it.
async fn type_into(browser: &Browser, id: &str, value: &str) -> String {
    let script = format!(
        "const box = document.getElementById('{id}'); box.focus(); \
         box.value = '{value}'; \
         box.dispatchEvent(new Event('input', {{bubbles: true}})); \
         box.dispatchEvent(new Event('change', {{bubbles: true}})); \
         return box.value;"
    );
    let held = browser.js(&script).await;
    held.as_str().unwrap_or_default().to_owned()
}

async fn range_dates(browser: &Browser, want: &str) {
    browser
        .until(&format!("the range to read {want}"), || async {
            let text = browser
                .js("return document.getElementById('range-dates').innerText")
                .await;
            let text = text.as_str().unwrap_or_default().to_owned();
            if text == want {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_range_is_applied_once_its_year_is_typed_in_full() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    browser.element("#range").await;
    browser
        .js(
            "const s = document.getElementById('range'); s.value = 'custom'; \
             s.dispatchEvent(new Event('change', {bubbles: true}));",
        )
        .await;
    browser.element("#range-first").await;
    type_into(&browser, "range-first", "2026-03-01").await;
    type_into(&browser, "range-last", "2026-03-31").await;
    range_dates(&browser, "2026-03-01 to 2026-03-31").await;

    // The year on its way to 2026 stays in the box and changes nothing.
    for typing in ["0002-03-01", "0020-03-01", "0202-03-01"] {
        let held = type_into(&browser, "range-first", typing).await;
        assert_eq!(held, typing, "the box keeps what is being typed");
    }
    let notice = browser
        .js("return document.getElementById('notice')?.innerText ?? ''")
        .await;
    assert!(
        !notice
            .as_str()
            .unwrap_or_default()
            .contains("range does not work"),
        "{notice}"
    );
    type_into(&browser, "range-first", "2026-03-02").await;
    range_dates(&browser, "2026-03-02 to 2026-03-31").await;

    // A year still half typed when the box is left is refused, and the
    // box shows the range in use again.
    type_into(&browser, "range-first", "0202-03-05").await;
    browser
        .js("document.getElementById('range-first').blur();")
        .await;
    let (_, is_error) =
        browser.notice_containing("That range does not work").await;
    assert!(is_error);
    let first = browser
        .js("return document.getElementById('range-first').value")
        .await;
    assert_eq!(first, "2026-03-02");
    range_dates(&browser, "2026-03-02 to 2026-03-31").await;

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_with_a_range_that_is_none_says_so() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&format!("{}?range=0d", site.url())).await;
    let (text, is_error) =
        browser.notice_containing("is not one keymeter reads").await;
    assert!(is_error && text.contains("\"0d\""), "{text}");
    assert!(text.contains("Last 30 days"), "{text}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

//! What shipping keymeter as a static site takes: a strict
//! Content-Security-Policy, a service worker that opens the app with no
//! network, GitHub Pages' 404 fallback for old links, and the storage
//! panel telling how safe the browser keeps the data.

mod lockdown;
mod offline;
mod pages;
mod storage;

use std::path::PathBuf;

use keymeter::domain::route::View;
use serde_json::{json, Value};

use crate::browser::{Browser, SessionPost};
use crate::shown_table;

/// The release bundle the journeys run against (see `world` in main.rs).
fn dist() -> PathBuf {
    std::env::var("KEYMETER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/e2e-dist")
        })
}

/// Runs `script` in every document the session opens from now on, before
/// the page's own scripts, through ChromeDriver's DevTools passthrough. A
/// script added this way is not subject to the page's policy.
async fn before_every_page(browser: &Browser, script: &str) {
    let source = json!({ "source": script });
    devtools(browser, "Page.addScriptToEvaluateOnNewDocument", source).await;
}

/// Runs one Chrome DevTools command on the page and returns its result.
pub(crate) async fn devtools(
    browser: &Browser,
    command: &str,
    params: Value,
) -> Value {
    browser
        .client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": command, "params": params }).to_string(),
        })
        .await
        .unwrap_or_else(|e| panic!("ChromeDriver runs {command}: {e}"))
}

/// Waits until the overview lists the demo's nine keys, Unattributed and
/// the total.
async fn wait_for_demo_overview(browser: &Browser) {
    browser
        .until("the demo overview", || async {
            let rows = shown_table(browser).await.len();
            if rows >= 11 {
                Ok(())
            } else {
                Err(format!("{rows} rows"))
            }
        })
        .await;
}

/// Loads the demo organization from the empty page and waits for it.
async fn load_demo(browser: &Browser) {
    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    wait_for_demo_overview(browser).await;
}

/// An element only `view` shows, to tell that it rendered.
fn marker(view: View) -> &'static str {
    match view {
        View::Overview => "#overview tr[data-key]",
        View::Analytics => "#analytics-page",
        View::Compare => "#compare-page",
        View::Users => "#users-page",
        View::Projects => "#projects-page",
        View::Keys => "#keys",
        View::Costs => "#costs-page",
        View::Budgets => "#budgets-page",
        View::Alerts => "#alerts-page",
        View::Prices => "#prices-page",
        View::Backup => "#backup",
        View::Organization => "#remove-org",
    }
}

/// Waits until `view` is the selected tab and has rendered.
async fn wait_for_view(browser: &Browser, view: View) {
    wait_for_tab(browser, view.slug()).await;
    browser.element(marker(view)).await;
}

/// Waits until the tab `#tab-<slug>` is the selected one.
async fn wait_for_tab(browser: &Browser, slug: &str) {
    let script = format!(
        "const t = document.getElementById('tab-{slug}'); \
         return t ? t.getAttribute('aria-selected') : null"
    );
    browser
        .until(&format!("the {slug} view"), || async {
            match browser.js(&script).await {
                Value::String(s) if s == "true" => Ok(()),
                other => Err(other.to_string()),
            }
        })
        .await;
}

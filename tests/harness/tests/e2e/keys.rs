//! The key directory: labels, tracking, two organizations, deleted keys,
//! removing an organization.

use std::collections::BTreeMap;

use keymeter_harness::{start, MockConfig};

use crate::browser::Browser;
use crate::{connect, pick_organization, shown_table, world, World};

const API_SERVER: &str = "key_demoApiServer001";
const BATCH: &str = "key_demoBatchJobs002";
const CI: &str = "key_demoCiTests00005";

/// The text of the overview's name cell of `key`, if the row is shown.
async fn name_cell(browser: &Browser, key: &str) -> Option<String> {
    let script = format!(
        "const r = document.querySelector('#overview tr[data-key=\"{key}\"] td.name'); \
         return r ? r.innerText : null;"
    );
    browser.js(&script).await.as_str().map(str::to_owned)
}

async fn open_tab(browser: &Browser, tab: &str) {
    browser.click(&format!("#tab-{tab}")).await;
}

async fn total_requests(browser: &Browser) -> u64 {
    let table: BTreeMap<String, [String; 5]> = shown_table(browser).await;
    table["total"][0]
        .replace(',', "")
        .parse()
        .expect("a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_tracking_two_organizations_and_a_deleted_key() {
    let World { site, mock } = world().await;
    let second = start(MockConfig::default()).await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Org A", &mock, None).await;
    // Adding another organization while Org A's settings are open shows
    // the new one's settings, never Org A's.
    browser.click("#tab-organization").await;
    browser.element("#org-label").await;
    connect(&browser, "Org B", &second, None).await;
    browser
        .until("Org B's own settings", || async {
            let shown = browser
                .js("return [document.getElementById('org-label')?.value, \
                     document.getElementById('org-base')?.value]")
                .await;
            let want = serde_json::json!(["Org B", second.base_url()]);
            if shown == want {
                Ok(())
            } else {
                Err(shown.to_string())
            }
        })
        .await;
    // A name emptied is refused, not answered "Saved.".
    browser.fill("#org-label", "   ").await;
    browser.click("#org-save").await;
    let (_, is_error) = browser.notice_containing("needs a name").await;
    assert!(is_error);
    pick_organization(&browser, "Org B").await;
    pick_organization(&browser, "Org A").await;

    // Label and tag a key; the overview shows the label and OpenAI's name.
    open_tab(&browser, "keys").await;
    browser
        .click(&format!("#keys tr[data-key=\"{API_SERVER}\"] button.edit"))
        .await;
    browser
        .fill(".key-editor .edit-label", "Checkout API")
        .await;
    browser
        .fill(".key-editor .edit-tags", "Production, eu")
        .await;
    browser.click(".key-editor button.save").await;
    open_tab(&browser, "overview").await;
    let name = browser
        .until("the label in the overview", || async {
            match name_cell(&browser, API_SERVER).await {
                Some(text) if text.contains("Checkout API") => Ok(text),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
    assert!(name.contains("(api-server)"), "{name}");
    assert!(name.contains("production") && name.contains("eu"), "{name}");

    // Tracking off takes the key out of the overview and its totals.
    let before = total_requests(&browser).await;
    let batch_requests: u64 = shown_table(&browser).await[BATCH][0]
        .replace(',', "")
        .parse()
        .unwrap();
    open_tab(&browser, "keys").await;
    browser
        .click(&format!("#keys tr[data-key=\"{BATCH}\"] input.track"))
        .await;
    open_tab(&browser, "overview").await;
    browser
        .until("the untracked key to leave", || async {
            match name_cell(&browser, BATCH).await {
                None => Ok(()),
                Some(text) => Err(text),
            }
        })
        .await;
    assert_eq!(total_requests(&browser).await, before - batch_requests);
    browser.element("#untracked-note").await;
    open_tab(&browser, "keys").await;
    browser
        .click(&format!("#keys tr[data-key=\"{BATCH}\"] input.track"))
        .await;
    open_tab(&browser, "overview").await;
    browser
        .until("the key to come back", || async {
            name_cell(&browser, BATCH).await.ok_or_else(String::new)
        })
        .await;
    assert_eq!(total_requests(&browser).await, before);

    // Both organizations together: the same key ids stay apart, and the
    // label belongs to Org A only.
    pick_organization(&browser, "All organizations").await;
    let rows = browser
        .until("rows of both organizations", || async {
            let count = browser
                .js(&format!(
                    "return document.querySelectorAll('#overview tr[data-key=\"{API_SERVER}\"]').length"
                ))
                .await;
            if count == 2 {
                Ok(count)
            } else {
                Err(count.to_string())
            }
        })
        .await;
    assert_eq!(rows, 2);
    let orgs = browser
        .js(&format!(
            "return [...document.querySelectorAll('#overview tr[data-key=\"{API_SERVER}\"] .org')].map(o => o.innerText).sort()"
        ))
        .await;
    assert_eq!(
        orgs,
        serde_json::json!(["Org A", "Org B"]),
        "each row says its organization"
    );
    let labelled = browser
        .js("return [...document.querySelectorAll('#overview td.name')].filter(t => t.innerText.includes('Checkout API')).length")
        .await;
    assert_eq!(labelled, 1);

    // A key deleted at OpenAI stays, marked, with its usage.
    pick_organization(&browser, "Org A").await;
    let ci_before = browser
        .until("Org A's table", || async {
            shown_table(&browser)
                .await
                .get(CI)
                .cloned()
                .ok_or_else(String::new)
        })
        .await;
    mock.revoke_key(CI);
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;
    let ci_name = browser
        .until("the deleted mark", || async {
            match name_cell(&browser, CI).await {
                Some(text) if text.contains("deleted") => Ok(text),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
    assert!(ci_name.contains("ci-tests"), "{ci_name}");
    assert_eq!(shown_table(&browser).await[CI], ci_before);

    // Removing Org B, keeping its history, then deleting it for good.
    pick_organization(&browser, "Org B").await;
    open_tab(&browser, "organization").await;
    browser.click("#remove-org").await;
    browser.click("#remove-keep").await;
    browser.notice_containing("its history is kept").await;
    pick_organization(&browser, "Org B (removed)").await;
    browser
        .until("Org B's kept history", || async {
            let table = shown_table(&browser).await;
            table.get(API_SERVER).map(|_| ()).ok_or_else(String::new)
        })
        .await;
    open_tab(&browser, "organization").await;
    browser.click("#remove-org").await;
    browser.click("#remove-delete").await;
    browser.notice_containing("all its data were removed").await;
    let options = browser
        .js("return [...document.getElementById('connection').options].map(o => o.text)")
        .await;
    assert_eq!(options, serde_json::json!(["Org A"]));

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    second.shutdown().await;
    site.shutdown().await;
    mock.shutdown().await;
}

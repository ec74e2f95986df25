//! The admin key's safety: kept encrypted on request, unlocked with the
//! passphrase only, and never found in plain text in any store, the
//! address, the console or a download; a pasted project key likewise.

use serde_json::Value;

use crate::browser::Browser;
use crate::{connect, world, World};

const PASSPHRASE: &str = "correct horse battery";
const NEW_PASSPHRASE: &str = "staple battery horse";
const PROJECT_KEY: &str = "sk-proj-AbCdEfGhIjKlMnOpQrStUvr001";

/// Where, of everything the page keeps where a script could read it
/// (every IndexedDB record, local and session storage, cookies, the URL),
/// any of `secrets` appears: as text, or as the byte list a serializer
/// might write. The search runs in the page, one store at a time; its
/// progress is kept on `window` so the test polls it instead of holding
/// one long script open.
async fn found_in_storage(browser: &Browser, secrets: &[&str]) -> Vec<String> {
    browser
        .client
        .execute(
            "const secrets = arguments[0];
             const scan = { state: 'opening', read: [], hits: [] };
             window.keymeterScan = scan;
             const needles = secrets.flatMap(s => [s,
               [...new TextEncoder().encode(s)].join(',')]);
             const look = (place, text) => {
               for (const n of needles) {
                 if (text.includes(n)) scan.hits.push(place);
               }
             };
             look('localStorage', JSON.stringify(localStorage));
             look('sessionStorage', JSON.stringify(sessionStorage));
             look('cookies', document.cookie);
             look('url', location.href);
             const fail = why => { scan.state = 'failed: ' + why; };
             const open = indexedDB.open('keymeter');
             open.onerror = () => fail('cannot open the database');
             open.onblocked = () => fail('the database is blocked');
             open.onsuccess = () => {
               const db = open.result;
               const names = [...db.objectStoreNames];
               scan.state = 'reading ' + names.join(', ');
               const next = () => {
                 const name = names.shift();
                 if (name === undefined) {
                   db.close();
                   scan.state = 'done';
                   return;
                 }
                 const req = db.transaction([name]).objectStore(name).getAll();
                 req.onsuccess = () => { try {
                   // Money is stored as BigInt, which JSON cannot write.
                   look(name, JSON.stringify(req.result, (_, v) =>
                     typeof v === 'bigint' ? v.toString() : v));
                   scan.read.push(name + ' (' + req.result.length + ')');
                   next();
                 } catch (e) { fail(name + ': ' + e); } };
                 req.onerror = () => fail('cannot read ' + name);
               };
               try { next(); } catch (e) { fail(String(e)); }
             };",
            vec![serde_json::json!(secrets)],
        )
        .await
        .expect("the scan starts");
    browser
        .until("the stores to be scanned", || async {
            let scan = browser.js("return window.keymeterScan").await;
            let state = scan["state"].as_str().unwrap_or_default();
            assert!(!state.starts_with("failed"), "the scan {state}");
            if state == "done" {
                Ok(serde_json::from_value(scan["hits"].clone())
                    .expect("a list of places"))
            } else {
                Err(scan.to_string())
            }
        })
        .await
}

/// Whether a sealed key is stored.
async fn sealed_key_stored(browser: &Browser) -> bool {
    let found = browser
        .client
        .execute_async(
            "const done = arguments[0];
             const open = indexedDB.open('keymeter');
             open.onsuccess = () => {
               const db = open.result;
               const req = db.transaction(['connections']).objectStore('connections').getAll();
               req.onsuccess = () => {
                 db.close();
                 done(req.result.some(c => c.sealed_secret));
               };
             };",
            Vec::new(),
        )
        .await
        .expect("the connections can be read");
    found == Value::Bool(true)
}

/// Asserts that `secret` appears nowhere in `text`, not even as the
/// byte list a serializer might write.
fn assert_absent(secret: &str, text: &str, place: &str) {
    assert!(!text.contains(secret), "the key is in {place}");
    let bytes: Vec<String> = secret.bytes().map(|b| b.to_string()).collect();
    assert!(
        !text.contains(&bytes.join(",")),
        "the key's bytes are in {place}"
    );
}

async fn reload_and_unlock(browser: &Browser, passphrase: &str) {
    browser.client.refresh().await.expect("the page reloads");
    browser.fill("#unlock-passphrase", passphrase).await;
    browser.click("#unlock-saved").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_key_is_encrypted_and_no_key_is_ever_stored_readable() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Vault test", &mock, Some(PASSPHRASE)).await;

    // Identify a project key by pasting it: found, stored as fingerprint.
    browser.click("#tab-keys").await;
    browser.fill("#identify-key", PROJECT_KEY).await;
    browser.click("#identify-submit").await;
    let (text, _) = browser.notice_containing("That is").await;
    assert!(text.contains("api-server"), "{text}");
    browser
        .element("#keys tr[data-key=\"key_demoApiServer001\"] .badge")
        .await;

    browser.click("#tab-overview").await;
    browser.click("#overview-csv").await;
    let (_, csv) = browser.downloaded().await;
    let csv = String::from_utf8(csv).expect("UTF-8");
    let found =
        found_in_storage(&browser, &[mock.admin_key(), PROJECT_KEY]).await;
    assert!(found.is_empty(), "a key is readable in {found:?}");
    let console = browser.console_errors().await.join("\n");
    for secret in [mock.admin_key(), PROJECT_KEY] {
        assert_absent(secret, &csv, "the CSV download");
        assert_absent(secret, &console, "the console");
    }
    assert!(
        sealed_key_stored(&browser).await,
        "the sealed key is stored"
    );

    // After a reload only the passphrase opens the key.
    reload_and_unlock(&browser, "not the passphrase").await;
    let (text, is_error) = browser.notice_containing("does not unlock").await;
    assert!(is_error, "{text}");
    let disabled = browser
        .js("return document.getElementById('sync-run').disabled")
        .await;
    assert_eq!(disabled, Value::Bool(true), "no sync without the key");
    browser.fill("#unlock-passphrase", PASSPHRASE).await;
    browser.click("#unlock-saved").await;
    browser.notice_containing("Key unlocked").await;
    browser.click("#sync-run").await;
    browser.notice_containing("Sync finished.").await;

    // Change the passphrase; the old one stops working.
    browser.click("#tab-organization").await;
    browser.fill("#remember-passphrase", NEW_PASSPHRASE).await;
    browser.fill("#remember-confirm", NEW_PASSPHRASE).await;
    browser.click("#remember-submit").await;
    browser
        .notice_containing("encrypted with your passphrase")
        .await;
    reload_and_unlock(&browser, PASSPHRASE).await;
    browser.notice_containing("does not unlock").await;
    browser.fill("#unlock-passphrase", NEW_PASSPHRASE).await;
    browser.click("#unlock-saved").await;
    browser.notice_containing("Key unlocked").await;

    // Lock, then forget: the page asks for the key itself again.
    browser.click("#lock").await;
    browser.element("#unlock-passphrase").await;
    browser.fill("#unlock-passphrase", NEW_PASSPHRASE).await;
    browser.click("#unlock-saved").await;
    browser.notice_containing("Key unlocked").await;
    browser.click("#tab-organization").await;
    browser.click("#forget-saved").await;
    browser.notice_containing("deleted from this device").await;
    browser.client.refresh().await.expect("the page reloads");
    browser.element("#unlock-key").await;
    assert!(!sealed_key_stored(&browser).await, "the sealed key is gone");

    // Pasting the project key again finds it by its fingerprint.
    browser.click("#tab-keys").await;
    browser.fill("#identify-key", PROJECT_KEY).await;
    browser.click("#identify-submit").await;
    browser.notice_containing("api-server").await;
    let found = found_in_storage(&browser, &[PROJECT_KEY]).await;
    assert!(found.is_empty(), "the project key is readable in {found:?}");

    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

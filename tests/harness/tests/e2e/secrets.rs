//! The admin key's safety: kept encrypted on request, unlocked with the
//! passphrase only, and never found in plain text in any store, the
//! address, the console or a download; a pasted project key likewise.

use serde_json::Value;

use crate::browser::Browser;
use crate::{connect, world, World};

const PASSPHRASE: &str = "correct horse battery";
const NEW_PASSPHRASE: &str = "staple battery horse";
const PROJECT_KEY: &str = "sk-proj-AbCdEfGhIjKlMnOpQrStUvr001";

/// Everything the page keeps where a script could read it, as one text:
/// every IndexedDB store, local and session storage, cookies, the URL.
async fn everything_stored(browser: &Browser) -> String {
    let dump = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const open = indexedDB.open('keymeter');
             open.onerror = () => done('cannot open');
             open.onsuccess = () => {
               const db = open.result;
               const names = [...db.objectStoreNames];
               const tx = db.transaction(names, 'readonly');
               const out = {};
               let left = names.length;
               for (const name of names) {
                 const req = tx.objectStore(name).getAll();
                 req.onsuccess = () => {
                   out[name] = req.result;
                   if (--left === 0) {
                     db.close();
                     done(JSON.stringify({
                       stores: out,
                       local: JSON.stringify(localStorage),
                       session: JSON.stringify(sessionStorage),
                       cookies: document.cookie,
                       url: location.href,
                     }));
                   }
                 };
               }
             };",
            Vec::new(),
        )
        .await
        .expect("the stores can be read");
    dump.as_str().expect("a JSON text").to_owned()
}

/// Asserts that `secret` appears nowhere in `text`, not even as the
/// byte array a serializer might write.
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
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page opens");
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
    browser.click("#csv-download").await;
    let (_, csv) = browser.downloaded().await;
    let csv = String::from_utf8(csv).expect("UTF-8");
    let stored = everything_stored(&browser).await;
    let console = browser.console_errors().await.join("\n");
    for secret in [mock.admin_key(), PROJECT_KEY] {
        assert_absent(secret, &stored, "browser storage");
        assert_absent(secret, &csv, "the CSV download");
        assert_absent(secret, &console, "the console");
    }
    assert!(stored.contains("ciphertext"), "the sealed key is stored");

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
    let stored = everything_stored(&browser).await;
    assert!(!stored.contains("ciphertext"), "the sealed key is gone");

    // Pasting the project key again finds it by its fingerprint.
    browser.click("#tab-keys").await;
    browser.fill("#identify-key", PROJECT_KEY).await;
    browser.click("#identify-submit").await;
    browser.notice_containing("api-server").await;
    assert_absent(PROJECT_KEY, &everything_stored(&browser).await, "storage");

    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

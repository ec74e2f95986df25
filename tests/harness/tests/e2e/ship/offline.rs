//! The service worker: once it controls the page, keymeter opens with the
//! site unreachable and shows what is stored; a new deploy replaces the
//! stored copy of the app and deletes the old one.

use std::path::Path;
use std::time::{Duration, SystemTime};

use keymeter_harness::static_site::serve_dir_as_pages;
use keymeter_harness::StaticServer;
use serde_json::{json, Value};

use super::{devtools, dist, load_demo, wait_for_demo_overview};
use crate::browser::Browser;
use crate::shown_table;

/// Waits until a service worker controls the page.
async fn wait_for_worker(browser: &Browser) {
    browser
        .until("a service worker controlling the page", || async {
            let script = browser
                .js("const c = navigator.serviceWorker.controller; \
                     return c ? c.scriptURL : null")
                .await;
            script.as_str().map(str::to_owned).ok_or(script.to_string())
        })
        .await;
}

/// The names of the page's caches, sorted.
async fn cache_names(browser: &Browser) -> Vec<String> {
    let names = browser.js("return caches.keys()").await;
    let mut names: Vec<String> = names
        .as_array()
        .expect("a list of names")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bookmarked_keymeter_opens_with_the_site_unreachable() {
    let site = serve_dir_as_pages(dist(), "/keymeter/").await;
    let browser = Browser::open(&site.url()).await;
    wait_for_worker(&browser).await;
    load_demo(&browser).await;
    let online = shown_table(&browser).await;
    let caches = cache_names(&browser).await;
    assert_eq!(caches.len(), 1, "one copy of the app: {caches:?}");
    assert!(caches[0].starts_with("keymeter-shell /keymeter/ "));

    // The browser reads the manifest and would install the app.
    let manifest = devtools(&browser, "Page.getAppManifest", json!({})).await;
    assert_eq!(manifest["errors"], json!([]), "{manifest}");
    assert!(manifest["url"]
        .as_str()
        .unwrap_or_default()
        .ends_with("/keymeter/manifest.webmanifest"));
    let installable =
        devtools(&browser, "Page.getInstallabilityErrors", json!({})).await;
    assert_eq!(
        installable["installabilityErrors"],
        json!([]),
        "{installable}"
    );

    site.shutdown().await;
    browser.client.refresh().await.expect("the page reloads");
    wait_for_demo_overview(&browser).await;
    assert_eq!(shown_table(&browser).await, online, "the stored demo");
    let served = browser
        .js("return performance.getEntriesByType('navigation')[0]\
             .workerStart > 0")
        .await;
    assert_eq!(served, Value::Bool(true), "the worker served the page");
    browser.quit().await;
}

/// Copies the bundle to a folder of its own, dated an hour back, so that
/// the files a test rewrites are newer to any HTTP revalidation.
fn copy_of_bundle(to: &Path) {
    std::fs::create_dir_all(to).expect("a folder for the bundle");
    let past = SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(dist()).expect("the bundle").flatten() {
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target).expect("a copied file");
        let file = std::fs::File::options()
            .write(true)
            .open(&target)
            .expect("the copy opens");
        file.set_modified(past).expect("the copy is dated");
    }
}

/// Rewrites `file` in `dir` with `edit` applied to its text.
fn rewrite(dir: &Path, file: &str, edit: impl Fn(&str) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("a text file");
    let edited = edit(&text);
    assert_ne!(edited, text, "{file} changed");
    std::fs::write(&path, edited).expect("the file is written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_deploy_replaces_the_stored_app_and_its_cache() {
    let dir = std::env::temp_dir()
        .join(format!("keymeter-deploy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_of_bundle(&dir);
    let site: StaticServer = serve_dir_as_pages(dir.clone(), "/keymeter").await;
    let browser = Browser::open(&site.url()).await;
    wait_for_worker(&browser).await;
    let before = cache_names(&browser).await;
    assert_eq!(before.len(), 1, "{before:?}");

    // A deploy of a new build: another build id in the worker and a page
    // that says which build it is.
    let new_build = "0123456789abcdef";
    rewrite(&dir, "sw.js", |text| {
        let line = text
            .lines()
            .find(|l| l.starts_with("const BUILD = "))
            .expect("a stamped build id");
        text.replace(line, &format!("const BUILD = \"{new_build}\";"))
    });
    rewrite(&dir, "index.html", |text| {
        text.replace(
            "<head>",
            "<head><meta name=\"e2e-build\" content=\"new\">",
        )
    });

    // The page comes from the network first, so the new deploy shows at
    // once, while the old worker still controls the page.
    browser.client.refresh().await.expect("the page reloads");
    browser.element("meta[name=e2e-build]").await;

    let wanted = format!("keymeter-shell /keymeter/ {new_build}");
    browser
        .until("the new build's cache alone", || async {
            let names = cache_names(&browser).await;
            if names == [wanted.clone()] {
                Ok(())
            } else {
                Err(format!("{names:?}"))
            }
        })
        .await;
    let stored_page = browser
        .js(&format!(
            "return caches.open({wanted:?}).then(c => c.match('./'))\
             .then(r => r.text())"
        ))
        .await;
    assert!(
        stored_page
            .as_str()
            .unwrap_or_default()
            .contains("e2e-build"),
        "the new cache holds the new page"
    );
    browser.quit().await;
    site.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

//! Backup and restore: a backup holds no admin key, restores whole into
//! a browser that has nothing, gives the same exports there, and a
//! damaged file changes nothing.

use crate::browser::Browser;
use crate::{choose_range, connect, world, World};

const PASSPHRASE: &str = "correct horse battery";

/// The overview's CSV download, as text, less its burn-rate columns.
async fn overview_csv(browser: &Browser) -> String {
    browser.clear_downloads();
    browser.click("#tab-overview").await;
    browser.click("#overview-csv").await;
    let (_, bytes) = browser.downloaded().await;
    let text = String::from_utf8(bytes).expect("UTF-8");
    // The last two columns, the burn rate, follow the clock: the same
    // usage burns a little slower a second later.
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.rsplitn(3, ',').last().unwrap_or(line))
        .collect();
    assert!(lines[0].ends_with("openai_name"), "{}", lines[0]);
    lines.join("\n")
}

/// Chooses `path` in the file input matching `css`.
async fn choose_file(browser: &Browser, css: &str, path: &std::path::Path) {
    browser
        .element(css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("the file is chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_whole_elsewhere_and_a_damaged_one_changes_nothing() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Backed up", &mock, Some(PASSPHRASE)).await;
    choose_range(&browser, 90).await;
    let before = overview_csv(&browser).await;
    assert!(before.lines().count() > 5, "{before}");

    browser.clear_downloads();
    browser.click("#tab-backup").await;
    browser.click("#backup-download").await;
    browser.notice_containing("It holds no admin key").await;
    let (name, bytes) = browser.downloaded().await;
    assert!(name.starts_with("keymeter-backup-") && name.ends_with(".json"));
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(!text.contains(mock.admin_key()), "the admin key");
    assert!(!text.contains("ciphertext"), "the sealed admin key");
    let dir = std::env::temp_dir()
        .join(format!("keymeter-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let whole = dir.join("backup.json");
    std::fs::write(&whole, &text).expect("written");
    browser.quit().await;

    // A browser with nothing stored offers the restore at once.
    let fresh = Browser::open(&site.url()).await;
    choose_file(&fresh, "#backup-file", &whole).await;
    let (notice, is_error) = fresh.notice_containing("Restored").await;
    assert!(!is_error, "{notice}");
    fresh.element("#connection").await;
    let after = overview_csv(&fresh).await;
    assert_eq!(after, before, "the same export after a restore");

    // A truncated or foreign file is refused and changes nothing.
    let cut = dir.join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("written");
    let foreign = dir.join("foreign.json");
    std::fs::write(&foreign, "{\"gpt-4o\": {\"input_cost_per_token\": 1}}")
        .expect("written");
    for (file, says) in [
        (&cut, "not a complete JSON file"),
        (&foreign, "not a keymeter backup"),
    ] {
        fresh.click("#tab-backup").await;
        fresh.click("#backup-replace").await;
        choose_file(&fresh, "#backup-file", file).await;
        let (notice, is_error) = fresh.notice_containing(says).await;
        assert!(
            is_error && notice.contains("Nothing was changed"),
            "{notice}"
        );
        assert_eq!(overview_csv(&fresh).await, before, "{}", file.display());
        fresh.click("#tab-backup").await;
        fresh.click("#backup-replace").await;
    }

    assert_eq!(fresh.console_errors().await, Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
    fresh.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

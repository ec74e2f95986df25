//! Downloads made in the page: the same table as CSV, CSV for Excel and
//! JSON agree, names survive, and the raw usage rows are all there.

use keymeter::domain::demo::{demo_org, DEMO_CONNECTION};
use keymeter::domain::range::last_days;
use keymeter::domain::time::Date;
use keymeter::domain::usage::BucketWidth;
use serde_json::Value;

use crate::browser::Browser;
use crate::{shown_table, world, World};

async fn download(browser: &Browser, button: &str) -> (String, Vec<u8>) {
    browser.clear_downloads();
    browser.click(button).await;
    browser.downloaded().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_excel_and_json_downloads_agree_and_hold_every_row() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    browser
        .until("the demo overview", || async {
            let shown = shown_table(&browser).await.len();
            if shown >= 11 {
                Ok(())
            } else {
                Err(shown.to_string())
            }
        })
        .await;

    // Hostile labels: markup stays text, formulas are neutralized.
    for (key, label) in [
        ("key_demoCiTests00005", "<img src=x onerror=alert(1)>"),
        (
            "key_demoNotebook0006",
            "=HYPERLINK(\"http://example.invalid\",\"x\")",
        ),
    ] {
        browser.click("#tab-keys").await;
        browser
            .click(&format!("#keys tr[data-key=\"{key}\"] button.edit"))
            .await;
        browser.fill(".key-editor .edit-label", label).await;
        browser.click(".key-editor button.save").await;
        let script = format!(
            "const l = document.querySelector('#keys tr[data-key=\"{key}\"] .label'); \
             return l ? l.innerText : ''"
        );
        browser
            .until(&format!("the label of {key}"), || async {
                let shown = browser.js(&script).await;
                if shown == label {
                    Ok(())
                } else {
                    Err(shown.to_string())
                }
            })
            .await;
    }
    browser.click("#tab-overview").await;
    browser
        .until("the labels in the overview", || async {
            let names = browser
                .js("return [...document.querySelectorAll('#overview td.name')]\
                     .map(t => t.innerText).join('|')")
                .await;
            let names = names.as_str().unwrap_or_default().to_owned();
            if names.contains("<img src=x onerror=alert(1)>") {
                Ok(())
            } else {
                Err(names)
            }
        })
        .await;
    let images = browser
        .js("return document.querySelectorAll('main img').length")
        .await;
    assert_eq!(images, 0, "markup in a name is never markup");

    let (name, csv) = download(&browser, "#overview-csv").await;
    assert!(
        name.starts_with("keymeter-") && name.ends_with(".csv"),
        "{name}"
    );
    let (excel_name, excel) = download(&browser, "#overview-excel").await;
    assert!(excel_name.ends_with("-excel.csv"), "{excel_name}");
    assert_eq!(&excel[..3], b"\xef\xbb\xbf", "Excel's byte-order mark");
    assert_eq!(&excel[3..], &csv[..], "otherwise the same file");
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert!(csv.contains("生产环境") && csv.contains("Producción piloto"));
    assert!(
        csv.contains(
            ",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\","
        ),
        "{csv}"
    );
    assert!(csv.contains(",<img src=x onerror=alert(1)>,"), "{csv}");

    let (_, json) = download(&browser, "#overview-json").await;
    let rows: Value = serde_json::from_slice(&json).expect("JSON");
    let rows = rows.as_array().expect("an array of rows");
    assert_eq!(rows.len(), csv.lines().count() - 1, "one object per line");
    let total = rows.last().expect("a total line");
    assert_eq!(total["name"], "Total");
    let csv_total = csv.lines().last().expect("a total line");
    let cost = total["estimated_cost_usd"].as_str().expect("money as text");
    assert!(
        csv_total.contains(&format!(",{cost},")),
        "{csv_total} / {cost}"
    );

    // Every daily row of the range, as the page's demo generator made it.
    let (_, rows_csv) = download(&browser, "#usage-csv").await;
    let rows_csv = String::from_utf8(rows_csv).expect("UTF-8");
    let now = crate::now_unix();
    let (from, to) = last_days(now, 30);
    let org = demo_org(DEMO_CONNECTION, Date::from_unix(now), 90);
    let daily = org
        .usage
        .iter()
        .filter(|r| r.width == BucketWidth::Day)
        .filter(|r| r.start_time >= from && r.start_time < to)
        .count();
    assert!(daily > 100);
    assert_eq!(rows_csv.matches(",1d,").count(), daily);

    browser.click("#tab-costs").await;
    let (_, days) = download(&browser, "#reconciliation-json").await;
    let days: Value = serde_json::from_slice(&days).expect("JSON");
    assert!(!days.as_array().expect("rows").is_empty());
    assert!(days[0]["billed_usd"].is_string());

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

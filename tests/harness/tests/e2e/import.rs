//! Importing instead of syncing: a dashboard CSV export and a saved API
//! reply go into a new organization, a second import of the same files
//! changes nothing, and a broken file is refused whole.

use keymeter::domain::time::{Date, DAY};

use crate::browser::Browser;
use crate::{shown_table, world, World};

async fn choose(browser: &Browser, paths: &[std::path::PathBuf]) {
    let list: Vec<String> =
        paths.iter().map(|p| p.display().to_string()).collect();
    browser
        .element("#import-files")
        .await
        .send_keys(&list.join("\n"))
        .await
        .expect("the files are chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_csv_and_saved_replies_import_once_and_broken_files_change_nothing(
) {
    let World { site, mock } = world().await;
    let now = crate::now_unix();
    let day = now - now.rem_euclid(DAY) - 2 * DAY;
    let iso = |t: i64| format!("{}T00:00:00+00:00", Date::from_unix(t));
    let csv = format!(
        "start_time_iso,end_time_iso,project_id,num_model_requests,user_id,\
         api_key_id,model,batch,input_tokens,output_tokens,input_cached_tokens\n\
         {},{},proj_1,4.0,user_1,key_imported_1,gpt-4o-mini,FALSE,1234.0,56,0\n\
         {},{},proj_1,1,,key_imported_2,gpt-4o,TRUE,100,10,0\n",
        iso(day),
        iso(day + DAY),
        iso(day),
        iso(day + DAY),
    );
    let reply = format!(
        r#"{{"object": "page", "has_more": false, "data": [
          {{"object": "bucket", "start_time": {day}, "end_time": {},
            "results": [{{"object": "organization.usage.completions.result",
              "input_tokens": 1234, "output_tokens": 56,
              "num_model_requests": 4, "project_id": "proj_1",
              "user_id": "user_1", "api_key_id": "key_imported_1",
              "model": "gpt-4o-mini", "batch": false}}]}}]}}"#,
        day + DAY
    );
    let dir = std::env::temp_dir()
        .join(format!("keymeter-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let csv_path = dir.join("completions_usage_export.csv");
    std::fs::write(&csv_path, csv).expect("written");
    let reply_path = dir.join("saved-page-1.json");
    std::fs::write(&reply_path, reply).expect("written");
    let broken_path = dir.join("completions_1d_broken.json");
    std::fs::write(&broken_path, "{\"object\": \"page\", \"data\": [")
        .expect("written");

    let browser = Browser::open(&site.url()).await;
    browser.click("#import-show-commands").await;
    let commands = browser
        .js("return document.getElementById('import-commands').value")
        .await;
    let commands = commands.as_str().unwrap_or_default();
    assert!(commands.contains("$OPENAI_ADMIN_KEY"), "{commands}");
    assert!(commands.contains("-o completions_1d_"), "{commands}");

    let wanted = |table: &std::collections::BTreeMap<String, [String; 5]>| {
        table.get("key_imported_1").map(|c| c[..2].to_vec())
            == Some(vec!["4".to_owned(), "1,234".to_owned()])
            && table.get("key_imported_2").map(|c| c[1].clone())
                == Some("100".to_owned())
    };
    // Refused before any organization exists, a file makes none.
    choose(&browser, std::slice::from_ref(&broken_path)).await;
    let (text, is_error) =
        browser.notice_containing("No file was imported").await;
    assert!(is_error, "{text}");
    let organizations = browser
        .js("const picker = document.getElementById('connection'); \
             return picker ? picker.options.length : 0")
        .await;
    assert_eq!(organizations, 0, "no organization from a refused file");

    for round in ["first", "second"] {
        if round == "second" {
            browser.click("#tab-backup").await;
        }
        choose(&browser, &[csv_path.clone(), reply_path.clone()]).await;
        let (text, is_error) = browser
            .notice_containing("Imported 3 rows from 2 files")
            .await;
        assert!(
            !is_error && text.contains("Imported organization"),
            "{text}"
        );
        browser.click("#tab-overview").await;
        browser
            .until(&format!("the {round} import's totals"), || async {
                let table = shown_table(&browser).await;
                if wanted(&table) {
                    Ok(())
                } else {
                    Err(format!("{table:?}"))
                }
            })
            .await;
    }

    browser.click("#tab-backup").await;
    choose(&browser, &[csv_path.clone(), broken_path.clone()]).await;
    let (text, is_error) =
        browser.notice_containing("No file was imported").await;
    assert!(
        is_error && text.contains("completions_1d_broken.json"),
        "{text}"
    );
    browser.click("#tab-overview").await;
    assert!(wanted(&shown_table(&browser).await), "nothing changed");
    let organizations = browser
        .js("return document.getElementById('connection').options.length")
        .await;
    assert_eq!(organizations, 1, "one imported organization");

    // A key seen only in imports is in the directory and takes a label.
    browser.click("#tab-keys").await;
    browser
        .click("#keys tr[data-key=\"key_imported_1\"] button.edit")
        .await;
    browser
        .fill(".key-editor .edit-label", "Imported one")
        .await;
    browser.click(".key-editor button.save").await;
    browser.click("#tab-overview").await;
    browser
        .until("the label in the overview", || async {
            let name = browser
                .js("const r = document.querySelector('#overview \
                     tr[data-key=\"key_imported_1\"] td.name'); \
                     return r ? r.innerText : ''")
                .await;
            let name = name.as_str().unwrap_or_default().to_owned();
            if name.contains("Imported one") {
                Ok(())
            } else {
                Err(name)
            }
        })
        .await;

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

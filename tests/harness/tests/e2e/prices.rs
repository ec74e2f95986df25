//! Money per key: the Costs view's estimated and allocated figures equal
//! those computed natively from the mock's data, and the Prices page's
//! edits, imports and resets change them the same way, and stay after a
//! reload.

use std::collections::BTreeMap;

use keymeter::domain::demo::PREVIEW_MODEL;
use keymeter::domain::price::{import_litellm, Price, PriceTable, Rate};
use keymeter::domain::spend::report::{cost_report, CostReport, Inputs};

use crate::browser::Browser;
use crate::{choose_range, connect, pick_organization, world, World};

/// A community price file: one OpenAI price doubled, one written per 1K
/// tokens by mistake, and entries that must be skipped.
const LITELLM: &str = r#"{
  "sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "one of"},
  "gpt-4o-mini": {"input_cost_per_token": 3e-07,
    "cache_read_input_token_cost": 1.5e-07,
    "output_cost_per_token": 1.2e-06, "litellm_provider": "openai",
    "mode": "chat"},
  "gpt-4.1": {"input_cost_per_token": 0.002,
    "output_cost_per_token": 0.008, "litellm_provider": "openai",
    "mode": "chat"},
  "claude-3-haiku": {"input_cost_per_token": 2.5e-07,
    "output_cost_per_token": 1.25e-06, "litellm_provider": "anthropic"}
}"#;

/// The report the page should show for the last 90 days at `prices`.
fn wanted(
    mock: &keymeter_harness::MockServer,
    prices: &PriceTable,
) -> CostReport {
    let org = mock.org();
    let now = crate::now_unix();
    let (from, to) = keymeter::domain::range::last_days(now, 90);
    let inputs = Inputs {
        prices,
        projects: &org.projects,
        keys: &org.keys,
        people: &[],
        usage: &org.usage,
        costs: &org.costs,
    };
    cost_report(&inputs, from, to)
}

/// What the Costs view shows: overall estimated and allocated, and the
/// same per key id.
async fn shown(
    browser: &Browser,
) -> (String, String, BTreeMap<String, [String; 2]>) {
    let value = browser
        .js(
            "const t = id => document.getElementById(id)?.innerText ?? ''; \
             return [t('overall-estimated'), t('overall-allocated'), \
               [...document.querySelectorAll('#costs-keys tr[data-id]')] \
               .map(tr => [tr.dataset.id.split('/').pop(), \
                 tr.querySelector('.estimated').innerText, \
                 tr.querySelector('.allocated').innerText])];",
        )
        .await;
    let keys = value[2]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            let cell =
                |i: usize| row[i].as_str().unwrap_or_default().to_owned();
            (cell(0), [cell(1), cell(2)])
        })
        .collect();
    let text = |i: usize| value[i].as_str().unwrap_or_default().to_owned();
    (text(0), text(1), keys)
}

/// Waits until the Costs view shows exactly `report`.
async fn expect_costs(browser: &Browser, report: &CostReport) {
    browser.click("#tab-costs").await;
    let keys: BTreeMap<String, [String; 2]> = report
        .keys
        .iter()
        .map(|line| {
            let id = line.id.split('/').next_back().unwrap_or_default();
            let id = if id == "-" { "-" } else { id };
            (
                id.to_owned(),
                [
                    line.figures.estimated.display(),
                    line.figures.allocated.display(),
                ],
            )
        })
        .collect();
    let want = (
        report.overall.estimated.display(),
        report.overall.allocated.display(),
        keys,
    );
    browser
        .until("the costs computed natively", || async {
            let got = shown(browser).await;
            if got == want {
                Ok(())
            } else {
                Err(format!("{got:?}\nwanted {want:?}"))
            }
        })
        .await;
}

/// The cells of the price row of `model` that applies every day.
async fn price_row(browser: &Browser, model: &str) -> Option<[String; 2]> {
    let script = format!(
        "const tr = document.querySelector('#prices tr[data-model=\"{model}\"]\
         [data-from=\"always\"]'); return tr ? [tr.dataset.source, \
         tr.querySelector('.input').innerText] : null;"
    );
    let value = browser.js(&script).await;
    value.as_array().map(|cells| {
        [0, 1].map(|i| cells[i].as_str().unwrap_or_default().to_owned())
    })
}

async fn wait_for_price(browser: &Browser, model: &str, want: [&str; 2]) {
    browser
        .until(&format!("the price row of {model}"), || async {
            let got = price_row(browser, model).await;
            if got.as_ref().map(|c| [c[0].as_str(), c[1].as_str()])
                == Some(want)
            {
                Ok(())
            } else {
                Err(format!("{got:?}"))
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn costs_follow_edited_imported_and_reset_prices() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    connect(&browser, "Priced", &mock, None).await;
    choose_range(&browser, 90).await;

    let mut prices = PriceTable::built_in();
    let report = wanted(&mock, &prices);
    assert!(
        report.overall.is_understated(),
        "the demo has unpriced usage"
    );
    expect_costs(&browser, &report).await;
    browser
        .until("unpriced usage to be counted", || async {
            let text = browser
                .js("return document.getElementById('overall-unpriced').innerText")
                .await;
            let text = text.as_str().unwrap_or_default().to_owned();
            if text.contains("tokens left out") { Ok(()) } else { Err(text) }
        })
        .await;

    // Price the model keymeter does not know, for every day.
    browser.click("#tab-prices").await;
    browser.fill("#price-model", PREVIEW_MODEL).await;
    browser
        .element("#price-from")
        .await
        .clear()
        .await
        .expect("clears");
    browser.fill("#price-input", "1.50").await;
    browser.fill("#price-output", "6").await;
    browser.click("#price-save").await;
    browser.notice_containing("Saved your price").await;
    wait_for_price(&browser, PREVIEW_MODEL, ["edited", "1.50"]).await;
    prices.edit(
        PREVIEW_MODEL,
        None,
        Price {
            input: Rate::per_million("1.50"),
            output: Rate::per_million("6"),
            ..Price::default()
        },
    );
    let report = wanted(&mock, &prices);
    assert!(!report.overall.is_understated(), "nothing left unpriced");
    expect_costs(&browser, &report).await;
    browser
        .until("no unpriced usage", || async {
            let text = browser
                .js("return document.getElementById('overall-unpriced').innerText")
                .await;
            if text == "none" { Ok(()) } else { Err(text.to_string()) }
        })
        .await;

    // Import a community file: OpenAI entries only, a unit slip flagged.
    let dir = std::env::temp_dir()
        .join(format!("keymeter-prices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("model_prices_and_context_window.json");
    std::fs::write(&file, LITELLM).expect("the file is written");
    browser.click("#tab-prices").await;
    browser
        .element("#prices-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("the file is chosen");
    let (text, is_error) =
        browser.notice_containing("Imported 1 OpenAI price.").await;
    assert!(
        !is_error
            && text.contains("1 entry looked like another unit and was not"),
        "{text}"
    );
    let warnings = browser
        .js("return document.getElementById('price-warnings').innerText")
        .await;
    let warnings = warnings.as_str().unwrap_or_default();
    assert!(
        warnings.contains("gpt-4.1") && warnings.contains("another unit"),
        "{warnings}"
    );
    assert!(!warnings.contains("gpt-4o-mini"), "{warnings}");
    wait_for_price(&browser, "gpt-4o-mini", ["imported", "0.30"]).await;
    let imported = import_litellm(LITELLM, None).expect("the file imports");
    for entry in imported.entries {
        prices.set(entry);
    }
    let report = wanted(&mock, &prices);
    expect_costs(&browser, &report).await;

    // What was changed is kept.
    browser.client.refresh().await.expect("the page reloads");
    pick_organization(&browser, "Priced").await;
    expect_costs(&browser, &report).await;
    browser.click("#tab-prices").await;
    wait_for_price(&browser, "gpt-4o-mini", ["imported", "0.30"]).await;

    // Reset brings the built-in price back.
    browser
        .click("#prices tr[data-model=\"gpt-4o-mini\"] .reset-price")
        .await;
    browser
        .notice_containing("back to keymeter's built-in price")
        .await;
    wait_for_price(&browser, "gpt-4o-mini", ["built in", "0.15"]).await;
    prices.reset("gpt-4o-mini");
    expect_costs(&browser, &wanted(&mock, &prices)).await;

    // A file that is not a price table changes nothing.
    std::fs::write(&file, "{\"truncated\": ").expect("the file is written");
    browser.click("#tab-prices").await;
    browser
        .element("#prices-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("the file is chosen");
    let (_, is_error) = browser.notice_containing("not valid JSON").await;
    assert!(is_error);
    wait_for_price(&browser, "gpt-4.1", ["built in", "2.00"]).await;

    // A price typed per 1K tokens is pointed out, and kept only when
    // saved a second time.
    browser.click("#tab-prices").await;
    browser
        .click("#prices tr[data-model=\"gpt-4.1\"][data-from=\"always\"] .edit-price")
        .await;
    browser.fill("#price-input", "2000").await;
    browser.click("#price-save").await;
    let (text, is_error) = browser.notice_containing("1,000 times").await;
    assert!(is_error && text.contains("Save price again"), "{text}");
    wait_for_price(&browser, "gpt-4.1", ["built in", "2.00"]).await;
    browser.click("#price-save").await;
    browser
        .notice_containing("Saved your price of gpt-4.1")
        .await;
    wait_for_price(&browser, "gpt-4.1", ["edited", "2000.00"]).await;

    // Removing every own price leaves the built-in list alone.
    browser.click("#prices-reset-all").await;
    browser
        .notice_containing("built-in prices apply again")
        .await;
    browser
        .until("the preview model's own price to go", || async {
            match price_row(&browser, PREVIEW_MODEL).await {
                None => Ok(()),
                Some(row) => Err(format!("{row:?}")),
            }
        })
        .await;
    expect_costs(&browser, &wanted(&mock, &PriceTable::built_in())).await;

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}

//! Benchmark, not a timed test: parse and store 100,000 usage results the
//! way a sync does, and a plain JavaScript bulk `put` of the same rows in
//! one transaction in the same page; prints both and their ratio (target:
//! keymeter at most 1.5 times the plain-JS time). Asserts only that every
//! row was stored, so a slow machine cannot make it fail.
//!
//! `scripts/bench.sh` runs it with the browser settings it needs.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise};
use keymeter::api::types::UsagePage;
use keymeter::domain::usage::{BucketWidth, UsageKind};
use keymeter::storage::Db;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BUCKETS: usize = 1_000;
const PER_BUCKET: usize = 100;

/// One usage page of `BUCKETS` daily buckets of `PER_BUCKET` results.
fn page_text() -> String {
    let mut out = String::from(r#"{"object":"page","has_more":false,"data":["#);
    for b in 0..BUCKETS {
        let start = 1_700_000_000 + b as i64 * 86_400;
        if b > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"object":"bucket","start_time":{start},"end_time":{},"results":["#,
            start + 86_400
        ));
        for r in 0..PER_BUCKET {
            if r > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                r#"{{"object":"organization.usage.completions.result","input_tokens":{},"output_tokens":{},"input_cached_tokens":{},"num_model_requests":{},"project_id":"proj_{}","user_id":"user_{}","api_key_id":"key_{}","model":"gpt-4o-mini-2024-07-18","batch":false,"service_tier":"default"}}"#,
                1_000 + r,
                200 + r,
                r * 3,
                1 + r % 7,
                r % 5,
                r % 11,
                r
            ));
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Plain JavaScript: parse the same text and put every result, keyed,
/// in one transaction of a database of its own. Resolves to elapsed ms.
const PLAIN_JS: &str = r#"
return new Promise((resolve, reject) => {
  const started = performance.now();
  const page = JSON.parse(text);
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('usage', { keyPath: 'key' });
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(['usage'], 'readwrite');
    const store = tx.objectStore('usage');
    for (const bucket of page.data) {
      for (const r of bucket.results) {
        store.put({ key: [bucket.start_time, r.project_id, r.user_id, r.api_key_id, r.model].join('|'), record: r });
      }
    }
    tx.oncomplete = () => { db.close(); resolve(performance.now() - started); };
    tx.onerror = () => reject(tx.error);
  };
});"#;

#[wasm_bindgen_test]
async fn store_100000_usage_results() {
    let text = page_text();
    let rows = BUCKETS * PER_BUCKET;

    // keymeter: parse, turn into records, store with the page's buckets
    // replaced, in one transaction, as a sync stores a page.
    let name = format!("keymeter-bench-{}", js_sys::Math::random());
    let db = Db::open(&name).await.expect("the database opens");
    let started = now_ms();
    let page: UsagePage = serde_json::from_str(&text).expect("a page");
    let (starts, records) =
        page.into_records("bench", UsageKind::Completions, BucketWidth::Day);
    let buckets: Vec<String> = starts
        .iter()
        .map(|s| {
            keymeter::domain::usage::bucket_key(
                "bench",
                UsageKind::Completions,
                BucketWidth::Day,
                *s,
            )
        })
        .collect();
    db.replace_buckets(&buckets, &records)
        .await
        .expect("stored");
    let ours = now_ms() - started;
    let stored = db.org_data("bench").await.expect("read back").usage.len();
    assert_eq!(stored, rows, "every row stored");
    db.close();
    rexie::Rexie::delete(&name).await.expect("deleted");

    // Plain JavaScript over the same text.
    let plain_name = format!("{name}-plain");
    let run = Function::new_with_args("text, name", PLAIN_JS);
    let promise: Promise = run
        .call2(
            &JsValue::NULL,
            &JsValue::from_str(&text),
            &JsValue::from_str(&plain_name),
        )
        .expect("the script runs")
        .into();
    let plain = JsFuture::from(promise)
        .await
        .expect("the plain store finishes")
        .as_f64()
        .unwrap_or(f64::NAN);
    rexie::Rexie::delete(&plain_name).await.expect("deleted");

    console_log!(
        "store {rows} usage results: keymeter {ours:.0} ms ({:.0} rows/s), \
         plain JavaScript bulk put {plain:.0} ms, ratio {:.2} (target <= 1.5)",
        rows as f64 / (ours / 1000.0),
        ours / plain
    );
}

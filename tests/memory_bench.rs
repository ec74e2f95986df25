//! Benchmark, not a timed test: the memory of 1,000,000 stored usage rows
//! loaded for analytics the way the page loads them (every row of the
//! organization read from IndexedDB by `Db::org_data`), then added up
//! into the Overview and Analytics pages' figures. Prints the peak JS
//! heap during the load, the wasm linear memory after the analytics
//! (linear memory only grows, so that is its peak) and their sum (target:
//! under 200 MB). The sum of the two peaks bounds what the tab held at
//! any one moment. Asserts only that every row came back.
//!
//! Precise heap sizes need Chromium's `--enable-precise-memory-info`;
//! `scripts/bench.sh` runs this with `scripts/webdriver-memory.json`,
//! which adds it (and `--expose-gc`, to start from a collected heap).
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;
use std::future::Future;

use js_sys::{Function, Reflect, WebAssembly};
use keymeter::domain::analytics::{analytics, Days, Filter, Inputs, Options};
use keymeter::domain::demo::{demo_org, stored_usage, DEMO_DAYS};
use keymeter::domain::keys::{ApiKey, Project};
use keymeter::domain::overview::overview_page;
use keymeter::domain::price::built_in_table;
use keymeter::domain::range::RangeChoice;
use keymeter::domain::time::{Date, DAY};
use keymeter::domain::usage::UsageRecord;
use keymeter::domain::zone::Zone;
use keymeter::storage::Db;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ROWS: usize = 1_000_000;
const DB_NAME: &str = "keymeter-memory-bench";
const CONNECTION: &str = "org-bench";
const MB: f64 = 1024.0 * 1024.0;

fn last_day() -> Date {
    Date::new(2026, 5, 10)
}

/// Late in the evening of `last_day`, UTC.
fn now() -> i64 {
    last_day().to_unix() + DAY - 1_800
}

fn property(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `performance.memory.usedJSHeapSize` in bytes; NaN where the browser
/// does not tell.
fn js_heap() -> f64 {
    let performance = property(&js_sys::global(), "performance");
    property(&property(&performance, "memory"), "usedJSHeapSize")
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// The size of this module's linear memory in bytes.
fn wasm_memory() -> f64 {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// Runs a full garbage collection when the browser allows it (Chromium
/// with `--js-flags=--expose-gc`); says whether it did.
fn collect_garbage() -> bool {
    let gc = property(&js_sys::global(), "gc");
    gc.dyn_ref::<Function>()
        .is_some_and(|gc| gc.call0(&JsValue::NULL).is_ok())
}

/// `future`, and the largest JS heap seen before and after each of its
/// steps. The last step of a load starts with every record IndexedDB gave
/// back held as a JS object, and decodes them: the load's JS peak.
async fn with_js_peak<T>(future: impl Future<Output = T>) -> (T, f64) {
    let mut future = std::pin::pin!(future);
    let mut peak = js_heap();
    let value = futures::future::poll_fn(|cx| {
        peak = peak.max(js_heap());
        let step = future.as_mut().poll(cx);
        peak = peak.max(js_heap());
        step
    })
    .await;
    (value, peak)
}

/// Stores one organization of `ROWS` usage rows the way a sync stores
/// them: copies of the demo organization (daily rows for 90 days, hourly
/// rows for the newest 31) under keys and projects of their own, written
/// a few buckets at a time so that setting up never holds every row.
async fn store_rows(db: &Db) {
    let demo = demo_org(CONNECTION, last_day(), DEMO_DAYS);
    let usage = stored_usage(&demo, now());
    let copies = ROWS.div_ceil(usage.len());
    let renamed = |id: &str, copy: usize| format!("{id}{copy:03}");
    let mut projects: Vec<Project> = Vec::new();
    let mut keys: Vec<ApiKey> = Vec::new();
    for copy in 0..copies {
        projects.extend(demo.projects.iter().map(|project| Project {
            id: renamed(&project.id, copy),
            name: format!("{} {copy}", project.name),
            ..project.clone()
        }));
        keys.extend(demo.keys.iter().map(|key| ApiKey {
            id: renamed(&key.id, copy),
            project_id: renamed(&key.project_id, copy),
            name: format!("{} {copy}", key.name),
            ..key.clone()
        }));
    }
    // Usage is stored a bucket to a record, and every copy shares the
    // demo's buckets: each write holds whole buckets, with the rows of
    // every copy, and only a slice of the whole is in memory at once.
    // The last copy is cut short so that exactly `ROWS` are stored.
    let mut by_bucket: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, row) in usage.iter().enumerate() {
        by_bucket.entry(row.bucket_key()).or_default().push(at);
    }
    let mut stored = 0;
    let mut rows: Vec<UsageRecord> = Vec::new();
    let buckets: Vec<&Vec<usize>> = by_bucket.values().collect();
    for (n, at) in buckets.iter().enumerate() {
        for copy in 0..copies {
            for &i in at.iter() {
                if copy * usage.len() + i >= ROWS {
                    continue;
                }
                let row = &usage[i];
                rows.push(UsageRecord {
                    project_id: row
                        .project_id
                        .map(|id| renamed(&id, copy).into()),
                    api_key_id: row
                        .api_key_id
                        .map(|id| renamed(&id, copy).into()),
                    ..row.clone()
                });
            }
        }
        if rows.len() >= 5_000 || n + 1 == buckets.len() {
            db.replace_buckets(&[], &rows).await.expect("rows stored");
            stored += rows.len();
            rows.clear();
        }
    }
    assert_eq!(stored, ROWS);
    db.save_directory(CONNECTION, &projects, &keys, now())
        .await
        .expect("projects and keys stored");
}

fn elapsed_s(since: f64) -> f64 {
    (js_sys::Date::now() - since) / 1000.0
}

#[wasm_bindgen_test]
async fn memory_of_1000000_stored_rows_loaded_for_analytics() {
    let _ = rexie::Rexie::delete(DB_NAME).await;
    let db = Db::open(DB_NAME).await.expect("the database opens");
    let started = js_sys::Date::now();
    store_rows(&db).await;
    console_log!(
        "memory: {ROWS} rows stored in IndexedDB in {:.1} s",
        elapsed_s(started)
    );

    let collected = collect_garbage();
    let (heap_before, wasm_before) = (js_heap(), wasm_memory());
    let started = js_sys::Date::now();
    let (data, heap_peak) = with_js_peak(db.org_data(CONNECTION)).await;
    let data = data.expect("the organization loads");
    let loaded_s = elapsed_s(started);
    assert_eq!(data.usage.len(), ROWS, "every stored row loads");
    let (heap_loaded, wasm_loaded) = (js_heap(), wasm_memory());

    // What the Overview and Analytics pages compute from the rows, over
    // the last 30 days in a zone whose days are not UTC days.
    let zone = Zone::fixed("Asia/Kolkata", 5 * 3_600 + 1_800);
    let span = RangeChoice::Days(30).resolve(&zone, now());
    let days = Days::new(span.first, span.last);
    let prices = built_in_table();
    let inputs = Inputs {
        records: &data.usage,
        keys: &data.keys,
        projects: &data.projects,
        people: &data.people,
        prices,
    };
    let overview = overview_page(&inputs, &zone, days, now());
    let options = Options::default();
    let all =
        analytics(&inputs, &Filter::default(), &zone, days, now(), &options);
    assert!(overview.table.total.counts.total_tokens() > 0);
    assert!(all.trend.total().tokens > 0);
    let wasm_peak = wasm_memory();
    let heap_peak = heap_peak.max(js_heap());

    console_log!(
        "memory: loaded in {loaded_s:.1} s; JS heap {:.1} MB before the \
         load{}, {:.1} MB peak, {:.1} MB after; wasm memory {:.1} MB \
         before, {:.1} MB loaded, {:.1} MB after the analytics",
        heap_before / MB,
        if collected { " (collected)" } else { "" },
        heap_peak / MB,
        heap_loaded / MB,
        wasm_before / MB,
        wasm_loaded / MB,
        wasm_peak / MB
    );
    console_log!(
        "memory of {ROWS} rows loaded for analytics: JS heap peak {:.1} MB \
         + wasm memory {:.1} MB = {:.1} MB (target: under 200 MB)",
        heap_peak / MB,
        wasm_peak / MB,
        (heap_peak + wasm_peak) / MB
    );

    drop(data);
    db.close();
    let _ = rexie::Rexie::delete(DB_NAME).await;
}

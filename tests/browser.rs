//! Storage tests in headless Chromium: each test opens its own uniquely
//! named IndexedDB database and deletes it when done.
#![cfg(target_arch = "wasm32")]

use keymeter::domain::connection::Connection;
use keymeter::domain::demo::demo_org;
use keymeter::domain::keys::ApiKey;
use keymeter::domain::time::Date;
use keymeter::domain::usage::UsageRecord;
use keymeter::storage::Db;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test uses.
fn db_name(test: &str) -> String {
    format!("keymeter-test-{test}-{}", js_sys::Math::random())
}

async fn open(name: &str) -> Db {
    Db::open(name).await.expect("the database opens")
}

async fn drop_db(db: Db, name: &str) {
    db.close();
    rexie::Rexie::delete(name)
        .await
        .expect("the database is deleted");
}

fn day(day: u32) -> Date {
    Date {
        year: 2026,
        month: 3,
        day,
    }
}

fn sorted(mut rows: Vec<UsageRecord>) -> Vec<UsageRecord> {
    rows.sort_by_key(UsageRecord::natural_key);
    rows
}

fn buckets(rows: &[UsageRecord]) -> Vec<String> {
    let mut keys: Vec<String> = rows.iter().map(|r| r.bucket_key()).collect();
    keys.sort();
    keys.dedup();
    keys
}

#[wasm_bindgen_test]
async fn stored_usage_and_directory_read_back_unchanged() {
    let name = db_name("round-trip");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 5);

    db.save_directory(&org.projects, &org.keys).await.unwrap();
    db.replace_buckets(&buckets(&org.usage), &org.usage)
        .await
        .unwrap();
    let stored = db.org_data("c1").await.unwrap();

    assert_eq!(sorted(stored.usage), sorted(org.usage.clone()));
    assert_eq!(stored.keys.len(), org.keys.len());
    assert_eq!(stored.projects.len(), org.projects.len());
    assert!(db.org_data("another").await.unwrap().usage.is_empty());
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn refetching_a_bucket_replaces_its_rows_instead_of_adding() {
    let name = db_name("upsert");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 3);
    let keys = buckets(&org.usage);
    db.replace_buckets(&keys, &org.usage).await.unwrap();

    // Late data: the same rows again with 50 % more tokens, and one row
    // of the first bucket gone from the new reply.
    let mut later: Vec<UsageRecord> = org.usage.clone();
    for row in &mut later {
        row.counts.input += row.counts.input / 2;
    }
    let first = later[0].bucket_key();
    let dropped = later.iter().position(|r| r.bucket_key() == first).unwrap();
    later.remove(dropped);
    db.replace_buckets(&keys, &later).await.unwrap();
    db.replace_buckets(&keys, &later).await.unwrap();

    let stored = db.org_data("c1").await.unwrap();
    assert_eq!(sorted(stored.usage), sorted(later));
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn an_empty_bucket_clears_what_was_stored_for_it() {
    let name = db_name("empty-bucket");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 2);
    db.replace_buckets(&buckets(&org.usage), &org.usage)
        .await
        .unwrap();

    let first = org.usage[0].bucket_key();
    db.replace_buckets(std::slice::from_ref(&first), &[])
        .await
        .unwrap();

    let stored = db.org_data("c1").await.unwrap();
    assert!(stored.usage.iter().all(|r| r.bucket_key() != first));
    assert!(!stored.usage.is_empty());
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn reopening_the_database_keeps_connections_settings_and_data() {
    let name = db_name("reopen");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 2);
    let connection = Connection {
        id: "c1".into(),
        label: "Acme".into(),
        api_base: "http://127.0.0.1:1/v1".into(),
        created_at: 1,
        last_sync: None,
        demo: false,
    };
    db.put_connection(&connection).await.unwrap();
    db.set_setting("selected_connection", "c1").await.unwrap();
    db.replace_buckets(&buckets(&org.usage), &org.usage)
        .await
        .unwrap();
    db.close();

    let db = open(&name).await;
    assert_eq!(db.connections().await.unwrap(), vec![connection]);
    assert_eq!(
        db.setting("selected_connection").await.unwrap().as_deref(),
        Some("c1")
    );
    assert_eq!(
        db.org_data("c1").await.unwrap().usage.len(),
        org.usage.len()
    );
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_resync_of_the_key_listing_keeps_the_users_label() {
    let name = db_name("labels");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 1);
    let mut labelled: Vec<ApiKey> = org.keys.clone();
    labelled[0].label = Some("Checkout".into());
    db.save_directory(&org.projects, &labelled).await.unwrap();

    db.save_directory(&org.projects, &org.keys).await.unwrap();

    let stored = db.org_data("c1").await.unwrap();
    let key = stored.keys.iter().find(|k| k.id == org.keys[0].id).unwrap();
    assert_eq!(key.label.as_deref(), Some("Checkout"));
    drop_db(db, &name).await;
}

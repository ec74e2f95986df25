//! Storage tests in headless Chromium: each test opens its own uniquely
//! named IndexedDB database and deletes it when done.
#![cfg(target_arch = "wasm32")]

use keymeter::domain::connection::Connection;
use keymeter::domain::demo::demo_org;
use keymeter::domain::keys::ApiKey;
use keymeter::domain::time::Date;
use keymeter::domain::usage::{BucketWidth, Span, UsageRecord};
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

    db.save_directory("c1", &org.projects, &org.keys, 0)
        .await
        .unwrap();
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
        row.counts.update(|c| c.input += c.input / 2);
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
        sealed_secret: None,
        archived: false,
        costs_by_key: None,
        windows: None,
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
    labelled[0].notes.label = Some("Checkout".into());
    db.save_directory("c1", &org.projects, &labelled, 0)
        .await
        .unwrap();

    db.save_directory("c1", &org.projects, &org.keys, 0)
        .await
        .unwrap();

    let stored = db.org_data("c1").await.unwrap();
    let key = stored.keys.iter().find(|k| k.id == org.keys[0].id).unwrap();
    assert_eq!(key.notes.label.as_deref(), Some("Checkout"));
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_key_gone_from_the_listing_is_marked_deleted_and_keeps_its_usage() {
    let name = db_name("deleted");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 3);
    let gone = org.keys[0].id.clone();
    db.save_directory("c1", &org.projects, &org.keys, 10)
        .await
        .unwrap();
    db.replace_buckets(&buckets(&org.usage), &org.usage)
        .await
        .unwrap();

    db.save_directory("c1", &org.projects, &org.keys[1..], 20)
        .await
        .unwrap();
    db.save_directory("c1", &org.projects, &org.keys[1..], 30)
        .await
        .unwrap();

    let stored = db.org_data("c1").await.unwrap();
    let key = stored.keys.iter().find(|k| k.id == gone).unwrap();
    assert_eq!(key.deleted_at, Some(20), "marked once, when first missed");
    assert!(stored
        .keys
        .iter()
        .filter(|k| k.id != gone)
        .all(|k| k.deleted_at.is_none()));
    let usage = stored
        .usage
        .iter()
        .filter(|r| r.api_key_id.as_deref() == Some(&gone));
    assert!(usage.count() > 0, "its usage stays");

    db.save_directory("c1", &org.projects, &org.keys, 40)
        .await
        .unwrap();
    let stored = db.org_data("c1").await.unwrap();
    assert!(
        stored.keys.iter().all(|k| k.deleted_at.is_none()),
        "back again"
    );
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn notes_are_saved_and_removing_a_connection_deletes_only_its_data() {
    let name = db_name("notes");
    let db = open(&name).await;
    let ours = demo_org("c1", day(31), 2);
    let theirs = demo_org("c2", day(31), 2);
    for org in [&ours, &theirs] {
        let id = &org.keys[0].connection_id;
        db.save_directory(id, &org.projects, &org.keys, 0)
            .await
            .unwrap();
        db.replace_buckets(&buckets(&org.usage), &org.usage)
            .await
            .unwrap();
    }
    let mut notes = ours.keys[1].notes.clone();
    notes.label = Some("Checkout".into());
    notes.tracked = false;
    notes.tags = vec!["production".into()];
    let saved = db
        .save_key_notes("c1", &ours.keys[1].id, &notes)
        .await
        .unwrap();
    assert_eq!(saved.notes, notes);
    let stored = db.org_data("c1").await.unwrap();
    let key = stored
        .keys
        .iter()
        .find(|k| k.id == ours.keys[1].id)
        .unwrap();
    assert_eq!(key.notes, notes);

    db.delete_connection_data("c1", false).await.unwrap();
    let gone = db.org_data("c1").await.unwrap();
    assert!(
        gone.usage.is_empty()
            && gone.keys.is_empty()
            && gone.projects.is_empty()
    );
    let kept = db.org_data("c2").await.unwrap();
    assert_eq!(kept.usage.len(), theirs.usage.len());
    drop_db(db, &name).await;
}

mod vault {
    use keymeter::vault::{open, seal, VaultError, ITERATIONS};
    use wasm_bindgen_test::*;

    const KEY: &str = "sk-admin-test-0123456789abcdefghij";

    #[wasm_bindgen_test]
    async fn a_sealed_key_opens_with_its_passphrase_only() {
        let sealed = seal(KEY, "correct horse battery").await.unwrap();
        assert_eq!(sealed.iterations, ITERATIONS);
        assert_eq!((sealed.salt.len(), sealed.iv.len()), (16, 12));
        let plain = KEY.as_bytes();
        assert!(!sealed.ciphertext.windows(plain.len()).any(|w| w == plain));

        assert_eq!(open(&sealed, "correct horse battery").await.unwrap(), KEY);
        assert_eq!(
            open(&sealed, "wrong horse battery").await,
            Err(VaultError::WrongPassphrase)
        );
    }

    #[wasm_bindgen_test]
    async fn every_seal_uses_a_fresh_salt_and_iv() {
        let a = seal(KEY, "passphrase one").await.unwrap();
        let b = seal(KEY, "passphrase one").await.unwrap();
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.iv, b.iv);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[wasm_bindgen_test]
    async fn a_short_passphrase_is_refused() {
        assert_eq!(seal(KEY, "short").await, Err(VaultError::WeakPassphrase));
    }
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_in_place_and_keeps_its_data() {
    use rexie::{Index, ObjectStore, Rexie, TransactionMode};

    let name = db_name("upgrade");
    let by_connection = || Index::new("by_connection", "record.connection_id");
    let v1 = Rexie::builder(&name)
        .version(1)
        .add_object_store(ObjectStore::new("connections").key_path("id"))
        .add_object_store(
            ObjectStore::new("projects")
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new("api_keys")
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new("usage")
                .key_path("key")
                .add_index(by_connection())
                .add_index(Index::new("by_bucket", "bucket")),
        )
        .add_object_store(ObjectStore::new("settings").key_path("name"))
        .build()
        .await
        .unwrap();
    // A row as version 1 wrote it, under its natural key: no size,
    // source or new counts.
    let bucket = keymeter::domain::usage::bucket_key(
        "c1",
        keymeter::domain::usage::UsageKind::Completions,
        keymeter::domain::usage::BucketWidth::Day,
        86_400,
    );
    let key =
        format!("{bucket}\u{1f}proj_a\u{1f}\u{1f}key_a\u{1f}gpt-4.1\u{1f}0");
    let old_row = serde_json::json!({
        "key": key, "bucket": bucket,
        "record": {
            "connection_id": "c1", "kind": "completions", "width": "1d",
            "start_time": 86400, "end_time": 172800, "project_id": "proj_a",
            "user_id": null, "api_key_id": "key_a", "model": "gpt-4.1",
            "batch": false, "service_tier": null,
            "counts": {"requests": 1, "input": 10, "cached_input": 0,
                       "output": 5, "input_audio": 0, "output_audio": 0}
        }
    });
    // A second row of the same bucket, for another key.
    let mut other_row = old_row.clone();
    other_row["key"] =
        format!("{bucket}\u{1f}proj_a\u{1f}\u{1f}key_b\u{1f}gpt-4.1\u{1f}0")
            .into();
    other_row["record"]["api_key_id"] = "key_b".into();
    other_row["record"]["counts"]["input"] = 7.into();
    let tx = v1
        .transaction(&["usage"], TransactionMode::ReadWrite)
        .unwrap();
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    for row in [&old_row, &other_row] {
        let value = serde::Serialize::serialize(row, &serializer).unwrap();
        tx.store("usage").unwrap().put(&value, None).await.unwrap();
    }
    tx.done().await.unwrap();
    v1.close();

    // Opened again and again, the rows move into their bucket once.
    for _ in 0..2 {
        let db = open(&name).await;
        let data = db.org_data("c1").await.unwrap();
        let mut inputs: Vec<u64> =
            data.usage.iter().map(|r| r.counts.unpack().input).collect();
        inputs.sort();
        assert_eq!(inputs, [7, 10]);
        assert_eq!(data.usage[0].size, None);
        assert!(data.costs.is_empty());
        assert!(db.positions("c1").await.unwrap().is_empty());
        db.close();
    }
    let db = open(&name).await;
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn costs_stored_a_row_to_a_record_move_into_their_days() {
    use rexie::{ObjectStore, Rexie, TransactionMode};

    let name = db_name("cost-days");
    let v6 = Rexie::builder(&name)
        .version(6)
        .add_object_store(ObjectStore::new("connections").key_path("id"))
        .add_object_store(ObjectStore::new("costs").key_path("key"))
        .build()
        .await
        .unwrap();
    let org = demo_org("c1", day(31), 2);
    let tx = v6
        .transaction(&["costs"], TransactionMode::ReadWrite)
        .unwrap();
    // A row as version 6 wrote it.
    #[derive(serde::Serialize)]
    struct Row<'a, T> {
        key: String,
        bucket: String,
        record: &'a T,
    }
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    for cost in &org.costs {
        let row = Row {
            key: cost.natural_key(),
            bucket: cost.day_key(),
            record: cost,
        };
        let value = serde::Serialize::serialize(&row, &serializer).unwrap();
        tx.store("costs").unwrap().put(&value, None).await.unwrap();
    }
    tx.done().await.unwrap();
    v6.close();

    let db = open(&name).await;
    let mut costs = db.org_data("c1").await.unwrap().costs;
    let mut wanted = org.costs.clone();
    costs.sort_by_key(|c| c.natural_key());
    wanted.sort_by_key(|c| c.natural_key());
    assert_eq!(costs, wanted);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_page_and_the_position_it_completes_are_stored_together() {
    use keymeter::storage::SyncPosition;

    let name = db_name("position");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 3);
    let position = SyncPosition {
        connection_id: "c1".into(),
        stream: "completions/1d".into(),
        complete_to: 1_000,
    };
    db.store_usage_page(&buckets(&org.usage), &org.usage, Some(&position))
        .await
        .unwrap();
    let days: Vec<String> = org.costs.iter().map(|c| c.day_key()).collect();
    db.store_cost_page(&days, &org.costs, None).await.unwrap();

    assert_eq!(db.positions("c1").await.unwrap(), vec![position]);
    let data = db.org_data("c1").await.unwrap();
    assert_eq!(data.usage.len(), org.usage.len());
    assert_eq!(data.costs.len(), org.costs.len());
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_sync_page_replaces_every_bucket_of_its_span() {
    use keymeter::storage::Page;

    let name = db_name("span");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 3);
    let hourly = |start: i64| UsageRecord {
        width: keymeter::domain::usage::BucketWidth::Hour,
        start_time: start,
        span: Span::of(BucketWidth::Hour),
        ..org.usage[0].clone()
    };
    let base = day(30).to_unix();
    // An earlier window began between hours, so one bucket was stored
    // under a start that no longer begins one.
    let stale = [hourly(base + 1_800), hourly(base + 3 * 3_600)];
    db.replace_buckets(&buckets(&stale), &stale).await.unwrap();
    // Now a page of three whole hours, the middle one empty.
    let fresh = [hourly(base), hourly(base + 2 * 3_600)];
    let first = fresh[0].bucket_key();
    let last = fresh[1].bucket_key();
    let page = Page::usage(Some((&first, &last)), &fresh, None).unwrap();
    db.store_pages(&[page]).await.unwrap();

    let starts: Vec<i64> = sorted(db.org_data("c1").await.unwrap().usage)
        .iter()
        .map(|r| r.start_time)
        .collect();
    // The half-hour bucket inside the span is gone; the one after it
    // stays.
    assert_eq!(starts, [base, base + 2 * 3_600, base + 3 * 3_600]);
    drop_db(db, &name).await;
}

#[wasm_bindgen_test]
async fn a_connection_of_more_rows_than_one_read_loads_whole_in_key_order() {
    use keymeter::storage::READ_PAGE;

    let name = db_name("pages");
    let db = open(&name).await;
    let template = demo_org("c1", day(31), 1).usage[0].clone();
    // Rows an hour apart, so each has a key of its own. "c" and "c10"
    // sort right before and after "c1", and "c10" starts with it.
    let rows = |connection: &str, count: usize| -> Vec<UsageRecord> {
        (0..count)
            .map(|hour| UsageRecord {
                connection_id: connection.into(),
                width: BucketWidth::Hour,
                start_time: hour as i64 * 3_600,
                span: Span::of(BucketWidth::Hour),
                ..template.clone()
            })
            .collect()
    };
    let ours = rows("c1", 2 * READ_PAGE as usize + 7);
    for connection in ["c", "c10"] {
        db.replace_buckets(&[], &rows(connection, 300))
            .await
            .unwrap();
    }
    db.replace_buckets(&[], &ours).await.unwrap();

    let stored = db.org_data("c1").await.unwrap();
    assert_eq!(stored.usage.len(), ours.len());
    assert!(stored.usage == sorted(ours), "every row, in key order");
    assert_eq!(db.org_data("c10").await.unwrap().usage.len(), 300);
    drop_db(db, &name).await;
}

mod progress {
    use std::cell::RefCell;
    use std::rc::Rc;

    use keymeter::sync::Tracker;
    use wasm_bindgen_test::*;

    fn tracker() -> (Tracker, Rc<RefCell<String>>) {
        let shown = Rc::new(RefCell::new(String::new()));
        let sink = shown.clone();
        let tracker = Tracker::new(move |text| *sink.borrow_mut() = text);
        (tracker, shown)
    }

    #[wasm_bindgen_test]
    fn one_stream_resuming_keeps_another_streams_wait_on_show() {
        let (tracker, shown) = tracker();
        tracker.plan(10);
        tracker.start("Completions");
        tracker.start("Embeddings");
        tracker.waiting("Completions", 2);
        tracker.waiting("Embeddings", 1);
        assert!(shown.borrow().contains("1 more waiting"), "{shown:?}");
        tracker.resumed("Embeddings");
        assert_eq!(
            *shown.borrow(),
            "Completions: waiting 2 s before trying again… (page 0 of 10)"
        );
        tracker.resumed("Completions");
        tracker.page_done();
        assert_eq!(
            *shown.borrow(),
            "Fetching Completions and Embeddings… (page 1 of 10)"
        );
    }
}

mod prices {
    use keymeter::domain::price::{PriceEntry, PriceSource, PriceTable, Rate};
    use keymeter::domain::time::Date;
    use wasm_bindgen_test::*;

    use super::{drop_db, open};

    fn entry(model: &str, from: Option<Date>, input: &str) -> PriceEntry {
        let mut price = PriceTable::built_in()
            .resolve("gpt-4o", Date::new(2026, 1, 1))
            .expect("gpt-4o is priced")
            .price()
            .clone();
        price.input = Rate::per_million(input);
        PriceEntry {
            model: model.into(),
            from,
            source: PriceSource::Imported,
            price,
        }
    }

    #[wasm_bindgen_test]
    async fn price_entries_survive_a_reopen_and_reset_drops_only_one_model() {
        let name = super::db_name("prices");
        let db = open(&name).await;
        let june = Some(Date::new(2026, 6, 1));
        let entries = [
            entry("gpt-4o", None, "3"),
            entry("gpt-4o", june, "4"),
            entry("my-model", None, "1"),
        ];
        db.put_price_entries(&entries).await.expect("stored");
        // Storing the same model and day again replaces, never adds.
        db.put_price_entries(&[entry("gpt-4o", june, "5")])
            .await
            .expect("stored");
        db.close();

        let db = open(&name).await;
        let mut stored = db.price_entries().await.expect("read back");
        stored.sort_by(|a, b| (&a.model, a.from).cmp(&(&b.model, b.from)));
        let inputs: Vec<(String, Option<Date>, Option<Rate>)> = stored
            .iter()
            .map(|e| (e.model.clone(), e.from, e.price.input))
            .collect();
        assert_eq!(
            inputs,
            [
                ("gpt-4o".into(), None, Rate::per_million("3")),
                ("gpt-4o".into(), june, Rate::per_million("5")),
                ("my-model".into(), None, Rate::per_million("1")),
            ]
        );
        assert_eq!(stored[0], entries[0], "every field survives");

        db.reset_prices("gpt-4o").await.expect("reset");
        let left = db.price_entries().await.expect("read back");
        assert_eq!(left, [entries[2].clone()]);
        drop_db(db, &name).await;
    }
}

mod backup {
    use keymeter::domain::backup::{parse_backup, Backup, RestoreMode};
    use keymeter::domain::connection::{Connection, Sealed};
    use keymeter::domain::demo::demo_org;
    use wasm_bindgen_test::*;

    use super::{buckets, day, drop_db, open};

    fn connection(id: &str, sealed: bool) -> Connection {
        Connection {
            id: id.into(),
            label: format!("Org {id}"),
            api_base: "https://api.openai.com/v1".into(),
            created_at: 1,
            last_sync: None,
            demo: false,
            sealed_secret: sealed.then(|| Sealed {
                iterations: 600_000,
                salt: vec![7; 16],
                iv: vec![8; 12],
                ciphertext: vec![9; 48],
            }),
            archived: false,
            costs_by_key: None,
            windows: None,
        }
    }

    /// A database holding organization `id` with a few days of usage.
    async fn filled(name: &str, id: &str) -> keymeter::storage::Db {
        let db = open(name).await;
        let org = demo_org(id, day(20), 4);
        db.put_connection(&connection(id, true)).await.unwrap();
        db.save_directory(id, &org.projects, &org.keys, 0)
            .await
            .unwrap();
        db.replace_buckets(&buckets(&org.usage), &org.usage)
            .await
            .unwrap();
        db.set_setting("range_days", "30").await.unwrap();
        db
    }

    async fn backup_text(db: &keymeter::storage::Db) -> String {
        Backup::new(5, db.backup_parts().await.unwrap()).to_json()
    }

    #[wasm_bindgen_test]
    async fn a_backup_restored_into_a_wiped_database_is_byte_identical() {
        let name = super::db_name("backup");
        let db = filled(&name, "c1").await;
        let text = backup_text(&db).await;
        assert!(!text.contains("\"ciphertext\""), "no sealed key");
        drop_db(db, &name).await;

        let db = open(&name).await;
        let backup = parse_backup(&text).expect("restorable");
        db.restore(&backup, RestoreMode::Replace).await.unwrap();
        assert_eq!(backup_text(&db).await, text);
        assert!(db.org_data("c1").await.unwrap().usage.len() > 10);
        drop_db(db, &name).await;
    }

    #[wasm_bindgen_test]
    async fn merge_keeps_other_data_and_the_sealed_key_replace_drops_the_rest()
    {
        let name = super::db_name("merge");
        let db = filled(&name, "c1").await;
        let other = super::db_name("merge-other");
        let source = filled(&other, "c2").await;
        let mut backup = parse_backup(&backup_text(&source).await).unwrap();
        drop_db(source, &other).await;
        // The file also holds c1 (without its sealed key).
        backup.connections.push(connection("c1", false));

        db.restore(&backup, RestoreMode::Merge).await.unwrap();
        let connections = db.connections().await.unwrap();
        assert_eq!(connections.len(), 2);
        let c1 = connections.iter().find(|c| c.id == "c1").unwrap();
        assert!(c1.sealed_secret.is_some(), "the stored sealed key is kept");
        assert!(!db.org_data("c1").await.unwrap().usage.is_empty());
        assert!(!db.org_data("c2").await.unwrap().usage.is_empty());

        backup.connections.retain(|c| c.id == "c2");
        db.restore(&backup, RestoreMode::Replace).await.unwrap();
        let ids: Vec<String> = db
            .connections()
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["c2"]);
        assert!(db.org_data("c1").await.unwrap().usage.is_empty());
        drop_db(db, &name).await;
    }

    #[wasm_bindgen_test]
    async fn merging_a_bucket_keeps_the_stored_rows_the_file_lacks() {
        let name = super::db_name("merge-bucket");
        let db = filled(&name, "c1").await;
        let stored = db.org_data("c1").await.unwrap().usage;
        let mut backup = parse_backup(&backup_text(&db).await).unwrap();
        // The file holds one bucket, with one of its rows changed and the
        // others missing.
        let in_bucket = |bucket: &str| {
            stored.iter().filter(|r| r.bucket_key() == bucket).count()
        };
        let fullest = stored
            .iter()
            .max_by_key(|r| in_bucket(&r.bucket_key()))
            .unwrap();
        assert!(in_bucket(&fullest.bucket_key()) > 1, "a bucket of rows");
        let mut changed = fullest.clone();
        changed.counts.update(|c| c.input += 1_000);
        backup.usage = vec![changed.clone()];

        db.restore(&backup, RestoreMode::Merge).await.unwrap();
        let merged = db.org_data("c1").await.unwrap().usage;
        assert_eq!(merged.len(), stored.len());
        let found = merged
            .iter()
            .find(|r| r.natural_key() == changed.natural_key())
            .unwrap();
        assert_eq!(found.counts.unpack().input, changed.counts.unpack().input);
        drop_db(db, &name).await;
    }
}

mod budgets {
    use super::*;
    use keymeter::domain::budget::{
        Alert, AlertKind, Budget, Limit, Period, Scope, DEFAULT_THRESHOLDS,
    };
    use keymeter::domain::money::Usd;

    fn budget(id: &str, connection: &str, dollars: u128) -> Budget {
        Budget {
            id: id.into(),
            connection_id: connection.into(),
            scope: Scope::Key {
                id: "key_demoApiServer001".into(),
            },
            period: Period::Month,
            zone: "Europe/Berlin".into(),
            // Beyond 2^53 picodollars, so the amount must survive as a
            // BigInt rather than a rounded JS number.
            limit: Limit::Usd(Usd(dollars * 1_000_000_000_000)),
            thresholds: DEFAULT_THRESHOLDS.to_vec(),
            paused: false,
            created_at: 1,
        }
    }

    fn alert(id: &str, connection: &str) -> Alert {
        Alert {
            id: id.into(),
            connection_id: connection.into(),
            kind: AlertKind::Threshold {
                budget_id: "b1".into(),
                period_first: Date::new(2026, 12, 1),
                threshold: 80,
            },
            at: 2,
            message: "api-server reached 80 %.".into(),
            acknowledged: false,
        }
    }

    #[wasm_bindgen_test]
    async fn budgets_and_alerts_read_back_exactly_and_leave_with_their_organization(
    ) {
        let name = db_name("budgets");
        let db = open(&name).await;
        let big = budget("b1", "c1", 123_456_789);
        db.put_budget(&big).await.unwrap();
        db.put_budget(&budget("b2", "c2", 10)).await.unwrap();
        db.put_alerts(&[alert("a1", "c1"), alert("a2", "c2")])
            .await
            .unwrap();
        let mut read = db.budgets().await.unwrap();
        read.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(read[0], big);

        // Acknowledging replaces the alert under the same id.
        let mut seen = alert("a1", "c1");
        seen.acknowledged = true;
        db.put_alerts(std::slice::from_ref(&seen)).await.unwrap();
        let alerts = db.alerts().await.unwrap();
        assert_eq!(alerts.len(), 2);
        assert!(alerts.contains(&seen));

        // Clearing an organization's synced data keeps its budgets;
        // removing the organization removes them.
        db.delete_connection_data("c1", true).await.unwrap();
        assert_eq!(db.budgets().await.unwrap().len(), 2);
        db.delete_connection_data("c1", false).await.unwrap();
        let left: Vec<String> = db
            .budgets()
            .await
            .unwrap()
            .into_iter()
            .map(|b| b.id)
            .collect();
        assert_eq!(left, ["b2"]);
        let left: Vec<String> = db
            .alerts()
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(left, ["a2"]);
        drop_db(db, &name).await;
    }
}

#[wasm_bindgen_test]
async fn the_overview_rows_read_first_are_the_ones_the_preview_names() {
    use keymeter::domain::analytics::Days;
    use keymeter::domain::demo::stored_usage;
    use keymeter::domain::preview::Preview;
    use keymeter::domain::zone::Zone;

    let name = db_name("preview");
    let db = open(&name).await;
    let org = demo_org("c1", day(31), 60);
    let now = day(31).to_unix() + 20 * 3600;
    let usage = stored_usage(&org, now);
    db.save_directory("c1", &org.projects, &org.keys, 0)
        .await
        .unwrap();
    db.replace_buckets(&buckets(&usage), &usage).await.unwrap();
    let days: Vec<String> = org.costs.iter().map(|c| c.day_key()).collect();
    db.store_cost_page(&days, &org.costs, None).await.unwrap();
    // Another organization's rows of the same days stay out.
    let other = demo_org("c2", day(31), 10);
    db.replace_buckets(&buckets(&other.usage), &other.usage)
        .await
        .unwrap();

    for zone in [Zone::utc(), Zone::fixed("Asia/Kolkata", 19_800)] {
        let range = Days::ending(zone.date(now), 7);
        let preview = Preview::new(&zone, range);
        let read = db.overview_rows("c1", &preview).await.unwrap();
        let wanted = preview.rows_of(&usage);
        assert!(wanted.len() < usage.len(), "{}", zone.name());
        assert_eq!(sorted(read.usage), sorted(wanted), "{}", zone.name());

        let mut costs = read.costs;
        costs.sort_by_key(|c| c.natural_key());
        let mut billed: Vec<_> = org
            .costs
            .iter()
            .filter(|c| c.start_time >= preview.daily_from())
            .cloned()
            .collect();
        billed.sort_by_key(|c| c.natural_key());
        assert!(!billed.is_empty() && billed.len() < org.costs.len());
        assert_eq!(costs, billed);
        assert_eq!(read.keys.len(), org.keys.len());
        assert_eq!(read.projects.len(), org.projects.len());
    }
    drop_db(db, &name).await;
}

//! Usage rows as stored, exported and backed up: JSON with every count
//! and the bucket's end spelled out, as rows have always been written.
//! A row in memory is packed (`UsageRecord`); it passes through this
//! shape on its way in and out, so that what is written never changes
//! with how rows are held.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{BucketWidth, Span, TokenCounts, UsageKind, UsageRecord};
use crate::domain::name::Name;

/// A row's fields as written, in the order written.
#[derive(Serialize, Deserialize)]
struct Wire {
    connection_id: Name,
    kind: UsageKind,
    width: BucketWidth,
    start_time: i64,
    end_time: i64,
    project_id: Option<Name>,
    user_id: Option<Name>,
    api_key_id: Option<Name>,
    model: Option<Name>,
    batch: Option<bool>,
    service_tier: Option<Name>,
    #[serde(default)]
    size: Option<Name>,
    #[serde(default)]
    source: Option<Name>,
    counts: TokenCounts,
}

impl From<&UsageRecord> for Wire {
    fn from(row: &UsageRecord) -> Wire {
        Wire {
            connection_id: row.connection_id,
            kind: row.kind,
            width: row.width,
            start_time: row.start_time,
            end_time: row.end_time(),
            project_id: row.project_id,
            user_id: row.user_id,
            api_key_id: row.api_key_id,
            model: row.model,
            batch: row.batch,
            service_tier: row.service_tier,
            size: row.size,
            source: row.source,
            counts: row.counts.unpack(),
        }
    }
}

impl From<Wire> for UsageRecord {
    fn from(wire: Wire) -> UsageRecord {
        UsageRecord {
            connection_id: wire.connection_id,
            kind: wire.kind,
            width: wire.width,
            start_time: wire.start_time,
            span: Span::between(wire.start_time, wire.end_time),
            project_id: wire.project_id,
            user_id: wire.user_id,
            api_key_id: wire.api_key_id,
            model: wire.model,
            batch: wire.batch,
            service_tier: wire.service_tier,
            size: wire.size,
            source: wire.source,
            counts: wire.counts.into(),
        }
    }
}

impl Serialize for UsageRecord {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        Wire::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UsageRecord {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<UsageRecord, D::Error> {
        Wire::deserialize(deserializer).map(UsageRecord::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored completions row, as written before rows were packed.
    const STORED: &str = r#"{"connection_id":"org-wire","kind":"completions","width":"1d","start_time":1770681600,"end_time":1770768000,"project_id":"proj_wire","user_id":null,"api_key_id":"key_wire","model":"gpt-4o-2024-08-06","batch":false,"service_tier":"default","size":null,"source":null,"counts":{"requests":424,"input":763200,"cached_input":295358,"output":68688,"input_audio":0,"output_audio":0,"images":0,"characters":0,"seconds":0,"usage_bytes":0,"sessions":0,"calls":0}}"#;

    #[test]
    fn a_stored_row_reads_and_writes_back_the_same_text() {
        let row: UsageRecord = serde_json::from_str(STORED).expect("reads");
        assert_eq!(row.end_time(), 1_770_768_000);
        assert_eq!(row.counts.unpack().cached_input, 295_358);
        assert_eq!(serde_json::to_string(&row).expect("writes"), STORED);
    }

    #[test]
    fn a_row_cut_short_keeps_its_end() {
        let short = STORED.replace("1770768000", "1770700000");
        let row: UsageRecord = serde_json::from_str(&short).expect("reads");
        assert_eq!(row.end_time(), 1_770_700_000);
        assert_eq!(serde_json::to_string(&row).expect("writes"), short);
    }

    #[test]
    fn every_demo_row_writes_back_the_text_it_was_read_from() {
        let last = crate::domain::time::Date::new(2026, 5, 10);
        let org = crate::domain::demo::demo_org("org-wire", last, 40);
        let now = last.to_unix() + 20 * 3_600;
        for row in crate::domain::demo::stored_usage(&org, now) {
            let text = serde_json::to_string(&row).expect("writes");
            let back: UsageRecord = serde_json::from_str(&text).expect("reads");
            assert_eq!(back, row);
            assert_eq!(serde_json::to_string(&back).expect("writes"), text);
        }
    }

    #[test]
    fn missing_counts_image_fields_and_tiers_read_as_before() {
        let text = r#"{"connection_id":"c","kind":"images","width":"1h",
            "start_time":0,"end_time":3600,"project_id":null,
            "user_id":null,"api_key_id":null,"model":"dall-e-3",
            "batch":null,"service_tier":null,
            "counts":{"requests":2,"images":5}}"#;
        let row: UsageRecord = serde_json::from_str(text).expect("reads");
        assert_eq!((row.size, row.source), (None, None));
        let counts = row.counts.unpack();
        assert_eq!((counts.requests, counts.images), (2, 5));
        assert_eq!(counts.input, 0);
        let written = serde_json::to_value(&row).expect("writes");
        assert_eq!(written["counts"]["input_audio"], 0);
        assert_eq!(written["size"], serde_json::Value::Null);
    }

    #[test]
    fn counts_beyond_32_bits_and_beyond_four_fields_survive_a_round_trip() {
        let mut row: UsageRecord = serde_json::from_str(STORED).expect("reads");
        let counts = TokenCounts {
            requests: 1,
            input: 9_000_000_000_000,
            cached_input: 8_000_000_000_000,
            output: u64::MAX,
            input_audio: 5,
            output_audio: 6,
            calls: 7,
            ..TokenCounts::default()
        };
        row.counts = counts.into();
        let text = serde_json::to_string(&row).expect("writes");
        let back: UsageRecord = serde_json::from_str(&text).expect("reads");
        assert_eq!(back.counts.unpack(), counts);
        assert_eq!(back, row);
    }
}

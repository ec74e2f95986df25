//! Usage records: one row of counts for one bucket and one combination of
//! grouping values, with the natural key that makes storing it idempotent.
//!
//! A stored history is loaded whole, up to millions of rows, so a row is
//! kept small: interned ids, the counts packed (`packed`), the bucket's
//! end as its length. It is stored and exported in the shape it always
//! had (`wire`).

mod packed;
mod wire;

use serde::{Deserialize, Serialize};

use super::name::Name;
pub use packed::PackedCounts;

/// Which usage endpoint a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsageKind {
    Completions,
    Embeddings,
    Moderations,
    Images,
    AudioSpeeches,
    AudioTranscriptions,
    VectorStores,
    CodeInterpreterSessions,
    FileSearchCalls,
    WebSearchCalls,
}

impl UsageKind {
    /// Every kind keymeter syncs, in the order they are shown.
    pub const ALL: [UsageKind; 10] = [
        UsageKind::Completions,
        UsageKind::Embeddings,
        UsageKind::Moderations,
        UsageKind::Images,
        UsageKind::AudioSpeeches,
        UsageKind::AudioTranscriptions,
        UsageKind::VectorStores,
        UsageKind::CodeInterpreterSessions,
        UsageKind::FileSearchCalls,
        UsageKind::WebSearchCalls,
    ];

    /// The kind's place in `ALL`, which lists the kinds in the order
    /// they are declared.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The endpoint's path segment under `/organization/usage/`.
    pub fn path(self) -> &'static str {
        match self {
            UsageKind::Completions => "completions",
            UsageKind::Embeddings => "embeddings",
            UsageKind::Moderations => "moderations",
            UsageKind::Images => "images",
            UsageKind::AudioSpeeches => "audio_speeches",
            UsageKind::AudioTranscriptions => "audio_transcriptions",
            UsageKind::VectorStores => "vector_stores",
            UsageKind::CodeInterpreterSessions => "code_interpreter_sessions",
            UsageKind::FileSearchCalls => "file_search_calls",
            UsageKind::WebSearchCalls => "web_search_calls",
        }
    }

    /// The kind named by an endpoint path segment.
    pub fn from_path(path: &str) -> Option<UsageKind> {
        UsageKind::ALL.into_iter().find(|kind| kind.path() == path)
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            UsageKind::Completions => "Completions",
            UsageKind::Embeddings => "Embeddings",
            UsageKind::Moderations => "Moderations",
            UsageKind::Images => "Images",
            UsageKind::AudioSpeeches => "Speech",
            UsageKind::AudioTranscriptions => "Transcription",
            UsageKind::VectorStores => "Vector storage",
            UsageKind::CodeInterpreterSessions => "Code interpreter",
            UsageKind::FileSearchCalls => "File search",
            UsageKind::WebSearchCalls => "Web search",
        }
    }

    /// The grouping keymeter asks for: every dimension this kind allows
    /// that keymeter shows.
    pub fn group_by(self) -> &'static [&'static str] {
        const KEYED: &[&str] =
            &["project_id", "user_id", "api_key_id", "model"];
        match self {
            UsageKind::Completions => &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "batch",
                "service_tier",
            ],
            UsageKind::Images => &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "size",
                "source",
            ],
            UsageKind::Embeddings
            | UsageKind::Moderations
            | UsageKind::AudioSpeeches
            | UsageKind::AudioTranscriptions
            | UsageKind::WebSearchCalls => KEYED,
            UsageKind::FileSearchCalls => {
                &["project_id", "user_id", "api_key_id"]
            }
            UsageKind::VectorStores | UsageKind::CodeInterpreterSessions => {
                &["project_id"]
            }
        }
    }

    /// Whether the API may lack this endpoint (newer kinds): a 404 for it
    /// is noted, not an error.
    pub fn optional(self) -> bool {
        matches!(self, UsageKind::FileSearchCalls | UsageKind::WebSearchCalls)
    }
}

/// The width of a usage bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BucketWidth {
    #[serde(rename = "1m")]
    Minute,
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "1d")]
    Day,
}

impl BucketWidth {
    /// Seconds in one bucket.
    pub fn seconds(self) -> i64 {
        match self {
            BucketWidth::Minute => 60,
            BucketWidth::Hour => 3_600,
            BucketWidth::Day => 86_400,
        }
    }

    /// The width of a bucket spanning `seconds`, if it is one.
    pub fn from_seconds(seconds: i64) -> Option<BucketWidth> {
        [BucketWidth::Minute, BucketWidth::Hour, BucketWidth::Day]
            .into_iter()
            .find(|width| width.seconds() == seconds)
    }

    /// The API's spelling (`1d`).
    pub fn as_str(self) -> &'static str {
        match self {
            BucketWidth::Minute => "1m",
            BucketWidth::Hour => "1h",
            BucketWidth::Day => "1d",
        }
    }

    /// The most buckets the API returns on one page of this width.
    pub fn max_page_limit(self) -> u32 {
        match self {
            BucketWidth::Minute => 1440,
            BucketWidth::Hour => 168,
            BucketWidth::Day => 31,
        }
    }
}

/// The counts of one usage row. Each kind fills the fields it has; the
/// rest stay zero.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize,
)]
#[serde(default)]
pub struct TokenCounts {
    /// Model requests (`num_model_requests`).
    pub requests: u64,
    /// All input tokens, cached ones included.
    pub input: u64,
    /// The part of `input` served from the prompt cache.
    pub cached_input: u64,
    pub output: u64,
    pub input_audio: u64,
    pub output_audio: u64,
    pub images: u64,
    /// Characters of text turned into speech.
    pub characters: u64,
    /// Seconds of audio transcribed.
    pub seconds: u64,
    /// Bytes held in vector stores: a level, not a flow.
    pub usage_bytes: u64,
    pub sessions: u64,
    /// Tool calls (`num_requests` of file and web search).
    pub calls: u64,
}

impl TokenCounts {
    /// Input tokens that were not cached. Saturates, so a malformed reply
    /// claiming more cached than total input can never go negative.
    pub fn uncached_input(&self) -> u64 {
        self.input.saturating_sub(self.cached_input)
    }

    /// Input plus output tokens (cached input counted once, inside input).
    pub fn total_tokens(&self) -> u64 {
        self.input + self.output
    }

    /// The fields in declaration order, for packing.
    fn fields(&self) -> [u64; 12] {
        [
            self.requests,
            self.input,
            self.cached_input,
            self.output,
            self.input_audio,
            self.output_audio,
            self.images,
            self.characters,
            self.seconds,
            self.usage_bytes,
            self.sessions,
            self.calls,
        ]
    }

    /// The field at `at` in declaration order, for unpacking.
    fn field_mut(&mut self, at: usize) -> Option<&mut u64> {
        Some(match at {
            0 => &mut self.requests,
            1 => &mut self.input,
            2 => &mut self.cached_input,
            3 => &mut self.output,
            4 => &mut self.input_audio,
            5 => &mut self.output_audio,
            6 => &mut self.images,
            7 => &mut self.characters,
            8 => &mut self.seconds,
            9 => &mut self.usage_bytes,
            10 => &mut self.sessions,
            11 => &mut self.calls,
            _ => return None,
        })
    }

    pub fn add(&mut self, other: &TokenCounts) {
        self.requests += other.requests;
        self.input += other.input;
        self.cached_input += other.cached_input;
        self.output += other.output;
        self.input_audio += other.input_audio;
        self.output_audio += other.output_audio;
        self.images += other.images;
        self.characters += other.characters;
        self.seconds += other.seconds;
        self.usage_bytes += other.usage_bytes;
        self.sessions += other.sessions;
        self.calls += other.calls;
    }
}

/// How long a bucket lasts, in seconds. A row keeps this rather than the
/// bucket's end time: four bytes rather than eight, and no bucket lasts
/// anywhere near the 68 years four bytes reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span(i32);

impl Span {
    /// A whole bucket of `width`.
    pub fn of(width: BucketWidth) -> Span {
        Span(width.seconds() as i32)
    }

    /// From `start` to `end`, unix seconds. A reply whose bucket ends 68
    /// years or more away from its start is no bucket; it is taken to
    /// end at the farthest a span reaches.
    pub fn between(start: i64, end: i64) -> Span {
        let seconds = end.saturating_sub(start);
        Span(seconds.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
    }

    /// The span in seconds, to add to a bucket's start.
    pub fn seconds(self) -> i64 {
        self.0.into()
    }
}

/// One usage row: a bucket and the grouping values its counts belong to.
/// Its ids are `Name`s: a stored history repeats the same few thousand
/// in every one of up to millions of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageRecord {
    /// The connection (organization) this row was learned from.
    pub connection_id: Name,
    pub kind: UsageKind,
    pub width: BucketWidth,
    /// Bucket start, unix seconds (UTC).
    pub start_time: i64,
    /// From the start to the bucket's end (see `end_time`), as the reply
    /// gave it: mostly the width, less for a first bucket cut short.
    pub span: Span,
    pub project_id: Option<Name>,
    pub user_id: Option<Name>,
    /// `None` while grouping by key means usage no key is attributed to.
    pub api_key_id: Option<Name>,
    pub model: Option<Name>,
    pub batch: Option<bool>,
    pub service_tier: Option<Name>,
    /// Image size and source, for image usage.
    pub size: Option<Name>,
    pub source: Option<Name>,
    /// Read with `counts.unpack()`, added up with `counts.add_to`.
    pub counts: PackedCounts,
}

// The layout this module keeps a row to, on the web (4-byte pointers) and
// natively: a change that makes rows larger should be a choice.
const _: () = assert!(
    std::mem::size_of::<UsageRecord>()
        <= if cfg!(target_pointer_width = "32") {
            88
        } else {
            96
        }
);

/// Separates the parts of a stored key; no API id or model name holds it.
const SEP: char = '\u{1f}';

impl UsageRecord {
    /// Bucket end, unix seconds (UTC).
    pub fn end_time(&self) -> i64 {
        self.start_time.saturating_add(self.span.seconds())
    }

    /// The bucket this row belongs to. Re-fetching a bucket replaces every
    /// row stored under it, so late data is never added twice.
    pub fn bucket_key(&self) -> String {
        bucket_key(&self.connection_id, self.kind, self.width, self.start_time)
    }

    /// The natural key: the bucket plus every grouping value.
    pub fn natural_key(&self) -> String {
        let opt = |value: &Option<Name>| value.map_or("", Name::as_str);
        let batch = match self.batch {
            Some(true) => "1",
            Some(false) => "0",
            None => "",
        };
        let bucket = self.bucket_key();
        [
            bucket.as_str(),
            opt(&self.project_id),
            opt(&self.user_id),
            opt(&self.api_key_id),
            opt(&self.model),
            batch,
            opt(&self.service_tier),
            opt(&self.size),
            opt(&self.source),
        ]
        .join(&SEP.to_string())
    }
}

/// The key shared by all rows of one bucket.
pub fn bucket_key(
    connection_id: &str,
    kind: UsageKind,
    width: BucketWidth,
    start_time: i64,
) -> String {
    format!(
        "{connection_id}{SEP}{}{SEP}{}{SEP}{start_time}",
        kind.path(),
        width.as_str()
    )
}

/// The natural keys every row of a bucket lies between (both inclusive):
/// a row's key is its bucket's key, the separator, then its grouping
/// values, so one range delete clears a bucket. Cost rows are keyed the
/// same way under their day key.
pub fn bucket_rows(bucket_key: &str) -> (String, String) {
    (
        format!("{bucket_key}{SEP}"),
        format!("{bucket_key}{SEP}\u{ffff}"),
    )
}

/// The natural keys every usage and cost row of a connection lies
/// between: each starts with the connection's id and the separator, so
/// the rows are read straight from the store, in key order, with no
/// index between.
pub fn connection_rows(connection_id: &str) -> (String, String) {
    bucket_rows(connection_id)
}

/// Bucket starts in stored keys are written in decimal, and compare as
/// text only while they have the same number of digits: ten, from
/// September 2001 to the year 2286. A bound before that reads from the
/// start.
const TEN_DIGITS: i64 = 1_000_000_000;

/// The natural keys of a connection's rows of one kind and width whose
/// buckets start at `from` or later (both bounds inclusive).
pub fn rows_from(
    connection_id: &str,
    kind: UsageKind,
    width: BucketWidth,
    from: i64,
) -> (String, String) {
    let prefix = format!(
        "{connection_id}{SEP}{}{SEP}{}{SEP}",
        kind.path(),
        width.as_str()
    );
    let low = if from < TEN_DIGITS {
        prefix.clone()
    } else {
        format!("{prefix}{from}")
    };
    (low, format!("{prefix}\u{ffff}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_from_a_start_hold_its_bucket_and_later_ones_of_one_kind_only() {
        let row = |kind, width, start| UsageRecord {
            kind,
            width,
            start_time: start,
            span: Span::of(width),
            ..record()
        };
        let day = 1_774_915_200;
        let (low, high) =
            rows_from("c1", UsageKind::Completions, BucketWidth::Day, day);
        let inside = |r: &UsageRecord| {
            let key = r.natural_key();
            low <= key && key <= high
        };
        let completions = UsageKind::Completions;
        assert!(inside(&row(completions, BucketWidth::Day, day)));
        assert!(inside(&row(completions, BucketWidth::Day, day + 86_400)));
        assert!(!inside(&row(completions, BucketWidth::Day, day - 86_400)));
        assert!(!inside(&row(completions, BucketWidth::Hour, day)));
        assert!(!inside(&row(UsageKind::Embeddings, BucketWidth::Day, day)));
        let (low, _) = rows_from("c1", completions, BucketWidth::Day, 0);
        assert!(low <= row(completions, BucketWidth::Day, day).natural_key());
    }

    #[test]
    fn each_kind_is_at_its_index_in_all() {
        for (at, kind) in UsageKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), at, "{kind:?}");
        }
    }

    fn record() -> UsageRecord {
        UsageRecord {
            connection_id: "c1".into(),
            kind: UsageKind::Completions,
            width: BucketWidth::Day,
            start_time: 86_400,
            span: Span::of(BucketWidth::Day),
            project_id: Some("proj_a".into()),
            user_id: None,
            api_key_id: Some("key_a".into()),
            model: Some("gpt-4o-2024-08-06".into()),
            batch: Some(false),
            service_tier: None,
            size: None,
            source: None,
            counts: PackedCounts::default(),
        }
    }

    #[test]
    fn widths_and_their_seconds_round_trip() {
        for width in [BucketWidth::Minute, BucketWidth::Hour, BucketWidth::Day]
        {
            assert_eq!(BucketWidth::from_seconds(width.seconds()), Some(width));
        }
        assert_eq!(BucketWidth::from_seconds(600), None);
    }

    #[test]
    fn a_buckets_rows_and_only_they_lie_in_its_range() {
        let base = record();
        let (low, high) = bucket_rows(&base.bucket_key());
        let inside = |r: &UsageRecord| {
            let key = r.natural_key();
            low <= key && key <= high
        };
        let mut unattributed = base.clone();
        unattributed.api_key_id = None;
        unattributed.project_id = None;
        unattributed.model = Some("\u{ffee}".into());
        assert!(inside(&base) && inside(&unattributed));
        for step in [1, 60, 3_600, 86_400, 10 * 86_400] {
            let mut next = base.clone();
            next.start_time += step;
            assert!(!inside(&next), "{step}");
            next.start_time = base.start_time - step;
            assert!(!inside(&next), "-{step}");
        }
        let mut other = base.clone();
        other.kind = UsageKind::Embeddings;
        assert!(!inside(&other));
    }

    #[test]
    fn natural_key_tells_apart_every_grouping_value() {
        let base = record();
        let mut batch = base.clone();
        batch.batch = Some(true);
        let mut unattributed = base.clone();
        unattributed.api_key_id = None;
        let mut other_day = base.clone();
        other_day.start_time += 86_400;
        let keys = [&base, &batch, &unattributed, &other_day]
            .map(UsageRecord::natural_key);
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), 4);
    }

    #[test]
    fn rows_of_one_bucket_share_its_bucket_key() {
        let a = record();
        let mut b = record();
        b.model = Some("gpt-4.1".into());
        assert_eq!(a.bucket_key(), b.bucket_key());
        assert_ne!(a.natural_key(), b.natural_key());
    }

    #[test]
    fn a_span_gives_back_the_end_it_was_made_from() {
        let mut row = record();
        assert_eq!(row.end_time(), 172_800);
        row.span = Span::between(row.start_time, row.start_time + 1_800);
        assert_eq!(row.end_time(), 88_200);
        row.span = Span::between(row.start_time, row.start_time);
        assert_eq!(row.end_time(), row.start_time);
        // No bucket lasts 68 years; such an end is kept as far as a span
        // reaches rather than wrapped around.
        let far = Span::between(0, i64::MAX);
        assert_eq!(far.seconds(), i64::from(i32::MAX));
        assert_eq!(Span::between(0, i64::MIN).seconds(), i64::from(i32::MIN));
    }

    #[test]
    fn uncached_input_never_underflows() {
        let counts = TokenCounts {
            input: 10,
            cached_input: 12,
            ..TokenCounts::default()
        };
        assert_eq!(counts.uncached_input(), 0);
    }
}

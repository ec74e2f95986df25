//! The demo's usage beyond completions: embeddings, moderation, images,
//! speech, transcription, vector storage, code interpreter and tool calls.

use super::{Rng, KEYS, PROJECTS, USERS};
use crate::domain::name::Name;
use crate::domain::time::DAY;
use crate::domain::usage::{
    BucketWidth, Span, TokenCounts, UsageKind, UsageRecord,
};

/// Who uses a kind, and how much of it a day.
struct Use {
    kind: UsageKind,
    /// A key index, or `None` for kinds counted per project only.
    key: Option<usize>,
    project: usize,
    model: Option<&'static str>,
    size: Option<&'static str>,
    per_day: u64,
}

const USES: [Use; 10] = [
    Use {
        kind: UsageKind::Embeddings,
        key: Some(0),
        project: 0,
        model: Some("text-embedding-3-small"),
        size: None,
        per_day: 900,
    },
    Use {
        kind: UsageKind::Embeddings,
        key: Some(5),
        project: 2,
        model: Some("text-embedding-3-large"),
        size: None,
        per_day: 120,
    },
    Use {
        kind: UsageKind::Moderations,
        key: Some(0),
        project: 0,
        model: Some("omni-moderation-2024-09-26"),
        size: None,
        per_day: 700,
    },
    Use {
        kind: UsageKind::Images,
        key: Some(6),
        project: 2,
        model: Some("dall-e-3"),
        size: Some("1024x1024"),
        per_day: 12,
    },
    Use {
        kind: UsageKind::AudioSpeeches,
        key: Some(3),
        project: 1,
        model: Some("tts-1"),
        size: None,
        per_day: 40,
    },
    Use {
        kind: UsageKind::AudioTranscriptions,
        key: Some(3),
        project: 1,
        model: Some("whisper-1"),
        size: None,
        per_day: 25,
    },
    Use {
        kind: UsageKind::VectorStores,
        key: None,
        project: 2,
        model: None,
        size: None,
        // Any non-zero figure: storage is a level, drawn every day.
        per_day: 100,
    },
    Use {
        kind: UsageKind::CodeInterpreterSessions,
        key: None,
        project: 2,
        model: None,
        size: None,
        per_day: 6,
    },
    Use {
        kind: UsageKind::FileSearchCalls,
        key: Some(5),
        project: 2,
        model: None,
        size: None,
        per_day: 30,
    },
    Use {
        kind: UsageKind::WebSearchCalls,
        key: Some(0),
        project: 0,
        model: Some("gpt-4o-2024-08-06"),
        size: None,
        per_day: 50,
    },
];

/// Daily rows of every other kind over `days` days from `first_day`.
pub(super) fn other_kinds(
    connection_id: &str,
    first_day: i64,
    days: u32,
) -> Vec<UsageRecord> {
    let mut rows = Vec::new();
    for day in 0..i64::from(days) {
        let start = first_day + day * DAY;
        let mut rng = Rng::for_day(0x6B69_6E64_7321, start);
        for use_ in &USES {
            let n = use_.per_day * rng.percent(60, 140) / 100;
            if n == 0 {
                continue;
            }
            let keyed = use_.key.map(|k| KEYS[k]);
            let user = keyed.and_then(|(_, _, _, owner)| owner.ok());
            rows.push(UsageRecord {
                connection_id: connection_id.into(),
                kind: use_.kind,
                width: BucketWidth::Day,
                start_time: start,
                span: Span::of(BucketWidth::Day),
                project_id: Some(PROJECTS[use_.project].0.into()),
                user_id: user.map(|u| USERS[u].0.into()),
                api_key_id: keyed.map(|k| k.0.into()),
                model: use_.model.map(Name::from),
                batch: None,
                service_tier: None,
                size: use_.size.map(Name::from),
                source: use_.size.map(|_| "image.generation".into()),
                counts: counts(use_.kind, n, start, &mut rng).into(),
            });
        }
    }
    rows
}

/// The counts of `n` uses of `kind` on the day starting at `start`.
fn counts(kind: UsageKind, n: u64, start: i64, rng: &mut Rng) -> TokenCounts {
    let mut counts = TokenCounts::default();
    match kind {
        UsageKind::Embeddings | UsageKind::Moderations => {
            counts.requests = n;
            counts.input = n * 400 * rng.percent(70, 130) / 100;
        }
        UsageKind::Images => {
            counts.requests = n;
            counts.images = n;
        }
        UsageKind::AudioSpeeches => {
            counts.requests = n;
            counts.characters = n * 600 * rng.percent(70, 130) / 100;
        }
        UsageKind::AudioTranscriptions => {
            counts.requests = n;
            counts.seconds = n * 90 * rng.percent(70, 130) / 100;
        }
        // Storage grows through the period: a level, not a daily flow.
        UsageKind::VectorStores => {
            let day = (start.div_euclid(DAY) - 20_454).max(0) as u64;
            counts.usage_bytes = 250_000_000 + day * 3_000_000;
        }
        UsageKind::CodeInterpreterSessions => counts.sessions = n,
        UsageKind::FileSearchCalls => counts.calls = n,
        UsageKind::WebSearchCalls => {
            counts.requests = n;
            counts.calls = n;
        }
        UsageKind::Completions => {}
    }
    counts
}

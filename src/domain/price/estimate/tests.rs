//! The cost arithmetic cases from the field, and properties that hold for
//! every row: costs add up when rows are merged and never shrink when
//! usage grows.

use super::*;
use crate::domain::usage::{BucketWidth, Span, TokenCounts};

fn row(model: &str, day: Date, counts: TokenCounts) -> UsageRecord {
    UsageRecord {
        connection_id: "c".into(),
        kind: UsageKind::Completions,
        width: BucketWidth::Day,
        start_time: day.to_unix(),
        span: Span::of(BucketWidth::Day),
        project_id: None,
        user_id: None,
        api_key_id: None,
        model: Some(model.into()),
        batch: None,
        service_tier: None,
        size: None,
        source: None,
        counts: counts.into(),
    }
}

fn text(model: &str, input: u64, cached: u64, output: u64) -> UsageRecord {
    let counts = TokenCounts {
        requests: 1,
        input,
        cached_input: cached,
        output,
        ..TokenCounts::default()
    };
    row(model, Date::new(2026, 1, 5), counts)
}

fn dollars(record: &UsageRecord) -> String {
    let table = PriceTable::built_in();
    table.estimate(record).expect("priced").to_fixed(6)
}

#[test]
fn cached_tokens_are_billed_once_at_the_cached_rate() {
    let r = text("gpt-4o-2024-08-06", 2_006, 1_920, 300);
    assert_eq!(dollars(&r), "0.005615", "not 0.010415");
}

#[test]
fn nearly_all_cached_input_costs_the_cached_rate() {
    assert_eq!(dollars(&text("gpt-4.1", 17_111, 17_102, 0)), "0.008569");
}

#[test]
fn batch_usage_costs_half() {
    let mut r = text("gpt-4o-mini-2024-07-18", 1_000_000, 0, 500_000);
    assert_eq!(dollars(&r), "0.450000");
    r.batch = Some(true);
    assert_eq!(dollars(&r), "0.225000");
    r.service_tier = Some("flex".into());
    assert_eq!(dollars(&r), "0.225000", "the half applies once");
}

#[test]
fn an_old_snapshot_keeps_its_own_price() {
    let r = text("gpt-4o-2024-05-13", 1_000_000, 0, 1_000_000);
    assert_eq!(dollars(&r), "20.000000");
    let r = text("gpt-4o-2024-05-13", 1_000_000, 500_000, 0);
    assert_eq!(dollars(&r), "5.000000", "no cache discount");
}

#[test]
fn the_longest_exact_name_wins_and_no_prefix_is_guessed() {
    let table = PriceTable::built_in();
    let mini = text("gpt-4o-mini-2024-07-18", 1_000_000, 0, 0);
    assert_eq!(dollars(&mini), "0.150000", "not gpt-4o's 2.50");
    let newer = text("gpt-5.4-mini", 1_000_000, 0, 0);
    assert_eq!(dollars(&newer), "0.750000", "not gpt-5's 1.25");
    assert_eq!(table.estimate(&text("gpt-5.9-mini", 1_000, 0, 0)), None);
}

#[test]
fn an_unknown_model_is_unpriced_not_free() {
    let table = PriceTable::built_in();
    let r = text("gpt-7-preview-2027-02-01", 5_000, 0, 1_000);
    assert_eq!(table.estimate(&r), None);
    assert_eq!(r.counts.unpack().total_tokens(), 6_000);
}

#[test]
fn history_is_costed_at_the_price_of_its_day() {
    let mut r = text("o3-2025-04-16", 1_000_000, 0, 1_000_000);
    r.start_time = Date::new(2025, 6, 1).to_unix();
    assert_eq!(dollars(&r), "50.000000");
    r.start_time = Date::new(2025, 6, 11).to_unix();
    assert_eq!(dollars(&r), "10.000000");
}

#[test]
fn priority_uses_its_own_price_or_stays_unpriced() {
    let table = PriceTable::built_in();
    let mut r = text("gpt-4.1-2025-04-14", 1_000_000, 0, 0);
    r.service_tier = Some("priority".into());
    assert_eq!(dollars(&r), "3.500000");
    let mut nano = text("gpt-5-nano-2025-08-07", 1_000, 0, 0);
    nano.service_tier = Some("priority".into());
    assert_eq!(table.estimate(&nano), None, "no published premium");
    r.service_tier = Some("scale".into());
    assert_eq!(table.estimate(&r), None);
    r.service_tier = Some("priority".into());
    r.batch = Some(true);
    assert_eq!(table.estimate(&r), None, "contradictory tiers");
}

#[test]
fn flex_costs_half() {
    let mut r = text("gpt-4.1", 1_000, 0, 0);
    r.service_tier = Some("flex".into());
    assert_eq!(dollars(&r), "0.001000");
}

#[test]
fn fine_tuned_usage_is_priced_at_its_tuning_price() {
    let r = text(
        "ft:gpt-4o-mini-2024-07-18:demo-org::A1b2C3d4",
        1_000_000,
        0,
        1_000_000,
    );
    assert_eq!(dollars(&r), "1.500000");
}

#[test]
fn audio_tokens_are_priced_apart_from_text_tokens() {
    let counts = TokenCounts {
        input: 1_000,
        cached_input: 100,
        input_audio: 600,
        output: 500,
        output_audio: 400,
        ..TokenCounts::default()
    };
    let r = row(
        "gpt-4o-realtime-preview-2024-12-17",
        Date::new(2025, 3, 1),
        counts,
    );
    // text 300 x $5, cached 100 x $2.50, audio 600 x $40, text out
    // 100 x $20, audio out 400 x $80 (per 1M).
    assert_eq!(dollars(&r), "0.059750");
    let old = row(
        "gpt-4o-realtime-preview-2024-10-01",
        Date::new(2025, 3, 1),
        counts,
    );
    assert_eq!(
        dollars(&old),
        "0.143750",
        "the first snapshot's audio price"
    );
}

#[test]
fn images_speech_and_transcription_use_their_units() {
    let table = PriceTable::built_in();
    let day = Date::new(2025, 3, 1);
    let media = |kind, model: &str, size: Option<&str>, counts| UsageRecord {
        kind,
        size: size.map(Into::into),
        ..row(model, day, counts)
    };
    let images = |n| TokenCounts {
        images: n,
        ..TokenCounts::default()
    };
    let square =
        media(UsageKind::Images, "dall-e-3", Some("1024x1024"), images(10));
    assert_eq!(dollars(&square), "0.400000");
    let wide =
        media(UsageKind::Images, "dall-e-3", Some("1792x1024"), images(2));
    assert_eq!(dollars(&wide), "0.160000");
    let odd = media(UsageKind::Images, "dall-e-3", Some("333x333"), images(1));
    assert_eq!(table.estimate(&odd), None);
    let tokens = media(
        UsageKind::Images,
        "gpt-image-1",
        Some("1024x1024"),
        images(1),
    );
    assert_eq!(table.estimate(&tokens), None, "quality unknown");

    let speech = TokenCounts {
        characters: 2_000,
        ..TokenCounts::default()
    };
    let hd = media(UsageKind::AudioSpeeches, "tts-1-hd", None, speech);
    assert_eq!(dollars(&hd), "0.060000");
    let seconds = TokenCounts {
        seconds: 600,
        ..TokenCounts::default()
    };
    let whisper =
        media(UsageKind::AudioTranscriptions, "whisper-1", None, seconds);
    assert_eq!(dollars(&whisper), "0.060000", "ten minutes at $0.006");
}

#[test]
fn moderation_is_free_and_tools_are_not_token_priced() {
    let table = PriceTable::built_in();
    let mut r = text("omni-moderation-2024-09-26", 10_000, 0, 0);
    r.kind = UsageKind::Moderations;
    assert_eq!(table.estimate(&r), Some(Usd::ZERO));
    r.kind = UsageKind::WebSearchCalls;
    r.model = Some("gpt-4o-2024-08-06".into());
    assert_eq!(table.estimate(&r), None);
}

#[test]
fn a_row_with_one_unpriced_unit_is_unpriced_as_a_whole() {
    let table = PriceTable::built_in();
    let counts = TokenCounts {
        input: 100,
        input_audio: 50,
        ..TokenCounts::default()
    };
    // gpt-4.1 has no audio price: half a figure would read as all of it.
    assert_eq!(
        table.estimate(&row("gpt-4.1", Date::new(2026, 1, 1), counts)),
        None
    );
}

#[test]
fn parts_add_up_to_the_estimate() {
    let table = PriceTable::built_in();
    let r = text("gpt-4o-2024-08-06", 2_006, 1_920, 300);
    let parts = table.estimate_parts(&r).unwrap();
    let units: Vec<Unit> = parts.iter().map(|p| p.unit).collect();
    assert_eq!(units, [Unit::Input, Unit::CachedInput, Unit::Output]);
    let sum: Usd = parts.iter().map(|p| p.cost).sum();
    assert_eq!(Some(sum), table.estimate(&r));
}

#[test]
fn user_edits_change_the_estimate() {
    let mut table = PriceTable::built_in();
    let r = text("gpt-4.1", 1_000_000, 0, 0);
    table.edit(
        "gpt-4.1",
        None,
        Price {
            input: Rate::per_million("1"),
            ..Price::default()
        },
    );
    assert_eq!(table.estimate(&r).unwrap().to_fixed(2), "1.00");
}

/// A small deterministic generator (xorshift64*), so a failing case can
/// be replayed from its seed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A random row that respects the API's invariants (cached and audio
/// tokens are parts of input, audio output part of output).
fn random_row(rng: &mut XorShift, group: &UsageRecord) -> UsageRecord {
    let input = rng.below(50_000_000);
    let cached = rng.below(input + 1);
    let audio = if group
        .model
        .as_deref()
        .is_some_and(|m| m.contains("realtime"))
    {
        rng.below(input - cached + 1)
    } else {
        0
    };
    let output = rng.below(5_000_000);
    let output_audio = if audio > 0 { rng.below(output + 1) } else { 0 };
    let mut r = group.clone();
    r.counts = TokenCounts {
        requests: 1 + rng.below(100),
        input,
        cached_input: cached,
        output,
        input_audio: audio,
        output_audio,
        images: rng.below(1_000),
        characters: rng.below(10_000_000),
        seconds: rng.below(100_000),
        ..TokenCounts::default()
    }
    .into();
    r
}

fn random_group(rng: &mut XorShift) -> UsageRecord {
    const GROUPS: &[(UsageKind, &str, Option<&str>)] = &[
        (UsageKind::Completions, "gpt-4o-2024-08-06", None),
        (UsageKind::Completions, "gpt-4o-2024-05-13", None),
        (UsageKind::Completions, "o3-2025-04-16", None),
        (UsageKind::Completions, "gpt-5-nano-2025-08-07", None),
        (UsageKind::Completions, "ft:gpt-4.1-2025-04-14:o::x", None),
        (UsageKind::Completions, "gpt-realtime-2025-08-28", None),
        (UsageKind::Embeddings, "text-embedding-3-small", None),
        (UsageKind::Images, "dall-e-2", Some("512x512")),
        (UsageKind::AudioSpeeches, "tts-1", None),
        (UsageKind::AudioTranscriptions, "whisper-1", None),
    ];
    const TIERS: &[(Option<bool>, Option<&str>)] = &[
        (None, None),
        (Some(true), None),
        (Some(false), Some("flex")),
        (Some(false), Some("priority")),
        (None, Some("default")),
    ];
    let (kind, model, size) = *rng.pick(GROUPS);
    let (batch, tier) = *rng.pick(TIERS);
    let day =
        Date::new(2025, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
    UsageRecord {
        kind,
        size: size.map(Into::into),
        batch,
        service_tier: tier.map(Into::into),
        ..row(model, day, TokenCounts::default())
    }
}

#[test]
fn costs_add_up_when_rows_of_one_model_day_and_tier_are_merged() {
    let table = PriceTable::built_in();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut priced_groups = 0;
    for case in 0..2_000 {
        let group = random_group(&mut rng);
        let rows: Vec<UsageRecord> = (0..1 + rng.below(8))
            .map(|_| random_row(&mut rng, &group))
            .collect();
        let mut merged = group.clone();
        for r in &rows {
            merged.counts.update(|c| c.add(&r.counts.unpack()));
        }
        let each: Option<Vec<Usd>> =
            rows.iter().map(|r| table.estimate(r)).collect();
        let sum = each.map(|costs| costs.into_iter().sum::<Usd>());
        assert_eq!(table.estimate(&merged), sum, "case {case}: {group:?}");
        priced_groups += usize::from(sum.is_some());
    }
    assert!(priced_groups > 1_000, "the property was exercised");
}

#[test]
fn more_usage_never_costs_less_and_caching_never_costs_more() {
    let table = PriceTable::built_in();
    let mut rng = XorShift(42);
    for case in 0..2_000 {
        let group = random_group(&mut rng);
        let a = random_row(&mut rng, &group);
        let b = random_row(&mut rng, &group);
        let mut both = a.clone();
        both.counts.update(|c| c.add(&b.counts.unpack()));
        if let (Some(one), Some(two)) =
            (table.estimate(&a), table.estimate(&both))
        {
            assert!(two >= one, "case {case}: {group:?}");
        }
        let mut uncached = a.clone();
        uncached.counts.update(|c| c.cached_input = 0);
        if let (Some(cached), Some(full)) =
            (table.estimate(&a), table.estimate(&uncached))
        {
            assert!(cached <= full, "case {case}: {group:?}");
        }
    }
}

#[test]
fn a_million_rows_of_a_millionth_of_a_dollar_sum_to_exactly_one_dollar() {
    let table = PriceTable::built_in();
    // 50 tokens at $0.02 per 1M is $0.000001.
    let mut r = text("text-embedding-3-small", 50, 0, 0);
    r.kind = UsageKind::Embeddings;
    assert_eq!(table.estimate(&r).unwrap(), Usd(1_000_000));
    let total: Usd = (0..1_000_000)
        .map(|_| table.estimate(&r).expect("priced"))
        .sum();
    assert_eq!(total.to_fixed(6), "1.000000");
    assert_eq!(total, Usd(1_000_000_000_000));
}

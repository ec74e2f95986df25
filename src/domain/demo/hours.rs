//! Splitting a daily row into its 24 hourly rows, with a working-day
//! shape, so hourly and daily data of the demo always agree exactly.

use crate::domain::sort;
use crate::domain::time::DAY;
use crate::domain::usage::{BucketWidth, Span, TokenCounts, UsageRecord};

/// Share of a day's usage in each UTC hour (sums to 1,000).
const SHAPE: [u64; 24] = [
    12, 10, 9, 9, 10, 14, 22, 35, 55, 68, 72, 70, //
    66, 68, 70, 68, 62, 55, 48, 40, 33, 26, 20, 18,
];

/// The hourly rows of a daily row: every count is split by the day's
/// shape, and what rounding leaves over goes to the busiest hours, so the
/// hours sum exactly to the day. Levels (stored bytes) are not split.
pub fn split_into_hours(day: &UsageRecord) -> Vec<UsageRecord> {
    let c = day.counts.unpack();
    let mut hours = [TokenCounts {
        usage_bytes: c.usage_bytes,
        ..TokenCounts::default()
    }; 24];
    let flows: [(u64, Field); 11] = [
        (c.requests, |t| &mut t.requests),
        (c.input, |t| &mut t.input),
        (c.cached_input, |t| &mut t.cached_input),
        (c.output, |t| &mut t.output),
        (c.input_audio, |t| &mut t.input_audio),
        (c.output_audio, |t| &mut t.output_audio),
        (c.images, |t| &mut t.images),
        (c.characters, |t| &mut t.characters),
        (c.seconds, |t| &mut t.seconds),
        (c.sessions, |t| &mut t.sessions),
        (c.calls, |t| &mut t.calls),
    ];
    for (total, field) in flows {
        for (hour, share) in split(total).into_iter().enumerate() {
            *field(&mut hours[hour]) = share;
        }
    }
    // Cached input can never exceed input within an hour.
    for hour in &mut hours {
        hour.cached_input = hour.cached_input.min(hour.input);
    }
    let cached: u64 = hours.iter().map(|h| h.cached_input).sum();
    if let Some(busiest) = hours.iter_mut().max_by_key(|h| h.input) {
        busiest.cached_input += c.cached_input - cached;
    }
    debug_assert_eq!(day.end_time() - day.start_time, DAY);
    (0..24)
        .map(|hour| UsageRecord {
            width: BucketWidth::Hour,
            start_time: day.start_time + hour as i64 * 3600,
            span: Span::of(BucketWidth::Hour),
            counts: hours[hour].into(),
            ..day.clone()
        })
        .collect()
}

/// One count of `TokenCounts`, to write it in a loop.
type Field = fn(&mut TokenCounts) -> &mut u64;

/// `total` split by `SHAPE`, remainders to the largest shares.
fn split(total: u64) -> [u64; 24] {
    let weight: u64 = SHAPE.iter().sum();
    let mut parts = SHAPE.map(|share| total * share / weight);
    let mut left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..24).collect();
    sort::by_key(&mut order, |&h| std::cmp::Reverse(SHAPE[h]));
    for hour in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        parts[hour] += 1;
        left -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_org;
    use crate::domain::time::Date;

    #[test]
    fn hours_add_up_to_their_day_exactly() {
        let last = Date {
            year: 2026,
            month: 1,
            day: 31,
        };
        for day in demo_org("c", last, 3).usage {
            let hours = split_into_hours(&day);
            let mut sum = TokenCounts::default();
            for hour in &hours {
                let counts = hour.counts.unpack();
                assert!(counts.cached_input <= counts.input);
                sum.add(&counts);
            }
            sum.usage_bytes = day.counts.unpack().usage_bytes;
            assert_eq!(sum, day.counts.unpack());
            assert_eq!(hours[23].end_time(), day.end_time());
        }
    }
}

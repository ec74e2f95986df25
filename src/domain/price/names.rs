//! Which price-table names a model name from a usage row may be priced
//! under, most specific first.
//!
//! Usage rows name dated snapshots (`gpt-4o-2024-08-06`), short snapshots
//! (`gpt-3.5-turbo-0125`), marketing aliases (`gpt-4-turbo-preview`) and
//! fine-tuned models (`ft:gpt-4o-mini-2024-07-18:org::id`). Each maps to
//! a table name by an explicit rule, never by a prefix or substring, since
//! `gpt-5.4-mini` starts like `gpt-5` and costs something else.

/// How a model name reached the table name it is priced under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The table has the name as written.
    Exact,
    /// The name without its snapshot date (`-2024-08-06` or `-0125`).
    Snapshot,
    /// A name the alias list maps to another table name.
    Alias,
}

/// Names that are priced as another table name. Kept short and explicit:
/// a name missing here is unpriced, which is visible, whereas a wrong
/// guess would be a silently wrong dollar figure.
const ALIASES: &[(&str, &str)] = &[
    ("gpt-4-turbo-preview", "gpt-4-turbo"),
    ("gpt-4-0125-preview", "gpt-4-turbo"),
    ("gpt-4-1106-preview", "gpt-4-turbo"),
    ("gpt-4-vision-preview", "gpt-4-turbo"),
    ("gpt-4-1106-vision-preview", "gpt-4-turbo"),
    ("gpt-3.5-turbo-16k", "gpt-3.5-turbo-16k-0613"),
    ("o1-preview", "o1"),
    ("gpt-5-chat-latest", "gpt-5"),
    ("gpt-5-codex", "gpt-5"),
    ("gpt-5.1-chat-latest", "gpt-5.1"),
    ("gpt-5.1-codex", "gpt-5.1"),
    ("gpt-5.2-chat-latest", "gpt-5.2"),
    ("omni-moderation-latest", "omni-moderation"),
    ("text-moderation-latest", "omni-moderation"),
    ("text-moderation-stable", "omni-moderation"),
    ("text-moderation-007", "omni-moderation"),
];

/// The prefix of fine-tuned model names, also used for the table names of
/// fine-tuned prices (`ft:gpt-4o-mini`).
pub const FINE_TUNED_PREFIX: &str = "ft:";

/// The table names `model` may be priced under, most specific first and
/// without repeats.
pub fn candidates(model: &str) -> Vec<(&str, MatchKind)> {
    let mut out: Vec<(&str, MatchKind)> = vec![(model, MatchKind::Exact)];
    let family = snapshot_family(model);
    if let Some(family) = family {
        out.push((family, MatchKind::Snapshot));
    }
    for name in std::iter::once(model).chain(family) {
        if let Some((_, target)) = ALIASES.iter().find(|(a, _)| *a == name) {
            out.push((target, MatchKind::Alias));
        }
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|(name, _)| {
        let fresh = !seen.contains(name);
        seen.push(*name);
        fresh
    });
    out
}

/// The base model of a fine-tuned name: `gpt-4o-mini-2024-07-18` for
/// `ft:gpt-4o-mini-2024-07-18:my-org:custom:AbC123`.
pub fn fine_tuned_base(model: &str) -> Option<&str> {
    let rest = model.strip_prefix(FINE_TUNED_PREFIX)?;
    let base = rest.split(':').next()?;
    (!base.is_empty()).then_some(base)
}

/// The name without a trailing snapshot date, `-YYYY-MM-DD` or `-MMDD`;
/// `None` when there is none.
pub fn snapshot_family(model: &str) -> Option<&str> {
    strip_suffix_date(model, 10).or_else(|| strip_suffix_date(model, 4))
}

/// Strips `-<date>` where the date has `len` characters: `YYYY-MM-DD`
/// (10) or `MMDD` (4), with a plausible month and day.
fn strip_suffix_date(model: &str, len: usize) -> Option<&str> {
    let cut = model.len().checked_sub(len + 1)?;
    let (family, suffix) = (model.get(..cut)?, model.get(cut..)?);
    let date = suffix.strip_prefix('-')?;
    let (month, day) = match len {
        10 => {
            let b = date.as_bytes();
            let dashes = b[4] == b'-' && b[7] == b'-';
            let digits = date
                .bytes()
                .enumerate()
                .all(|(i, c)| matches!(i, 4 | 7) || c.is_ascii_digit());
            if !dashes || !digits {
                return None;
            }
            (date.get(5..7)?, date.get(8..10)?)
        }
        _ => {
            if !date.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            (date.get(..2)?, date.get(2..)?)
        }
    };
    let month: u32 = month.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    let plausible = (1..=12).contains(&month) && (1..=31).contains(&day);
    (plausible && !family.is_empty()).then_some(family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(model: &str) -> Vec<&str> {
        candidates(model).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn dated_and_short_snapshots_lose_their_date() {
        assert_eq!(snapshot_family("gpt-4o-2024-08-06"), Some("gpt-4o"));
        assert_eq!(
            snapshot_family("gpt-4o-mini-2024-07-18"),
            Some("gpt-4o-mini")
        );
        assert_eq!(
            snapshot_family("gpt-3.5-turbo-0125"),
            Some("gpt-3.5-turbo")
        );
        assert_eq!(snapshot_family("tts-1-1106"), Some("tts-1"));
        assert_eq!(
            snapshot_family("gpt-4o-realtime-preview-2024-12-17"),
            Some("gpt-4o-realtime-preview")
        );
    }

    #[test]
    fn names_without_a_date_are_left_alone() {
        for model in [
            "gpt-4o",
            "gpt-5.4-mini",
            "gpt-4-32k",
            "tts-1",
            "gpt-4-0125-preview",
            "model-9999",
            "x-2024-13-01",
            "-0125",
        ] {
            assert_eq!(snapshot_family(model), None, "{model}");
        }
    }

    #[test]
    fn candidates_go_from_exact_to_family_to_alias() {
        assert_eq!(names("gpt-4o-2024-08-06"), ["gpt-4o-2024-08-06", "gpt-4o"]);
        assert_eq!(
            candidates("gpt-4-turbo-preview")[1],
            ("gpt-4-turbo", MatchKind::Alias)
        );
        assert_eq!(
            names("omni-moderation-2024-09-26"),
            ["omni-moderation-2024-09-26", "omni-moderation"]
        );
        assert_eq!(names("gpt-5.4-mini"), ["gpt-5.4-mini"]);
    }

    #[test]
    fn fine_tuned_names_give_their_base_model() {
        assert_eq!(
            fine_tuned_base("ft:gpt-4o-mini-2024-07-18:org::A1b2C3d4"),
            Some("gpt-4o-mini-2024-07-18")
        );
        assert_eq!(
            fine_tuned_base("ft:gpt-3.5-turbo-0613:personal::8abc"),
            Some("gpt-3.5-turbo-0613")
        );
        assert_eq!(fine_tuned_base("ft::org::id"), None);
        assert_eq!(fine_tuned_base("gpt-4o"), None);
        assert_eq!(fine_tuned_base("curie:ft-org-2022-01-01"), None);
    }
}

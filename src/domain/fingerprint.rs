//! Recognising a project API key the user holds, without keeping it.
//!
//! OpenAI's listing shows each key only in redacted form (`sk-proj-ab...yz`).
//! A pasted key is matched to a listed key by that prefix and suffix, and
//! from then on by its SHA-256 fingerprint, which is all keymeter stores.

use sha2::{Digest, Sha256};

use super::keys::ApiKey;

/// The SHA-256 of a key's secret, as lower-case hex.
pub fn fingerprint(secret: &str) -> String {
    Sha256::digest(secret.trim().as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The visible start and end of a redacted key; `None` when the value
/// shows no redaction mark, or too little to match on.
pub fn redacted_parts(redacted: &str) -> Option<(&str, &str)> {
    let start = redacted.find(['.', '*'])?;
    let end = redacted.rfind(['.', '*'])? + 1;
    let (prefix, suffix) = (&redacted[..start], &redacted[end..]);
    (prefix.len() >= 3 && suffix.len() >= 2).then_some((prefix, suffix))
}

/// How a pasted key was recognised.
#[derive(Debug, PartialEq)]
pub enum Identified<'a> {
    /// Its fingerprint was stored before.
    Known(&'a ApiKey),
    /// Exactly one listed key has its visible start and end.
    Matched(&'a ApiKey),
    /// Several listed keys have its visible start and end.
    Ambiguous(Vec<&'a ApiKey>),
    NotFound,
}

/// Shorter than any key OpenAI issues: such text is not a key, whatever
/// its start and end, and gets no fingerprint.
const MIN_KEY_LEN: usize = 20;

/// Finds which of `keys` the pasted `secret` is.
pub fn identify<'a>(secret: &str, keys: &'a [ApiKey]) -> Identified<'a> {
    let secret = secret.trim();
    if secret.len() < MIN_KEY_LEN {
        return Identified::NotFound;
    }
    let print = fingerprint(secret);
    if let Some(key) = keys
        .iter()
        .find(|k| k.notes.fingerprint.as_deref() == Some(print.as_str()))
    {
        return Identified::Known(key);
    }
    let mut matches: Vec<&ApiKey> = keys
        .iter()
        .filter(|key| {
            redacted_parts(&key.redacted_value).is_some_and(|(pre, suf)| {
                secret.len() > pre.len() + suf.len()
                    && secret.starts_with(pre)
                    && secret.ends_with(suf)
            })
        })
        .collect();
    match matches.len() {
        0 => Identified::NotFound,
        1 => Identified::Matched(matches.remove(0)),
        _ => Identified::Ambiguous(matches),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::keys::KeyNotes;

    fn key(id: &str, redacted: &str) -> ApiKey {
        ApiKey {
            connection_id: "c".into(),
            id: id.into(),
            project_id: "p".into(),
            name: id.into(),
            redacted_value: redacted.into(),
            owner: None,
            created_at: None,
            last_used_at: None,
            deleted_at: None,
            notes: KeyNotes::default(),
        }
    }

    const SECRET: &str = "sk-proj-abcDEF1234567890xyzXYZ";

    #[test]
    fn the_fingerprint_is_sha256_hex_of_the_trimmed_key() {
        assert_eq!(
            fingerprint("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(fingerprint(" abc\n"), fingerprint("abc"));
    }

    #[test]
    fn a_pasted_key_is_matched_by_its_visible_start_and_end() {
        let keys = [
            key("key_a", "sk-proj-abc...XYZ"),
            key("key_b", "sk-proj-zzz...XYZ"),
        ];
        assert_eq!(identify(SECRET, &keys), Identified::Matched(&keys[0]));
    }

    #[test]
    fn a_stored_fingerprint_wins_over_redacted_matching() {
        let mut keys = [
            key("key_a", "sk-proj-abc...XYZ"),
            key("key_b", "sk-proj-abc...XYZ"),
        ];
        assert!(
            matches!(identify(SECRET, &keys), Identified::Ambiguous(v) if v.len() == 2)
        );
        keys[1].notes.fingerprint = Some(fingerprint(SECRET));
        assert_eq!(identify(SECRET, &keys), Identified::Known(&keys[1]));
    }

    #[test]
    fn text_too_short_to_be_a_key_matches_nothing() {
        let keys = [key("key_a", "sk-proj-x...0008")];
        assert_eq!(identify("sk-proj-x-0008", &keys), Identified::NotFound);
    }

    #[test]
    fn keys_that_do_not_fit_are_not_found() {
        let keys = [key("key_a", "sk-proj-abc...QQQ"), key("key_b", "hidden")];
        assert_eq!(identify(SECRET, &keys), Identified::NotFound);
        assert_eq!(redacted_parts("sk-...z"), None, "too little to match on");
        assert_eq!(redacted_parts("sk-abc****wxyz"), Some(("sk-abc", "wxyz")));
    }
}

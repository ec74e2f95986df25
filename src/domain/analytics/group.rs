//! Groups of usage rows: rows with the same connection, kind, project,
//! user, API key and model, and the same processing tier and image size
//! (all a row's price depends on besides its counts). A stored history
//! repeats a few thousand groups in every bucket, so rows are priced per
//! group and day, and the views add a million rows up per group and
//! then group those sums by key, user, project or model, instead of
//! looking each row's ids up once per view.
//!
//! `price_rows` finds each row's group once, while it reads the row
//! anyway, and the row keeps the group's first record (`Row::group`),
//! whose address then stands for the group: `Slots` numbers groups by
//! that address without reading a single id again.

use crate::domain::name::Name;
use crate::domain::usage::UsageRecord;

/// Whether `a` and `b` belong to the same group. Their ids are
/// interned, so each comparison is of two numbers.
#[inline]
pub fn same_group(a: &UsageRecord, b: &UsageRecord) -> bool {
    a.kind == b.kind
        && a.batch == b.batch
        && a.api_key_id == b.api_key_id
        && a.model == b.model
        && a.user_id == b.user_id
        && a.project_id == b.project_id
        && a.connection_id == b.connection_id
        && a.service_tier == b.service_tier
        && a.size == b.size
}

/// `a == b`, eight bytes at a time: the built-in comparison goes byte
/// by byte in WebAssembly, and a view of one key compares the key of
/// each of a million rows.
#[inline(always)]
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() < 8 {
        return same_short(a, b);
    }
    let last = a.len() - 8;
    let mut at = 0;
    while at < last {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    // The last eight bytes, overlapping the words before if need be.
    word(a, last) == word(b, last)
}

/// `a == b` for fewer than eight bytes of the same length: two
/// overlapping four-byte words, or byte by byte below four.
#[inline(always)]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n >= 4 {
        return quad(a, 0) == quad(b, 0) && quad(a, n - 4) == quad(b, n - 4);
    }
    let mut at = 0;
    while at < n {
        if a[at] != b[at] {
            return false;
        }
        at += 1;
    }
    true
}

/// The four bytes of `bytes` from `at`, which must exist.
#[inline(always)]
fn quad(bytes: &[u8], at: usize) -> u32 {
    let mut quad = [0; 4];
    quad.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(quad)
}

/// The eight bytes of `bytes` from `at`, which must exist.
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// A hash of the values `same_group` compares that tell groups apart
/// most: the kind, the key, the model, the user and the project, by
/// their interned numbers. `same_group` settles what the hash cannot
/// tell apart.
#[inline]
pub fn group_hash(record: &UsageRecord) -> u64 {
    let number = |id: Option<Name>| id.map_or(0, |id| u64::from(id.number()));
    let people = number(record.user_id) << 32 | number(record.project_id);
    let mut hash = mix(record.kind as u64, people);
    hash = mix(hash, number(record.api_key_id));
    mix(hash, number(record.model))
}

/// One step of a multiplicative hash: spreads `word` over all 64 bits.
#[inline(always)]
pub fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(26) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Dense numbers (0, 1, 2, ...) for values known by a 64-bit hash, in
/// the order they are first seen. The caller keeps the values and says
/// which number is the same value; hashing and comparing stay its own,
/// so a lookup costs one probe of a small table.
#[derive(Clone, Debug)]
pub struct Ids {
    /// (hash, number + 1) in open addressing; 0 marks a free slot.
    table: Box<[(u64, u32)]>,
    len: u32,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            table: vec![(0, 0); 64].into_boxed_slice(),
            len: 0,
        }
    }
}

impl Ids {
    /// How many values have a number.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of the value hashed `hash` for which `same` holds, or
    /// the next free number (`Err`) after which `same` must hold for it.
    #[inline]
    pub fn find(
        &mut self,
        hash: u64,
        mut same: impl FnMut(u32) -> bool,
    ) -> Result<u32, u32> {
        let mask = self.table.len() - 1;
        let mut at = slot_of(hash, mask);
        loop {
            let (seen, number) = self.table[at];
            if number == 0 {
                break;
            }
            if seen == hash && same(number - 1) {
                return Ok(number - 1);
            }
            at = (at + 1) & mask;
        }
        let number = self.len;
        self.len += 1;
        self.table[at] = (hash, number + 1);
        if self.len as usize * 2 > self.table.len() {
            self.grow();
        }
        Err(number)
    }

    /// Doubles the table, keeping it at most half full so that probes
    /// stay short.
    fn grow(&mut self) {
        let size = self.table.len() * 2;
        let old = std::mem::replace(
            &mut self.table,
            vec![(0, 0); size].into_boxed_slice(),
        );
        let mask = self.table.len() - 1;
        for &(hash, number) in old.iter().filter(|e| e.1 != 0) {
            let mut at = slot_of(hash, mask);
            while self.table[at].1 != 0 {
                at = (at + 1) & mask;
            }
            self.table[at] = (hash, number);
        }
    }
}

/// Where a probe for `hash` starts: the high bits of a multiplicative
/// hash are its best mixed.
#[inline]
fn slot_of(hash: u64, mask: usize) -> usize {
    (hash >> 32) as usize & mask
}

/// Numbers for the groups of rows, found by the address of the record
/// that stands for each group, or faster by the number `price_rows`
/// gave the group when that record confirms it.
#[derive(Clone, Debug, Default)]
pub struct Slots<'a> {
    ids: Ids,
    firsts: Vec<&'a UsageRecord>,
    /// The slot of each number `price_rows` gave, `u32::MAX` for none.
    by_number: Vec<u32>,
}

impl<'a> Slots<'a> {
    /// The slot of the group `first` stands for, and whether it is new;
    /// `number` is the group's number from `price_rows`, if any.
    #[inline]
    pub fn of(
        &mut self,
        first: &'a UsageRecord,
        number: Option<u32>,
    ) -> (usize, bool) {
        let Some(number) = number.map(|n| n as usize) else {
            return self.by_address(first);
        };
        let (by_number, firsts): (&[u32], &[&UsageRecord]) =
            (&self.by_number, &self.firsts);
        if number < by_number.len() {
            let slot = by_number[number] as usize;
            if slot < firsts.len() && std::ptr::eq(firsts[slot], first) {
                return (slot, false);
            }
        }
        let found = self.by_address(first);
        if self.by_number.len() <= number {
            self.by_number.resize(number + 1, u32::MAX);
        }
        self.by_number[number] = found.0 as u32;
        found
    }

    fn by_address(&mut self, first: &'a UsageRecord) -> (usize, bool) {
        let address = first as *const UsageRecord as usize as u64;
        let firsts: &[&UsageRecord] = &self.firsts;
        let found = self
            .ids
            .find(mix(0, address), |n| std::ptr::eq(firsts[n as usize], first));
        match found {
            Ok(number) => (number as usize, false),
            Err(number) => {
                self.firsts.push(first);
                (number as usize, true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{by, hourly};

    #[test]
    fn numbers_follow_first_sight_and_survive_growth() {
        let mut ids = Ids::default();
        let values: Vec<u64> = (0..1_000).map(|v| v % 300).collect();
        let mut seen = Vec::new();
        for value in &values {
            let hash = mix(0, *value);
            match ids.find(hash, |n| seen[n as usize] == *value) {
                Ok(n) => assert_eq!(seen[n as usize], *value),
                Err(n) => {
                    assert_eq!(n as usize, seen.len());
                    seen.push(*value);
                }
            }
        }
        assert_eq!(ids.len(), 300);
        assert_eq!(seen, (0..300).collect::<Vec<_>>());
    }

    #[test]
    fn text_compares_as_equal_exactly_when_every_byte_is() {
        let text = "key_0123456789abcdefghij";
        for length in 0..text.len() {
            let a = &text[..length];
            // Another copy of the same text.
            let copy = String::from(a);
            assert!(same_text(a, &copy), "{a}");
            for at in 0..length {
                let mut b = a.as_bytes().to_vec();
                b[at] = b'#';
                let b = String::from_utf8(b).expect("ASCII");
                assert!(!same_text(a, &b), "{a} {b}");
            }
            assert!(!same_text(a, &text[..length + 1]));
        }
    }

    #[test]
    fn equal_hashes_of_different_values_stay_apart() {
        let mut ids = Ids::default();
        let a = ids.find(7, |_| false);
        let b = ids.find(7, |n| n == 5);
        assert_eq!((a, b), (Err(0), Err(1)));
        assert_eq!(ids.find(7, |n| n == 1), Ok(1));
    }

    #[test]
    fn rows_that_differ_in_one_id_are_different_groups() {
        let mut mini = hourly(0, 1);
        mini.model = Some("gpt-4.1-mini-2025-04-14".into());
        let mut nano = mini.clone();
        nano.model = Some("gpt-4.1-nano-2025-04-14".into());
        assert!(!same_group(&mini, &nano));
        let other_key = by(mini.clone(), Some("key_b"));
        assert!(!same_group(&mini, &other_key));
        let mut other_user = mini.clone();
        other_user.user_id = Some("user_other".into());
        assert!(!same_group(&mini, &other_user));
        let later = hourly(7_200, 99);
        assert!(same_group(&hourly(0, 1), &later));
        assert_eq!(group_hash(&hourly(0, 1)), group_hash(&later));
    }

    #[test]
    fn slots_tell_records_apart_by_address() {
        let records = [hourly(0, 1), hourly(0, 1)];
        let mut slots = Slots::default();
        assert_eq!(slots.of(&records[0], None), (0, true));
        assert_eq!(slots.of(&records[1], Some(0)), (1, true));
        assert_eq!(slots.of(&records[0], None), (0, false));
        assert_eq!(slots.of(&records[1], Some(0)), (1, false));
        // A number from another pricing of other rows: the address wins.
        assert_eq!(slots.of(&records[0], Some(0)), (0, false));
        assert_eq!(slots.of(&records[0], Some(0)), (0, false));
    }
}
